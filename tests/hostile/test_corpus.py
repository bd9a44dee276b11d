"""Every hostile corpus case through ``core.ingest.load_file`` in child processes.

Per case (see ``verdict.problems``): the child exits normally within 10 s per load; no
exception escapes ``load_file``; every series has strictly increasing unique dates and
finite-or-NaN values; expected series are there (including the good sheets of partly bad
workbooks); a file that yields nothing gets an error/warning naming it (and the sheet or
cell where the case says so); no /etc/passwd text leaks in; the source file's bytes and
mtime are unchanged after a load and after a second (cached) load, which returns the
same series.

The corpus is built once per session into a temp folder and only the selected cases run,
two child processes at a time, many cases per child.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .driver import Outcome, run_cases
from .make_corpus import build_corpus, case_specs

SPECS = case_specs()
THIS_FILE = Path(__file__).name
PIECE_CASES = [s.name for s in SPECS if s.name.startswith("big_")]


@pytest.fixture(scope="session")
def corpus_outcomes(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    selected = {item.callspec.params["case_name"] for item in request.session.items
                if item.nodeid.split("::")[0].endswith(THIS_FILE) and hasattr(item, "callspec")
                and "case_name" in item.callspec.params}
    if any(item.name == "test_big_part_cases_load_the_same_when_cut_into_pieces"
           for item in request.session.items):
        selected |= set(PIECE_CASES)
    selected |= {s.same_as for s in SPECS if s.name in selected and s.same_as}
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    home.mkdir()
    cases = build_corpus(root / "corpus", only=selected)
    return run_cases(cases, home)


@pytest.mark.parametrize("case_name", [s.name for s in SPECS], ids=[s.name for s in SPECS])
def test_hostile_case(case_name: str, corpus_outcomes: dict[str, Outcome]) -> None:
    from .verdict import problems

    outcome = corpus_outcomes[case_name]
    found = problems(outcome, corpus_outcomes.get(outcome.case.same_as or ""))
    case = outcome.case
    head = f"{case.name} [{case.category}, expect {case.expect}] {case.path.name!r}:\n  "
    assert not found, head + "\n  ".join(found)


@pytest.fixture(scope="session")
def piece_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The big-part cases again, each part cut into three pieces (``sheet_pieces``)."""
    root = tmp_path_factory.mktemp("hostile_pieces")
    home = root / "home"
    home.mkdir()
    cases = build_corpus(root / "corpus", only=set(PIECE_CASES))
    return run_cases(cases, home, extra_env={"GAPWATCH_SHEET_PIECES": "3"})


def test_big_part_cases_load_the_same_when_cut_into_pieces(
        corpus_outcomes: dict[str, Outcome], piece_outcomes: dict[str, Outcome]) -> None:
    """Cutting a checked part into pieces read in parallel changes nothing a user sees:
    the same series (ids, lengths, first/last dates, value and date sums), the same
    messages, and the cases' own checks still pass."""
    from .verdict import problems

    assert len(PIECE_CASES) >= 15
    differ = []
    for name in PIECE_CASES:
        plain, cut = corpus_outcomes[name], piece_outcomes[name]
        found = problems(cut, None)
        keys = ("status", "n_series", "messages")
        listed = [o.summary.get("checks", {}).get("listed") for o in (plain, cut)]
        same = all(plain.summary.get(k) == cut.summary.get(k) for k in keys) and \
            listed[0] == listed[1]
        if found or not same or plain.status != cut.status:
            differ.append(f"{name}: {found or 'differs from the plain load'}")
    assert not differ, "\n".join(differ)
