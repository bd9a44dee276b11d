# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Delimited text: CSVs in odd encodings, delimiters and shapes, and CFTC TFF files
(synthetic, with the real header names) with columns missing, renamed or damaged."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .make_corpus import CaseSpec
from .ooxml import Sheet, Workbook, write_workbook
from .samples import business_days, csv_text, price_rows, write_bytes, write_text

TFF_HEADER = (
    "Market_and_Exchange_Names,As_of_Date_In_Form_YYMMDD,Report_Date_as_YYYY-MM-DD,CFTC_Contract_Market_Code,"
    "CFTC_Market_Code,CFTC_Region_Code,CFTC_Commodity_Code,Open_Interest_All,Dealer_Positions_Long_All,"
    "Dealer_Positions_Short_All,Dealer_Positions_Spread_All,Asset_Mgr_Positions_Long_All,"
    "Asset_Mgr_Positions_Short_All,Asset_Mgr_Positions_Spread_All,Lev_Money_Positions_Long_All,"
    "Lev_Money_Positions_Short_All,Lev_Money_Positions_Spread_All,Other_Rept_Positions_Long_All,"
    "Other_Rept_Positions_Short_All,Other_Rept_Positions_Spread_All,Tot_Rept_Positions_Long_All,"
    "Tot_Rept_Positions_Short_All,NonRept_Positions_Long_All,NonRept_Positions_Short_All,"
    "Change_in_Open_Interest_All,Change_in_Dealer_Long_All,Change_in_Dealer_Short_All,"
    "Change_in_Dealer_Spread_All,Change_in_Asset_Mgr_Long_All,Change_in_Asset_Mgr_Short_All,"
    "Change_in_Asset_Mgr_Spread_All,Change_in_Lev_Money_Long_All,Change_in_Lev_Money_Short_All,"
    "Change_in_Lev_Money_Spread_All,Change_in_Other_Rept_Long_All,Change_in_Other_Rept_Short_All,"
    "Change_in_Other_Rept_Spread_All,Change_in_Tot_Rept_Long_All,Change_in_Tot_Rept_Short_All,"
    "Change_in_NonRept_Long_All,Change_in_NonRept_Short_All,Pct_of_Open_Interest_All,Pct_of_OI_Dealer_Long_All,"
    "Pct_of_OI_Dealer_Short_All,Pct_of_OI_Dealer_Spread_All,Pct_of_OI_Asset_Mgr_Long_All,"
    "Pct_of_OI_Asset_Mgr_Short_All,Pct_of_OI_Asset_Mgr_Spread_All,Pct_of_OI_Lev_Money_Long_All,"
    "Pct_of_OI_Lev_Money_Short_All,Pct_of_OI_Lev_Money_Spread_All,Pct_of_OI_Other_Rept_Long_All,"
    "Pct_of_OI_Other_Rept_Short_All,Pct_of_OI_Other_Rept_Spread_All,Pct_of_OI_Tot_Rept_Long_All,"
    "Pct_of_OI_Tot_Rept_Short_All,Pct_of_OI_NonRept_Long_All,Pct_of_OI_NonRept_Short_All,Traders_Tot_All,"
    "Traders_Dealer_Long_All,Traders_Dealer_Short_All,Traders_Dealer_Spread_All,Traders_Asset_Mgr_Long_All,"
    "Traders_Asset_Mgr_Short_All,Traders_Asset_Mgr_Spread_All,Traders_Lev_Money_Long_All,"
    "Traders_Lev_Money_Short_All,Traders_Lev_Money_Spread_All,Traders_Other_Rept_Long_All,"
    "Traders_Other_Rept_Short_All,Traders_Other_Rept_Spread_All,Traders_Tot_Rept_Long_All,"
    "Traders_Tot_Rept_Short_All,Conc_Gross_LE_4_TDR_Long_All,Conc_Gross_LE_4_TDR_Short_All,"
    "Conc_Gross_LE_8_TDR_Long_All,Conc_Gross_LE_8_TDR_Short_All,Conc_Net_LE_4_TDR_Long_All,"
    "Conc_Net_LE_4_TDR_Short_All,Conc_Net_LE_8_TDR_Long_All,Conc_Net_LE_8_TDR_Short_All,Contract_Units,"
    "CFTC_Contract_Market_Code_Quotes,CFTC_Market_Code_Quotes,CFTC_Commodity_Code_Quotes,CFTC_SubGroup_Code,"
    "FutOnly_or_Combined"
).split(",")
TFF_MARKETS = [
    ("RUSSELL E-MINI - CHICAGO MERCANTILE EXCHANGE", "239742", "(RUSSELL 2000 INDEX X $50)"),
    ("NASDAQ MINI - CHICAGO MERCANTILE EXCHANGE", "209742", "(NASDAQ 100 STOCK INDEX x $20)"),
    ("E-MINI S&P 500 - CHICAGO MERCANTILE EXCHANGE", "13874A", "($50 X S&P 500 INDEX)"),
    ("CANADIAN DOLLAR - CHICAGO MERCANTILE EXCHANGE", "090741", "(CONTRACTS OF CAD 100,000)"),
]


