"""Once per window step, everything the views show: computed here, emitted once.

The session moves the windows and computes the engine's comparison; this module turns
that step into one :class:`LiveResults` (the comparison, the positioning gap, the
rebase of every relative line and price curve, the desk note, the rate-cut odds at the
window ends) and emits it with its phase, so throttling lives in one place and the
views only draw (napari's layer slicer and glue's ``delay_callback`` follow the same
idea: one owner decides when work runs, views react to its result).

Cost per part decides its schedule during a mouse drag:
- comparison, gap, relative and price rebase: every step, synchronously inside the
  move, so every view takes the step before the one repaint that follows;
- the note's sentences (costlier than the figures): at most every ``NOTE_THROTTLE_MS``
  (<= 25 Hz) during a drag;
- the rate-cut odds (re-pricing the futures curve, 15-35 ms on the sample): when the
  drag rests ``RATES_REST_MS``, and at release.
Settled steps (release, undo, presets, lookback, loads) compute every part at once.
``changed`` names the parts recomputed in an emission; the rest keep their last value.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from core.analytics.note import desk_note
from core.analytics.results import Comparison, GapResult
from core.analytics.window import Window
from core.markets import choose_pairs
from core.rates.fedwatch_matrix import FedWatchMatrix, matrix_from_block
from core.pipeline import DERIVED_RATES_FILE
from core.rates.odds_pricer import OddsPricer, odds_unavailable_reason

if TYPE_CHECKING:
    from gui.session import Session

NOTE_THROTTLE_MS = 40
RATE_NOTE_AT = 5  # the odds' sentence: sixth, the last shown before the note's "More"
RATES_REST_MS = 150

# the parts an emission can carry
COMPARISON, GAP, RELATIVE, NOTE, RATES, RELEASE = (
    "comparison", "gap", "relative", "note", "rates", "release")
STEP_PARTS = frozenset({COMPARISON, GAP, RELATIVE})


class Phase(enum.Enum):
    DRAGGING = "dragging"  # a mouse drag is moving a window: views skip optional work
    SETTLED = "settled"    # anything else: views catch up (range follow, re-sort)


@dataclass(frozen=True)
class RelativeLine:
    """a / b over every date both series have (engine.relative over the whole span)."""

    cid: str
    label: str
    dates: np.ndarray   # datetime64[D]
    values: np.ndarray  # float64, finite


@dataclass(frozen=True)
class LiveResults:
    serial: int                     # the window step these figures belong to
    phase: Phase
    changed: frozenset[str]         # parts recomputed in this emission
    window_a: Window | None = None
    window_b: Window | None = None
    comparison: Comparison | None = None
    gap: GapResult | None = None
    # 100 / value at A's start of each checked price series (nan: no value in A)
    price_scale: dict[str, float] = field(default_factory=dict)
    # 100 / line value at A's first join date of each relative line (nan: none in A)
    relative_scale: dict[str, float] = field(default_factory=dict)
    # the same at B's start: B's curves drawn over A's dates, rebased at B's start
    price_scale_b: dict[str, float] = field(default_factory=dict)
    relative_scale_b: dict[str, float] = field(default_factory=dict)
    note: tuple[str, ...] = ()
    rate_blocks: dict[str, dict | None] = field(default_factory=lambda: {"A": None, "B": None})
    rates_reason: str = ""          # why there are no odds at A's end ("" when there are)
    # the FedWatch matrices at A's and B's ends (core.rates.fedwatch_matrix), or None
    rate_matrices: tuple[FedWatchMatrix | None, FedWatchMatrix | None] = (None, None)
    rate_note: tuple[str, ...] = ()  # the timing sentence(s) at A's end ("a first cut by ...")

    @property
    def sentences(self) -> tuple[str, ...]:
        """The note as shown and exported: the odds' timing sentence goes in among the
        first (the desk leads with positioning, the gap, short interest, the rally and
        the odds), at the last place the note shows before "More"."""
        at = min(len(self.note), RATE_NOTE_AT)
        return (*self.note[:at], *self.rate_note, *self.note[at:])

    @property
    def dragging(self) -> bool:
        return self.phase is Phase.DRAGGING

    def has(self, part: str) -> bool:
        return part in self.changed


@dataclass(frozen=True)
class Structure:
    """What depends on the engine and the checked series, not on the windows."""

    pairs: tuple[tuple[str, str], ...]
    gap_pair: tuple[str, str] | None
    relative: tuple[RelativeLine, ...]


class LiveResultsComputer(QObject):
    updated = Signal(object)  # LiveResults

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.pricer = OddsPricer()
        self.latest = LiveResults(serial=0, phase=Phase.SETTLED, changed=frozenset())
        self._serial = 0
        self._structure_key: tuple | None = None
        self._structure = Structure((), None, ())
        self._extremes_key: tuple | None = None
        self._extremes: dict[str, tuple[float, float]] = {}
        self._rates_dates: tuple | None = None
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_THROTTLE_MS)
        self._note_timer.timeout.connect(lambda: self._emit({NOTE}))
        self._rates_timer = QTimer(self)
        self._rates_timer.setSingleShot(True)
        self._rates_timer.setInterval(RATES_REST_MS)
        self._rates_timer.timeout.connect(lambda: self._emit({RATES}))

    # -- what the session calls ----------------------------------------------------------
    def step(self) -> None:
        """The session computed a new comparison: emit this step's results."""
        self._serial += 1
        parts = set(STEP_PARTS)
        if not self.session.dragging:
            self._note_timer.stop()
            self._rates_timer.stop()
            parts |= {NOTE, RATES}
        else:
            if not self._note_timer.isActive():
                self._note_timer.start()
            if self._rates_dates != self._window_ends():
                self._rates_timer.start()  # (re)start: fires once the drag rests
        self._emit(parts)

    def release(self) -> None:
        """The mouse was released: what waited for the drag to end is computed now."""
        self._note_timer.stop()
        self._rates_timer.stop()
        self._emit({NOTE, RATES, RELEASE})

    def flush(self) -> None:
        """Compute what a timer is waiting for, now (screenshots, exports, tests)."""
        pending = set()
        if self._note_timer.isActive():
            self._note_timer.stop()
            pending.add(NOTE)
        if self._rates_timer.isActive():
            self._rates_timer.stop()
            pending.add(RATES)
        if pending:
            self._emit(pending)

    def refresh(self, parts: set[str]) -> None:
        """Compute ``parts`` again now, whatever their schedule."""
        if RATES in parts:
            self._rates_dates = None
        self._emit(set(parts))

    def invalidate(self) -> None:
        """The catalog changed: odds and structure are computed afresh."""
        self._rates_dates = None
        self.pricer.forget()
        self._structure_key = None
        self._extremes_key = None

    # -- services for the views ----------------------------------------------------------
    def structure(self) -> Structure:
        s = self.session
        # identities, not contents: called several times per drag step, it must not walk
        # the checked series each time (the session replaces its checked list on change)
        key = (s.engine, s.alignment, s.catalog, s.catalog.version, s.checked)
        if self._structure_key is None or any(
                a is not b for a, b in zip(key, self._structure_key, strict=True)):
            self._structure_key = key
            prices = tuple(sid for sid in s.checked
                           if (x := s.series(sid)) is not None and x.kind == "price")
            self._structure = self._build_structure(prices)
        return self._structure

    def visible_extremes(self, sids: tuple[str, ...], lo: np.datetime64, hi: np.datetime64
                         ) -> dict[str, tuple[float, float]]:
        """(min, max) of each series over [lo, hi] (a chart's visible dates), once per
        span: the engine's range-extreme tables, no data scan."""
        engine = self.session.engine
        key = (engine, lo, hi, sids)
        if key != self._extremes_key:
            self._extremes_key = key
            self._extremes = {}
            if engine is not None:
                table = engine.figures(Window(lo, hi))
                self._extremes = {sid: (table.number(sid, "min"), table.number(sid, "max"))
                                  for sid in sids}
        return self._extremes

    # -- computing -----------------------------------------------------------------------
    def _emit(self, parts: set[str]) -> None:
        s = self.session
        prev = self.latest
        ready = s.engine is not None and s.window_a is not None and s.comparison is not None
        values = {"serial": self._serial, "phase": Phase.DRAGGING if s.dragging
                  else Phase.SETTLED, "changed": frozenset(parts),
                  "window_a": s.window_a, "window_b": s.window_b,
                  "comparison": s.comparison}
        if COMPARISON in parts:
            values["price_scale"] = self._price_scale(s.comparison.a) if ready else {}
            values["price_scale_b"] = self._price_scale(s.comparison.b) \
                if ready and s.comparison.b is not None else {}
        if GAP in parts:
            values["gap"] = self._gap() if ready else None
        if RELATIVE in parts:
            values["relative_scale"] = self._relative_scale(s.window_a) if ready else {}
            values["relative_scale_b"] = self._relative_scale(s.window_b) \
                if ready and s.window_b is not None else {}
        if NOTE in parts:
            values["note"] = tuple(desk_note(s.engine, s.catalog, s.comparison,
                                             focus=s.checked)) if ready else ()
        if RATES in parts:
            blocks, reason = self._rates()
            values["rate_blocks"], values["rates_reason"] = blocks, reason
            values["rate_matrices"] = (matrix_from_block(blocks["A"]),
                                       matrix_from_block(blocks["B"]))
            values["rate_note"] = self.rate_note(blocks["A"])
        merged = {**prev.__dict__, **values}
        self.latest = LiveResults(**merged)
        self.updated.emit(self.latest)

    @staticmethod
    def rate_note(block: dict | None) -> tuple[str, ...]:
        """The timing sentence(s) of the odds at A's end ("a first cut by September")."""
        timing = (block or {}).get("timing") or []
        return tuple(t["sentence"] for t in timing if t.get("sentence"))

    def _window_ends(self) -> tuple:
        a, b = self.session.window_a, self.session.window_b
        return (a.end if a is not None else None, b.end if b is not None else None)

    def _rates(self) -> tuple[dict[str, dict | None], str]:
        s = self.session
        ends = self._window_ends()
        if ends == self._rates_dates:
            return self.latest.rate_blocks, self.latest.rates_reason
        self._rates_dates = ends
        blocks: dict[str, dict | None] = {"A": None, "B": None}
        if s.catalog.series_of_file(DERIVED_RATES_FILE):
            for which, end in zip(("A", "B"), ends, strict=True):
                blocks[which] = self.pricer.block(s.catalog, end) if end is not None else None
        a = blocks["A"]
        reason = "" if a and a.get("meetings") else odds_unavailable_reason(s.catalog, ends[0])
        return blocks, reason

    def _price_scale(self, table) -> dict[str, float]:
        s = self.session
        out = {}
        for sid in s.checked:
            x = s.series(sid)
            if x is not None and x.kind == "price":
                base = table.number(sid, "start_value")
                out[sid] = 100.0 / base if base else math.nan
        return out

    def _gap(self) -> GapResult | None:
        pair = self.structure().gap_pair
        if pair is None:
            return None
        return self.session.engine.gap(pair[0], pair[1], self.session.window_a)

    def _relative_scale(self, a: Window) -> dict[str, float]:
        out = {}
        for line in self.structure().relative:
            i = int(np.searchsorted(line.dates, a.start, side="left"))
            ok = i < len(line.dates) and line.dates[i] <= a.end and line.values[i] != 0
            out[line.cid] = 100.0 / float(line.values[i]) if ok else math.nan
        return out

    def _build_structure(self, prices: tuple[str, ...]) -> Structure:
        s = self.session
        if s.engine is None:
            return Structure((), None, ())
        price_series = [x for sid in prices if (x := s.series(sid)) is not None]
        pairs = tuple(choose_pairs(price_series).relative)
        gap_pair = choose_pairs(list(s.catalog)).gap
        span = s.data_span()
        names = {x.id: x.name for x in s.catalog}
        lines = []
        for a, b in pairs:
            dates, values = np.empty(0, "datetime64[D]"), np.empty(0)
            if span is not None:
                r = s.engine.relative(a, b, Window(*span))
                line = np.asarray(r.line, dtype=np.float64)
                ok = np.isfinite(line)
                dates, values = np.asarray(r.dates, dtype="datetime64[D]")[ok], line[ok]
            lines.append(RelativeLine(f"{a}/{b}", f"{names.get(a, a)} / {names.get(b, b)}",
                                      dates, values))
        return Structure(pairs, tuple(gap_pair) if gap_pair else None, tuple(lines))
