"""Workspace files: which files are open, the checked series, windows A/B, lookback,
alignment and the dock layout (base64), as JSON written atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from gui import core_api

FORMAT = "gapwatch-workspace"
VERSION = 1


@dataclass
class Workspace:
    files: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    window_a: tuple[str, str] | None = None
    window_b: tuple[str, str] | None = None
    lock_b: bool = True
    lookback_years: float = 3.0
    alignment: str = "asof"
    layout: str = ""      # QMainWindow.saveState(), base64
    geometry: str = ""    # QMainWindow.saveGeometry(), base64
    navigator_series: str | None = None
    public: bool = False  # the stored public data was open: reopened from the store

    def to_json(self) -> str:
        data = {"format": FORMAT, "version": VERSION, **self.__dict__}
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Workspace:
        """Raises ValueError (never TypeError/KeyError) for anything that is not a
        workspace this version can read: the caller shows one dialog for all of them."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a Gapwatch workspace file")
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        for key in ("files", "checked"):
            value = known.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"workspace field {key!r} is not a list of names")
        for key in ("window_a", "window_b"):
            value = known.get(key)
            if value is None:
                continue
            if not isinstance(value, list) or len(value) != 2 or \
                    not all(isinstance(v, str) for v in value):
                raise ValueError(f"workspace field {key!r} is not [start, end]")
            known[key] = tuple(value)
        # ids saved before the files of one template shared them (file stem -> template)
        known["checked"] = core_api.migrate_series_ids(known.get("checked", []))
        if isinstance(known.get("navigator_series"), str):
            known["navigator_series"] = core_api.migrate_series_id(known["navigator_series"])
        try:
            return cls(**known)
        except TypeError as exc:  # a field this version does not expect in that shape
            raise ValueError(f"workspace file not readable: {exc}") from None


def capture(session, layout: str = "", geometry: str = "",
            navigator_series: str | None = None) -> Workspace:
    def win(w):
        return None if w is None else tuple(str(d) for d in core_api.bounds(w))

    files = list(session.files)
    return Workspace(files=[f for f in files if not core_api.is_public_group(f)],
                     public=any(core_api.is_public_group(f) for f in files),
                     checked=list(session.checked),
                     window_a=win(session.window_a), window_b=win(session.window_b),
                     lock_b=session.lock_b, lookback_years=session.lookback_years,
                     alignment=session.alignment, layout=layout, geometry=geometry,
                     navigator_series=navigator_series)


def save(path: str, ws: Workspace) -> None:
    core_api.atomic_write_text(path, ws.to_json())


def load(path: str) -> Workspace:
    with open(path, encoding="utf-8") as fh:
        return Workspace.from_json(fh.read())


def apply_state(session, ws: Workspace) -> None:
    """Windows, lookback, checks and lock, once the workspace's files are loaded."""
    session.set_lookback(ws.lookback_years)
    if ws.alignment != session.alignment:
        session.set_alignment(ws.alignment)
    known = set(session.catalog.ids)
    checked = [sid for sid in ws.checked if sid in known]
    if checked:
        session.set_checked(checked)
    session.lock_b = ws.lock_b
    session.lockChanged.emit(ws.lock_b)
    if ws.window_a and ws.window_b:
        session.set_windows(core_api.make_window(*ws.window_a),
                            core_api.make_window(*ws.window_b), text="Open workspace")