def tff_records(weeks: int = 20, seed: int = 0) -> list[dict[str, str]]:
    """Rows as in the CFTC text files: per market, report dates descending; padded numbers."""
    rng = random.Random(seed)
    last = dt.date(2024, 7, 23)
    out = []
    for name, code, units in TFF_MARKETS:
        for w in range(weeks):
            day = last - dt.timedelta(weeks=w)
            rec = {h: f"{rng.randint(0, 500000):8d}" for h in TFF_HEADER}
            rec.update({
                "Market_and_Exchange_Names": f'"{name}"', "As_of_Date_In_Form_YYMMDD": day.strftime("%y%m%d"),
                "Report_Date_as_YYYY-MM-DD": day.isoformat(), "CFTC_Contract_Market_Code": code,
                "CFTC_Market_Code": "CME ", "CFTC_Region_Code": "00", "CFTC_Commodity_Code": code[:3] + " ",
                "Open_Interest_All": f"{rng.randint(400000, 600000):8d}", "Contract_Units": f'"{units}"',
                "CFTC_Contract_Market_Code_Quotes": f"'{code}'", "CFTC_Market_Code_Quotes": "'CME'",
                "CFTC_Commodity_Code_Quotes": f"'{code[:3]}'", "CFTC_SubGroup_Code": "F10",
                "FutOnly_or_Combined": "FutOnly", "Traders_Dealer_Spread_All": ".",
            })
            out.append(rec)
    return out


def tff_text(records: list[dict[str, str]] | None = None, header: list[str] | None = None,
             drop: tuple[str, ...] = (), rename: dict[str, str] | None = None, sep: str = ",",
             newline: str = "\r\n") -> str:
    header = [h for h in (header or TFF_HEADER) if h not in drop]
    records = tff_records() if records is None else records
    names = [(rename or {}).get(h, h) for h in header]
    lines = [sep.join(f'"{n}"' for n in names)]
    lines.extend(sep.join(rec[h] for h in header) for rec in records)
    return newline.join(lines) + newline


def _tff(**kw):
    return write_text(tff_text(**kw), newline="\n")


def _tff_records_edit(edit, **kw):
    def write(path: Path) -> None:
        records = tff_records()
        edit(records)
        path.write_text(tff_text(records, **kw), newline="")

    return write


