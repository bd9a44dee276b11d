"""``python main.py series FILE... [--json] [--public]``: what Gapwatch reads from files
(and, with ``--public``, from the stored public data: same ids as the files opened).

JSON: one object ``{"series": [Series.describe() ...], "messages": [Message.to_dict() ...]}``.
Exit 0 when every file could be read (warnings included); 1 with a one-line message on
stderr naming the file when one could not (missing, unreadable, no series).
"""

from __future__ import annotations

import json
import sys

from core.ingest import load_files


def run_series(paths: list[str], as_json: bool, public: bool = False) -> int:
    if not paths and not public:
        print("series: no files given", file=sys.stderr)
        return 2
    results = load_files(paths) if paths else []
    if public:
        results += _public_results()
    # a history merged across files (CFTC years, weekly exports of one template) is in
    # every result that had it: list it once
    series = list({s.id: s for r in results for s in r.series}.values())
    messages = [m for r in results for m in r.messages]
    if as_json:
        print(json.dumps({"series": [s.describe() for s in series],
                          "messages": [m.to_dict() for m in messages]}, ensure_ascii=False))
    else:
        _print_table(series, messages)
    failed = [r for r in results if not r.ok]
    for r in failed:
        err = next((m.text for m in r.messages if m.level == "error"), "no series found")
        print(f"series: {r.file}: {err}", file=sys.stderr)
    return 1 if failed else 0


def _public_results() -> list:
    from core.public_data import public_results

    found = public_results()
    if not found:
        print("series: --public: nothing stored yet (run: main.py fetch all)", file=sys.stderr)
    return found


def _print_table(series: list, messages: list) -> None:
    rows = [(s.id, s.name, s.unit, s.frequency.value, str(s.first_date), str(s.last_date), str(len(s)))
            for s in series]
    head = ("id", "name", "unit", "frequency", "first", "last", "count")
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(head)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for r in rows:
        print("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)))
    if messages:
        print()
        for m in messages:
            print(str(m))
