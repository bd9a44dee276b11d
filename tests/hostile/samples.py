"""Well-formed building blocks the hostile cases start from (then break)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import zipfile
from pathlib import Path

from .ooxml import ZIP_EPOCH, Sheet, Workbook

START = dt.date(2024, 1, 2)
HEADER = ["Date", "RTY", "SPX"]


def business_days(n: int, start: dt.date = START) -> list[dt.date]:
    out, day = [], start
    while len(out) < n:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def price_rows(n: int = 60, seed: int = 0, start: dt.date = START) -> list[list[object]]:
    """Header + n business days of two random-walk index levels."""
    rng = random.Random(seed)
    rty, spx = 2000.0, 4700.0
    rows: list[list[object]] = [list(HEADER)]
    for day in business_days(n, start):
        rty *= 1 + rng.gauss(0, 0.012)
        spx *= 1 + rng.gauss(0, 0.009)
        rows.append([day, round(rty, 2), round(spx, 2)])
    return rows


def good_sheet(name: str = "Prices", n: int = 60, seed: int = 0) -> Sheet:
    return Sheet(name, price_rows(n, seed))


def good_book(n: int = 60) -> Workbook:
    return Workbook([good_sheet("Prices", n), good_sheet("More", n // 2, seed=1)])


def csv_text(n: int = 60, sep: str = ",", seed: int = 0) -> str:
    lines = [sep.join(HEADER)]
    for day, rty, spx in price_rows(n, seed)[1:]:
        lines.append(f"{day.isoformat()}{sep}{rty}{sep}{spx}")
    return "\n".join(lines) + "\n"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an openpyxl-made package with fixed timestamps so builds are identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>2024-01-01T00:00:00Z", body)
            out.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def openpyxl_bytes(wb: object) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)  # type: ignore[attr-defined]
    return normalise_zip(buf.getvalue())


def openpyxl_workbook(sheets: dict[str, list[list[object]]]):  # -> openpyxl.Workbook
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for (cell,) in ws.iter_rows(min_row=2, max_col=1):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    return wb


@functools.cache
def good_xlsx_bytes() -> bytes:
    """A small real-looking desk export (openpyxl-made): the base for damage cases."""
    wb = openpyxl_workbook({"Prices": price_rows(120), "Flows": price_rows(40, seed=3)})
    return openpyxl_bytes(wb)


def write_bytes(data: bytes):
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def write_text(text: str, encoding: str = "utf-8", newline: str = "\n"):
    def write(path: Path) -> None:
        path.write_bytes(text.replace("\n", newline).encode(encoding))

    return write
