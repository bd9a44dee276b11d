"""What counts as a correct outcome for a corpus case (shared by the tests and the summary)."""

from __future__ import annotations

from .driver import TIMEOUT_S, Outcome

STATE_KEYS = ("exists", "sha256", "mtime_ns", "size", "lstat_mtime_ns")


def _first_lines(text: str, n: int = 12) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return " | ".join(lines[-n:])


def _messages(o: Outcome) -> list[dict]:
    return o.summary.get("messages", [])


def _describe_messages(o: Outcome, n: int = 3) -> str:
    ms = _messages(o)
    if not ms:
        return "no messages"
    shown = "; ".join(f"{m['level']} file={m['file']!r} sheet={m['sheet']!r} "
                      f"cell={m['cell']!r}: {m['text'][:150]}" for m in ms[:n])
    return f"{len(ms)} messages: {shown}"


def _fingerprints(o: Outcome) -> set[tuple]:
    return {(x.get("sheet"), x.get("column"), x.get("n"), x.get("date_sum"), x.get("value_sum"))
            for x in o.summary.get("checks", {}).get("listed", [])}


def problems(o: Outcome, reference: Outcome | None = None) -> list[str]:
    """Every way this outcome falls short; empty when the case passes. ``reference`` is
    the outcome of ``o.case.same_as`` (the undamaged original), when there is one."""
    case, s = o.case, o.summary
    if o.status != "ok":
        what = s.get("exception") or ""
        detail = o.detail if o.status in ("crash", "timeout") else _first_lines(o.detail)
        return [f"{o.status}: {what} {detail}".strip()]
    out: list[str] = []
    for phase in ("seconds_load1", "seconds_load2"):
        if (s.get(phase) or 0) > TIMEOUT_S:
            out.append(f"{phase} = {s[phase]:.1f} s > {TIMEOUT_S:.0f} s")
    checks = s.get("checks", {})
    for key in ("dates_strictly_increasing_unique", "values_finite_or_nan"):
        for label, c in (("load1", checks), ("load2", s.get("checks_load2", {}))):
            if c and not c.get(key, True):
                bad = c.get("bad_dates") or c.get("bad_values")
                out.append(f"{label}: {key} violated by {bad}")
    naming = [m for m in _messages(o) if m["level"] in ("error", "warning")
              and str(m["file"] or "").endswith(case.path.name)]
    if case.expect == "series" and not o.n_series:
        out.append(f"expected series, got none ({_describe_messages(o)})")
    if (case.expect == "message" or not o.n_series) and not naming:
        out.append(f"no error/warning message whose file ends with {case.path.name!r} "
                   f"({_describe_messages(o)})")
    if case.where_sheet is not None:
        at = [m for m in _messages(o) if m["sheet"] == case.where_sheet
              and (case.where_cell is None or m["cell"] == case.where_cell)]
        if not at:
            where = case.where_sheet + (f"!{case.where_cell}" if case.where_cell else "")
            out.append(f"no message pointing at {where} ({_describe_messages(o, 6)})")
    loaded_sheets = {x.get("sheet") for x in s.get("checks", {}).get("listed", [])}
    for sheet in case.good_sheets:
        if sheet not in loaded_sheets:
            out.append(f"good sheet {sheet[:40]!r} yielded no series (sheets loaded: "
                       f"{sorted(str(x)[:40] for x in loaded_sheets)}; {_describe_messages(o)})")
    if s.get("leak"):
        out.append("contents of /etc/passwd leaked into series names or messages (XXE)")
    states = s.get("states", [])
    for i, st in enumerate(states[1:], start=1):
        before = {k: states[0].get(k) for k in STATE_KEYS}
        after = {k: st.get(k) for k in STATE_KEYS}
        if before != after:
            out.append(f"source file changed by load {i}: {before} -> {after}")
    warned = any(m["level"] in ("error", "warning") for m in _messages(o))
    if reference is not None and reference.status == "ok" and o.n_series and not warned:
        extra = _fingerprints(o) - _fingerprints(reference)
        if extra:
            out.append(f"damaged copy loaded without any warning but its series differ from "
                       f"the original's ({case.same_as}): {sorted(str(x) for x in extra)[:3]}")
    if s.get("same_series_load2") is False:
        out.append(f"second (cached) load differs: {s.get('n_series')} series, "
                   f"then {s.get('n_series_load2')}")
    return out
