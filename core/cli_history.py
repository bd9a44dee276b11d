"""``python main.py history ...``: the vintage store from the command line.

  main.py history --record FILE...             store these files' exports (one each)
  main.py history SERIES_ID                    the exports it came from: dates, new, revised
  main.py history SERIES_ID --date D           what every export said about day D
  main.py history SERIES_ID --date D --export X   what export X (file name or the date in
                                               its name) said about D
  main.py history SERIES_ID --revisions [--export X]   the past values each export revised
  --json prints one JSON object instead of a table.

Exit 0 on an answer, 1 with one line on stderr when the series or export is not stored
or a file could not be read, 2 for a usage mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

import numpy as np


def history_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gapwatch history",
        description="What each stored export said about a series: vintages and revisions.")
    p.add_argument("series_id", nargs="?", help="series id, e.g. desk_positioning:Positions:RTY")
    p.add_argument("--record", nargs="+", metavar="FILE", help="store these files' exports")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the observation day asked about")
    p.add_argument("--export", metavar="FILE|YYYY-MM-DD", help="only this export")
    p.add_argument("--revisions", action="store_true", help="list revised past values")
    p.add_argument("--store", metavar="PATH", help="store file (default: the app's data folder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def run_history(args: argparse.Namespace) -> int:
    from core.vintages import StoreUnavailable, UnknownSeries, VintageStore

    if not args.record and not args.series_id:
        print("history: give a SERIES_ID, or --record FILE...", file=sys.stderr)
        return 2
    if args.date is not None and not _is_day(args.date):
        print(f"history: --date {args.date!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    try:
        store = VintageStore(args.store)
    except StoreUnavailable as exc:
        print(f"history: {exc}", file=sys.stderr)
        return 1
    with store:
        if args.record:
            return _record(store, args.record, args.json)
        try:
            answer = _answer(store, args)
        except UnknownSeries as exc:
            print(f"history: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
    else:
        _print(answer)
    return 0


def _record(store, files: list[str], as_json: bool) -> int:
    from core.ingest import load_file

    done, failed = [], 0
    for f in files:
        result = load_file(f)
        if not result.ok:
            failed += 1
            err = next((m.text for m in result.messages if m.level == "error"), "no series found")
            print(f"history: {f}: {err}", file=sys.stderr)
            continue
        rec = store.record(result)
        done.append({"file": f, "stored": rec.export is not None, "series": rec.series,
                     "new_days": rec.new_days, "revised": rec.revised})
    if as_json:
        print(json.dumps({"recorded": done}, ensure_ascii=False))
    else:
        for d in done:
            what = (f"{d['series']} series, {d['new_days']} new observations, {d['revised']} "
                    "revised values" if d["stored"] else "already stored (same content)")
            print(f"{d['file']}: {what}")
    return 1 if failed else 0


def _answer(store, args) -> dict:
    from core.vintages import exports_of, revisions, said_about

    sid = args.series_id
    if args.date is not None:
        said = said_about(store, sid, args.date, args.export)
        return {"series": sid, "date": args.date, "said": [
            {**_export(s.export), "value": s.value} for s in said]}
    if args.revisions:
        return {"series": sid, "revisions": [
            {**_export(e), "revised": [asdict(r) for r in rs]}
            for e, rs in revisions(store, sid, args.export)]}
    return {"series": sid, "exports": [
        {**_export(s.export), "count": s.count, "first": s.first_day, "last": s.last_day,
         "new_days": s.new_days, "revised": s.revised} for s in exports_of(store, sid)]}


def _export(e) -> dict:
    return {"file": e.file_name, "export_date": e.export_date, "loaded_at": e.loaded_at}


def _print(answer: dict) -> None:
    print("\n".join(answer_lines(answer)))


def answer_lines(answer: dict) -> list[str]:
    """The answer as the command prints it (and the Data panel shows it)."""
    out = [answer["series"]]
    if "said" in answer:
        for s in answer["said"]:
            value = "no observation" if s["value"] is None else f"{s['value']:g}"
            out.append(f"  {s['file']} (export {s['export_date'] or '-'}, loaded "
                       f"{s['loaded_at']}): {answer['date']} = {value}")
    elif "revisions" in answer:
        for e in answer["revisions"]:
            out.append(f"  {e['file']} (export {e['export_date'] or '-'}): "
                       f"{len(e['revised'])} revised")
            for r in e["revised"]:
                kept = "" if r["applied"] else " (a later export's value kept)"
                out.append(f"    {r['day']}: {r['old']:g} -> {r['new']:g}{kept}")
    else:
        for e in answer["exports"]:
            out.append(f"  {e['file']} (export {e['export_date'] or '-'}, loaded "
                       f"{e['loaded_at']}): {e['count']} observations {e['first']}.."
                       f"{e['last']}, {e['new_days']} new, {e['revised']} revised")
    return out


def vintages_text(series_id: str, store=None) -> str:
    """Every export of a series in the vintage store, then its revisions: the Data
    panel's "Vintages of this series"."""
    from core.vintages import UnknownSeries, VintageStore

    own = store is None
    store = store or VintageStore()
    try:
        exports = _answer(store, argparse.Namespace(series_id=series_id, date=None,
                                                    revisions=False, export=None))
        revised = _answer(store, argparse.Namespace(series_id=series_id, date=None,
                                                    revisions=True, export=None))
    except UnknownSeries:
        return f"{series_id}: no export of this series is in the vintage store yet."
    finally:
        if own:
            store.close()
    lines = answer_lines(exports)
    if len(lines) == 1:
        return f"{series_id}: no export of this series is in the vintage store yet."
    rev = answer_lines(revised)[1:]
    return "\n".join(["Exports:", *lines[1:], "", "Revisions:", *(rev or ["  none"])])


def _is_day(text: str) -> bool:
    try:
        np.datetime64(text, "D")
    except ValueError:
        return False
    return len(text) == 10