def _tff_xlsx(drop: tuple[str, ...] = ()):
    def write(path: Path) -> None:
        txt_header = [h for h in TFF_HEADER if not h.endswith("_Quotes")]  # the .xls has 84 columns
        header = [h.replace("Report_Date_as_YYYY-MM-DD", "Report_Date_as_MM_DD_YYYY") for h in txt_header]
        rows: list[list[object]] = [[h for h in header if h not in drop]]
        for rec in tff_records():
            row: list[object] = []
            for h_txt, h in zip(txt_header, header, strict=True):
                if h in drop:
                    continue
                v = rec[h_txt].strip().strip('"')
                if h == "Report_Date_as_MM_DD_YYYY":
                    row.append(dt.date.fromisoformat(v))
                elif h in ("CFTC_Contract_Market_Code", "Market_and_Exchange_Names", "CFTC_Market_Code",
                           "CFTC_Region_Code", "CFTC_Commodity_Code", "Contract_Units",
                           "CFTC_SubGroup_Code", "FutOnly_or_Combined"):
                    row.append(v)
                else:
                    row.append("" if v == "." else float(v))
            rows.append(row)
        write_workbook(path, Workbook([Sheet("XLS", rows)]))

    return write


def tff_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, expect: str, write, ext: str = "txt") -> None:
        s.append(CaseSpec(name, "tff", f"{name}.{ext}", expect, write))  # type: ignore[arg-type]

    add("tff_baseline_txt", "series", write_text(tff_text(), newline="\n"))
    add("tff_baseline_csv", "series", write_text(tff_text(), newline="\n"), ext="csv")
    add("tff_lf_line_endings", "series", write_text(tff_text(newline="\n")))
    add("tff_baseline_xlsx", "series", _tff_xlsx(), ext="xlsx")
    for col in ("Market_and_Exchange_Names", "As_of_Date_In_Form_YYMMDD", "Report_Date_as_YYYY-MM-DD",
                "CFTC_Contract_Market_Code", "Open_Interest_All", "Lev_Money_Positions_Long_All",
                "Lev_Money_Positions_Short_All", "Asset_Mgr_Positions_Long_All", "FutOnly_or_Combined"):
        add(f"tff_missing_{col.lower().replace('-', '_')}", "either", _tff(drop=(col,)))
    add("tff_missing_both_dates", "message", _tff(drop=("As_of_Date_In_Form_YYMMDD", "Report_Date_as_YYYY-MM-DD")))
    add("tff_xlsx_missing_report_date", "either", _tff_xlsx(drop=("Report_Date_as_MM_DD_YYYY",)), ext="xlsx")
    add("tff_xlsx_missing_code", "either", _tff_xlsx(drop=("CFTC_Contract_Market_Code",)), ext="xlsx")
    renames = {
        "report_date": {"Report_Date_as_YYYY-MM-DD": "Report_Date"},
        "open_interest": {"Open_Interest_All": "Open Interest (All)"},
        "contract_code": {"CFTC_Contract_Market_Code": "Contract_Code"},
        "lev_money_long": {"Lev_Money_Positions_Long_All": "LevMoney_Long"},
        "lowercase_all": {h: h.lower() for h in TFF_HEADER},
        "spaces_not_underscores": {h: h.replace("_", " ") for h in TFF_HEADER},
    }
    for slug, mapping in renames.items():
        add(f"tff_renamed_{slug}", "either", _tff(rename=mapping))
    shuffled = list(TFF_HEADER)
    random.Random(3).shuffle(shuffled)
    add("tff_columns_shuffled", "series", _tff(header=shuffled))
    add("tff_extra_columns", "series", _tff_records_edit(
        lambda recs: [r.update({"Mystery": "42"}) for r in recs], header=[*TFF_HEADER, "Mystery"]))
    add("tff_dots_everywhere", "either", _tff_records_edit(
        lambda recs: [r.update({h: "." for h in TFF_HEADER[7:-6]}) for r in recs]))
    add("tff_header_only", "message", write_text(tff_text(records=[])))
    add("tff_truncated_mid_row", "series", lambda p: p.write_text(tff_text()[:-700], newline=""))
    add("tff_duplicate_rows", "message", _tff_records_edit(lambda recs: recs.insert(3, dict(recs[3]))))
    add("tff_garbage_dates", "either", _tff_records_edit(lambda recs: [r.update(
        {"Report_Date_as_YYYY-MM-DD": "N/A", "As_of_Date_In_Form_YYMMDD": "??"}) for r in recs[::2]]))
    add("tff_dates_in_2095", "either", _tff_records_edit(lambda recs: [r.update(
        {"Report_Date_as_YYYY-MM-DD": "2095" + r["Report_Date_as_YYYY-MM-DD"][4:],
         "As_of_Date_In_Form_YYMMDD": "95" + r["As_of_Date_In_Form_YYMMDD"][2:]}) for r in recs]))
    add("tff_contract_renamed_midway", "series", _tff_records_edit(lambda recs: [r.update(
        {"Market_and_Exchange_Names": '"E-MINI RUSSELL 2000 INDEX - CHICAGO MERCANTILE EXCHANGE"'})
        for r in recs[10:20]]))
    add("tff_semicolon_delimited", "either", write_text(tff_text(sep=";")))
    add("tff_code_lost_leading_zero", "series", _tff_records_edit(lambda recs: [r.update(
        {"CFTC_Contract_Market_Code": "90741"}) for r in recs if r["CFTC_Contract_Market_Code"] == "090741"]))
    add("tff_numbers_with_junk", "series", _tff_records_edit(lambda recs: [r.update(
        {"Lev_Money_Positions_Long_All": "12,345"}) for r in recs[::5]]))
    return s


