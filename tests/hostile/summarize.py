"""Build the hostile corpus, run every case, print a table per category.

    .venv/bin/python -m tests.hostile.summarize [--workers 2] [--only NAME ...] [--json OUT]
    .venv/bin/python tests/hostile/summarize.py

Columns: cases, outcomes (series / message only / nothing / raised / crash / timeout),
expectation failures (see ``verdict``), slowest case and its time. Failures are listed
below the table with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.hostile"  # noqa: A001

from .driver import Outcome, run_cases  # noqa: E402
from .make_corpus import build_corpus, case_specs  # noqa: E402
from .verdict import problems as case_problems  # noqa: E402

KINDS = ["series", "message only", "nothing", "raised", "import_error", "crash", "timeout"]


def table(outcomes: list[Outcome], problems) -> str:
    cats: dict[str, list[Outcome]] = {}
    for o in outcomes:
        cats.setdefault(o.case.category, []).append(o)
    kinds = [k for k in KINDS if any(o.kind == k for o in outcomes)] or ["series"]
    head = ["category", "cases", *kinds, "failing", "slowest case", "s"]
    rows = []
    for cat in sorted(cats):
        rows.append(_row(cat, cats[cat], kinds, problems))
    rows.append(_row("TOTAL", outcomes, kinds, problems))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    lines = [fmt(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


def _row(label: str, group: list[Outcome], kinds: list[str], problems) -> list[str]:
    slow = max(group, key=lambda o: o.seconds)
    counts = [str(sum(o.kind == k for o in group)) for k in kinds]
    failing = str(sum(bool(problems(o)) for o in group))
    return [label, str(len(group)), *counts, failing, slow.case.name, f"{slow.seconds:.2f}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", nargs="*", help="case names to run")
    ap.add_argument("--json", type=Path, help="write every outcome summary here")
    args = ap.parse_args(argv)
    only = set(args.only) if args.only else None
    if only:
        only |= {s.same_as for s in case_specs() if s.name in only and s.same_as}
    with tempfile.TemporaryDirectory(prefix="gapwatch_hostile_") as tmp:
        t0 = time.perf_counter()
        cases = build_corpus(Path(tmp) / "corpus", only=only)
        built = time.perf_counter() - t0
        home = Path(tmp) / "home"
        home.mkdir()
        t1 = time.perf_counter()
        outcomes = run_cases(cases, home, workers=args.workers)
        ran = time.perf_counter() - t1
    ordered = [outcomes[c.name] for c in cases if c.name in outcomes]

    def problems(o: Outcome) -> list[str]:
        return case_problems(o, outcomes.get(o.case.same_as or ""))

    print(table(ordered, problems))
    print(f"\n{len(cases)} cases; corpus built in {built:.1f} s, "
          f"run in {ran:.1f} s with {args.workers} workers")
    failing = [(o, problems(o)) for o in ordered if problems(o)]
    if failing:
        print(f"\n{len(failing)} failing cases:")
        for o, probs in failing:
            head = f"- {o.case.name} [{o.case.category}, expect {o.case.expect}]: "
            print(head + "; ".join(probs))
    if args.json:
        dump = [{"name": o.case.name, "category": o.case.category, "expect": o.case.expect,
                 "status": o.status, "kind": o.kind, "problems": problems(o), "detail": o.detail,
                 "summary": o.summary} for o in ordered]
        args.json.write_text(json.dumps(dump, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
