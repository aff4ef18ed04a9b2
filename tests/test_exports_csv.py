"""CSV for Swedish Excel: BOM, semicolons, ISO dates, decimal comma; round-trips through csv."""

import csv
import io
from datetime import date, datetime

from walkapp.exports.csv import BOM, excel_csv


def test_excel_csv_round_trips_with_swedish_letters():
    rows = [
        ["Östermalmstorg", date(2026, 3, 12), datetime(2026, 3, 12, 18, 5), 59.5, None, 'a;"b"']
    ]
    text = "".join(excel_csv(["plats", "datum", "tid", "lat", "tom", "not"], rows))
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert parsed[0] == ["plats", "datum", "tid", "lat", "tom", "not"]
    assert parsed[1] == ["Östermalmstorg", "2026-03-12", "2026-03-12 18:05", "59,5", "", 'a;"b"']