def csv_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, expect: str, write, ext: str = "csv") -> None:
        s.append(CaseSpec(name, "csv", f"{name}.{ext}", expect, write))  # type: ignore[arg-type]

    body = csv_text(40).replace("RTY", "Präis RTY")
    add("csv_latin1", "series", write_text(body, "latin-1"))
    add("csv_cp1252_smart_quotes", "series", write_text(body.replace("SPX", "“SPX” €"), "cp1252"))
    add("csv_utf16_le_bom", "series", write_text(body, "utf-16"))
    add("csv_utf16_be_bom", "series", lambda p: p.write_bytes(b"\xfe\xff" + body.encode("utf-16-be")))
    add("csv_utf16_no_bom", "either", write_text(body, "utf-16-le"))
    add("csv_utf8_bom", "series", write_text(body, "utf-8-sig"))
    add("csv_utf32_bom", "either", write_text(body, "utf-32"))
    lines = body.split("\n")
    mixed = "\n".join(lines[:20]).encode() + b"\n" + "\n".join(lines[20:]).replace("2024", "2024").encode("utf-8")
    mixed = mixed.replace(b"Pr\xc3\xa4is", b"Pr\xe4is", 1) + "2024-12-31,1,é\n".encode("latin-1")
    add("csv_mixed_encodings", "series", write_bytes(mixed))
    add("csv_nul_bytes_scattered", "either", write_bytes(csv_text(40).encode().replace(b"\n2024-01-1", b"\n\x002024-01-1")))
    add("csv_nul_only", "message", write_bytes(b"\x00" * 10_000))
    long_junk = csv_text(40).split("\n")
    long_junk.insert(10, "2024-02-30," + "x" * 5_000_000)
    add("csv_5mb_line_in_middle", "either", write_text("\n".join(long_junk)))
    add("csv_only_header", "message", write_text("Date,RTY,SPX\n"))
    add("csv_only_dates", "message", write_text("Date\n" + "\n".join(d.isoformat() for d in business_days(30)) + "\n"))
    add("csv_header_only_bom_crlf", "message", write_bytes(b"\xef\xbb\xbfDate,RTY,SPX\r\n"))
    comma = "\n".join(["Datum;RTY;SPX"] + [f"{d.strftime('%d.%m.%Y')};{str(a).replace('.', ',')};"
                                           f"{str(b).replace('.', ',')}" for d, a, b in price_rows(40)[1:]]) + "\n"
    add("csv_semicolon_decimal_comma", "series", write_text(comma))
    add("csv_semicolon_dot_decimal", "series", write_text(csv_text(40, sep=";")))
    thousands = "\n".join(["Date;RTY;SPX"] + [f"{d.isoformat()};\"{a * 1000:,.2f}\";{b}".replace(",", "X").replace(
        ".", ",").replace("X", ".") for d, a, b in price_rows(40)[1:]]) + "\n"
    add("csv_decimal_comma_thousands_dot", "series", write_text(thousands))
    add("csv_tab_delimited", "series", write_text(csv_text(40, sep="\t")))
    add("csv_pipe_delimited", "either", write_text(csv_text(40, sep="|")))
    quoted = csv_text(30).replace("RTY", '"RTY\nclose, ""level"""', 1)
    add("csv_quoted_embedded_newlines", "series", write_text(quoted))
    add("csv_unbalanced_quote", "either", write_text(csv_text(30).replace("\n2024-01-10,", '\n"2024-01-10,', 1)))
    add("csv_cr_only_line_endings", "series", write_text(csv_text(40), newline="\r"))
    mixed_eol = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(csv_text(40).split("\n")[:-1]))
    add("csv_mixed_line_endings", "series", write_text(mixed_eol))
    ragged = csv_text(30).split("\n")
    ragged[5] += ",extra,fields"
    ragged[9] = ragged[9].rsplit(",", 1)[0]
    add("csv_ragged_rows", "either", write_text("\n".join(ragged)))
    add("csv_trailing_delimiters", "series", write_text(csv_text(30).replace("\n", ",,\n")))
    add("csv_excel_sep_hint", "either", write_text("sep=;\n" + csv_text(30, sep=";")))
    add("csv_preamble_lines", "either", write_text("# desk export\n# generated by a macro\n\n" + csv_text(30)))
    add("csv_every_cell_text", "message", write_text("Name,Comment\n" + "".join(f"r{i},c{i}\n" for i in range(30))))
    dups = csv_text(20).split("\n")
    dups.insert(8, dups[7])
    add("csv_duplicate_dates", "message", write_text("\n".join(dups)))
    rows = csv_text(30).split("\n")
    add("csv_unsorted_dates", "series", write_text("\n".join([rows[0], *sorted(rows[1:-1], key=lambda r: r[8:]), ""])))
    add("csv_ambiguous_day_month", "either", write_text("Date,RTY\n" + "".join(
        f"{m:02d}/{d:02d}/2024,{2000 + m + d}\n" for m in (1, 2, 3) for d in (1, 2, 3, 4))))
    inf_rows = csv_text(30).split("\n")
    for i, t in enumerate(["inf", "-inf", "Infinity", "1e400", "-1e999", "NaN", "nan", "#DIV/0!", "#N/A", "null"]):
        parts = inf_rows[2 + 2 * i].split(",")
        inf_rows[2 + 2 * i] = ",".join([parts[0], t, parts[2]])
    add("csv_inf_nan_text", "series", write_text("\n".join(inf_rows)))
    add("csv_blank_lines_between", "series", write_text(csv_text(30).replace("\n", "\n\n")))
    add("csv_all_quoted", "series", write_text("\n".join(
        ",".join(f'"{f}"' for f in line.split(",")) for line in csv_text(30).split("\n") if line) + "\n"))
    add("csv_spaces_around_fields", "series", write_text(csv_text(30).replace(",", " ,  ")))
    add("csv_binary_tail", "either", write_bytes(csv_text(30).encode() + random.Random(9).randbytes(1024)))
    add("csv_dates_2090s", "either", write_text("Date,RTY\n" + "".join(
        f"{d.isoformat()},{i}\n" for i, d in enumerate(business_days(30, dt.date(2093, 5, 1))))))
    add("csv_dates_1700s", "either", write_text("Date,RTY\n" + "".join(
        f"17{50 + i // 12:02d}-{i % 12 + 1:02d}-01,{i}\n" for i in range(30))))
    add("csv_dates_year_0001_and_9999", "either", write_text("Date,RTY\n0001-01-01,1\n2024-01-02,2\n9999-12-31,3\n"))
    add("csv_txt_extension", "series", write_text(csv_text(30)), ext="txt")
    add("csv_uppercase_extension", "series", write_text(csv_text(30)), ext="CSV")
    return s


def specs() -> list[CaseSpec]:
    return csv_specs() + tff_specs()
