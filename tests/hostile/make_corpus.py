"""The hostile and broken input corpus: specs, and ``build_corpus`` writing them to disk.

Nothing here is committed as a binary: every file is generated into a temporary folder at
test time, deterministically (fixed seeds, fixed zip timestamps) and cheaply (the
million-row sheet, the 16,384-column sheet and the zip bombs are streamed raw XML).

``case_specs()`` lists the cases without writing anything (pytest parametrises over it at
collection time); ``build_corpus(dest)`` writes them and returns ``Case`` records.

``expect`` says what a correct loader must produce:
- ``"series"``: at least one series (messages allowed);
- ``"message"``: at least one error/warning message naming the file (series allowed);
- ``"either"``: series, or an error/warning message naming the file.
``good_sheets`` names sheets whose series must load even though another sheet is bad;
``where_sheet``/``where_cell`` is where a message must point. ``same_as`` names the case
holding the undamaged original of a damaged zip: whatever loads from the damaged copy
without an error or warning must be exactly the original's series (zip members carry
CRCs, so silent corruption is a reader bug).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Expect = Literal["series", "message", "either"]
Writer = Callable[[Path], None]


@dataclass(frozen=True)
class CaseSpec:
    name: str
    category: str
    filename: str
    expect: Expect
    write: Writer
    good_sheets: tuple[str, ...] = ()
    where_sheet: str | None = None
    where_cell: str | None = None
    same_as: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    path: Path
    expect: Expect
    good_sheets: tuple[str, ...] = ()
    where_sheet: str | None = None
    where_cell: str | None = None
    same_as: str | None = None


def case_specs() -> list[CaseSpec]:
    """Every case, in a fixed order, without touching the disk."""
    from . import (
        corpus_attack,
        corpus_binary_books,
        corpus_content,
        corpus_damage,
        corpus_far,
        corpus_structure,
        corpus_text,
    )

    specs: list[CaseSpec] = []
    for module in (corpus_damage, corpus_attack, corpus_content, corpus_structure, corpus_text, corpus_far,
                   corpus_binary_books):
        specs.extend(module.specs())
    names = [s.name for s in specs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"duplicate case names: {sorted(dupes)}")
    files = [s.filename for s in specs]
    if len(set(files)) != len(files):
        raise ValueError("duplicate case file names")
    return specs


def build_corpus(dest: Path, *, only: set[str] | None = None) -> list[Case]:
    """Write every case (or the named ones) into ``dest`` and return them."""
    dest.mkdir(parents=True, exist_ok=True)
    cases = []
    for spec in case_specs():
        if only is not None and spec.name not in only:
            continue
        path = dest / spec.filename
        spec.write(path)
        cases.append(Case(spec.name, spec.category, path, spec.expect, spec.good_sheets,
                          spec.where_sheet, spec.where_cell, spec.same_as))
    return cases


def main() -> None:
    import sys
    import tempfile

    dest = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile_"))
    t0 = time.perf_counter()
    cases = build_corpus(dest)
    took = time.perf_counter() - t0
    by_cat: dict[str, int] = {}
    for c in cases:
        by_cat[c.category] = by_cat.get(c.category, 0) + 1
    for cat, n in sorted(by_cat.items()):
        print(f"{cat:14s} {n:4d}")
    print(f"{'total':14s} {len(cases):4d}  built in {took:.1f} s into {dest}")


if __name__ == "__main__":
    main()
