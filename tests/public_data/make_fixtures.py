"""Recorded files for the public-data tests and benchmark, built deterministically from the
real files in ../shared/data/real (run as a script to write them to a folder, or call
``build_fixtures(folder)``; byte-identical on every run).

- CFTC: the real TFF text files zipped the way CFTC names them (``fut_fin_txt_2024.zip``
  holding ``FinFutYY.txt``, ``com_fin_txt_2024.zip`` holding ``FinComYY.txt``) for 2017,
  2020 and 2024. ``synthetic_year`` makes other years for the benchmark by moving a real
  year's report dates by whole weeks (values unchanged): the sizes and shapes are CFTC's.
- FRED: a fredgraph-style CSV (``observation_date,DFEDTARU,DFEDTARL,EFFR``): the target
  range day by day from the bundled resources/fed_target_range.csv plus one marked test
  change (2026-01-29: 3.25-3.50, not a real decision) so a test can see the fetched file
  win past the bundled one; EFFR is FRED's monthly FEDFUNDS repeated on each day.
- FINRA: ``shrtYYYYMMDD.csv`` pipe files from the short-interest snapshots (the snapshot has
  no volume, so averageDailyVolumeQuantity/daysToCoverQuantity are left blank as FINRA does
  for some rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"
TFF = REAL / "cftc_tff"
CFTC_REAL = {  # archive -> (real text file, member name inside CFTC's zip)
    "fut_fin_txt_2017.zip": ("FinFut17.txt", "FinFutYY.txt"),
    "fut_fin_txt_2020.zip": ("FinFutYY_2020-01_to_2020-11.txt", "FinFutYY.txt"),
    "fut_fin_txt_2024.zip": ("FinFutYY_2024-01_to_2024-07.txt", "FinFutYY.txt"),
    "com_fin_txt_2024.zip": ("FinComYY_2024-01_to_2024-07.txt", "FinComYY.txt"),
}
LEGACY_REAL = {"deacot2025.zip": ("annual_legacy_futonly_2025-01_to_2025-03.txt", "annual.txt")}
FINRA_REAL = {"shrt20210129.csv": "short_interest_settle_2021-01-29.csv",
              "shrt20210630.csv": "short_interest_settle_2021-06-30.csv"}
TEST_CHANGE = ("2026-01-29", 3.25, 3.50)  # marked test data, not a real FOMC decision
FRED_END = dt.date(2026, 3, 31)
FINRA_HEADER = ("accountingYearMonthNumber|symbolCode|issueName|issuerServicesGroupExchangeCode|"
                "marketClassCode|currentShortPositionQuantity|previousShortPositionQuantity|"
                "stockSplitFlag|averageDailyVolumeQuantity|daysToCoverQuantity|revisionFlag|"
                "changePercent|changePreviousNumber|settlementDate")
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_ROW_DATES = re.compile(rb'^("(?:[^"]|"")*"),(\d{6}),(\d{4}-\d{2}-\d{2}),', re.M)


def available() -> bool:
    return all((TFF / f).is_file() for f, _ in CFTC_REAL.values())


def zip_member(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(member, _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
    return buf.getvalue()


def empty_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w"):
        pass
    return buf.getvalue()


def shift_report_dates(text: bytes, days: int) -> bytes:
    """Move every row's as-of/report date by ``days`` (a multiple of 7 keeps Tuesdays)."""
    def move(m: re.Match) -> bytes:
        day = dt.date.fromisoformat(m.group(3).decode()) + dt.timedelta(days=days)
        return b"%s,%s,%s," % (m.group(1), day.strftime("%y%m%d").encode(), day.isoformat().encode())
    return _ROW_DATES.sub(move, text)


def synthetic_year(year: int, source: str = "FinFutYY_2024-01_to_2024-07.txt") -> bytes:
    """A real year's rows with report dates moved into ``year`` (first Tuesday onward)."""
    first = dt.date(2024, 1, 2)  # the source's first report date, a Tuesday
    target = dt.date(year, 1, 1)
    target += dt.timedelta(days=(1 - target.weekday()) % 7)
    return shift_report_dates((TFF / source).read_bytes(), (target - first).days)


def synthetic_bundle(first: int = 2006, last: int = 2016, combined: bool = False) -> bytes:
    source = "FinComYY_2024-01_to_2024-07.txt" if combined else "FinFutYY_2024-01_to_2024-07.txt"
    parts = [synthetic_year(y, source) for y in range(first, last + 1)]
    header, _, _ = parts[0].partition(b"\n")
    return header + b"\n" + b"".join(p.partition(b"\n")[2] for p in parts)


def cftc_files() -> dict[str, bytes]:
    return {name: zip_member(member, (TFF / real).read_bytes())
            for name, (real, member) in CFTC_REAL.items()}


def legacy_files() -> dict[str, bytes]:
    folder = REAL / "cftc_legacy"
    return {name: zip_member(member, (folder / real).read_bytes())
            for name, (real, member) in LEGACY_REAL.items() if (folder / real).is_file()}


def full_history_files(last_year: int = 2026) -> dict[str, bytes]:
    """Every archive 2006..last_year, both reports (real years where we have them)."""
    files = {"fin_fut_txt_2006_2016.zip": zip_member("F_TFF_2006_2016.txt", synthetic_bundle()),
             "fin_com_txt_2006_2016.zip": zip_member("C_TFF_2006_2016.txt",
                                                     synthetic_bundle(combined=True))}
    real = cftc_files()
    for y in range(2017, last_year + 1):
        for prefix, member, src in (("fut", "FinFutYY.txt", "FinFutYY_2024-01_to_2024-07.txt"),
                                    ("com", "FinComYY.txt", "FinComYY_2024-01_to_2024-07.txt")):
            name = f"{prefix}_fin_txt_{y}.zip"
            files[name] = real.get(name) or zip_member(member, synthetic_year(y, src))
    return files


def fred_csv() -> bytes:
    ranges = []
    with open(ROOT / "resources" / "fed_target_range.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            ranges.append((dt.date.fromisoformat(row["date"]), float(row["lower"]), float(row["upper"])))
    ranges.append((dt.date.fromisoformat(TEST_CHANGE[0]), TEST_CHANGE[1], TEST_CHANGE[2]))
    ranges.sort()
    monthly = {}
    with open(REAL / "rates_fed" / "FEDFUNDS.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            monthly[row["observation_date"][:7]] = row["FEDFUNDS"]
    out = ["observation_date,DFEDTARU,DFEDTARL,EFFR"]
    day, k = ranges[0][0], 0
    while day <= FRED_END:
        while k + 1 < len(ranges) and ranges[k + 1][0] <= day:
            k += 1
        effr = monthly.get(day.isoformat()[:7], "") if day.weekday() < 5 else ""
        out.append(f"{day},{ranges[k][2]:.2f},{ranges[k][1]:.2f},{effr}")
        day += dt.timedelta(days=1)
    return ("\n".join(out) + "\n").encode()


def finra_file(snapshot: str, settlement: str, relabel: str | None = None) -> bytes:
    """FINRA pipe format from a snapshot: rows dated the file's settlement date only
    (``relabel``: written with another settlement date, for tests of other years)."""
    stamp = dt.date.fromisoformat(settlement).strftime("%m/%d/%y")
    lines = [FINRA_HEADER]
    with open(REAL / "short_interest" / snapshot, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["short_interest_date"] != stamp or not row["shares_sold_short"]:
                continue
            shares = int(float(row["shares_sold_short"]))
            day = relabel or settlement
            lines.append("|".join([day.replace("-", ""), row["symbol"], "", "",
                                   row["exchange"], str(shares), "", "", "", "", "",
                                   row["change_from_last"], "", day]))
    return ("\n".join(lines) + "\n").encode()


def finra_files() -> dict[str, bytes]:
    out = {}
    for name, snap in FINRA_REAL.items():
        d = name[4:12]
        out[name] = finra_file(snap, f"{d[:4]}-{d[4:6]}-{d[6:]}")
    return out


def build_fixtures(folder: Path, full: bool = False) -> dict[str, int]:
    """Write every recorded file under ``folder/{cftc,fred,finra}``; name -> size."""
    groups = {"cftc": {**(full_history_files() if full else cftc_files()), **legacy_files()},
              "fred": {"fredgraph.csv": fred_csv()}, "finra": finra_files()}
    sizes = {}
    for sub, files in groups.items():
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / sub / name).write_bytes(data)
            sizes[f"{sub}/{name}"] = len(data)
    return sizes


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "public_fixtures")
    for name, size in build_fixtures(target, full="--full" in sys.argv).items():
        print(f"{size:>10}  {name}")
