"""The dated exports of one template -> one history per series id.

Files whose names differ only by their export date (``templates.template_of``) give the
same ids. They are one template when their sheets are the same and, sheet by sheet, the
columns of one are among the columns of the other (a column added to next week's
export just adds a series; a renamed sheet or column makes another template). Then:

- each id's observations are joined by date, the later export (by the date in its name,
  else the order given) winning where both have a date;
- the later file's result gets one message saying what it added and which past values
  it revised, and ``merge_templates`` returns those changes per file as
  ``diff.SeriesChange`` (what a reload reports), for the Data panel to highlight;
- the merged series (meta ``files``: the exports it came from, oldest first) replaces
  the id in every result that had it, as ``cftc_merge`` does for CFTC years.

Files that share a template name but not its sheets and columns keep their own stem in
their ids (``<file stem>:<sheet>:<column>``), with a message, so nothing collides.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

import numpy as np

from core.catalog import LoadResult
from core.ingest.cftc_merge import merge_cftc
from core.ingest.diff import SeriesChange, diff_series
from core.ingest.template_names import TemplateNames
from core.ingest.templates import split_stem
from core.messages import Message
from core.series import Series, SeriesSource, infer_frequency

Changes = dict[str, list[SeriesChange]]


def merge_histories(results: list[LoadResult]) -> Changes:
    """Every cross-file merge, in place: CFTC years, then the exports of each template.
    Returns, per file, what it changed in the histories it continued."""
    merge_cftc(results)
    return merge_templates(results)


def merge_templates(results: list[LoadResult], names: TemplateNames | None = None) -> Changes:
    names = names or TemplateNames()
    groups: dict[str, list[int]] = {}
    for i, res in enumerate(results):
        template = names.template_for(_stem(res))
        if _own_series(res, template):
            groups.setdefault(template, []).append(i)
    changes: Changes = {}
    for template, members in groups.items():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda i: (_export_day(results[i]), i))
        anchor = ordered[-1]  # the latest export defines the template's layout
        same = [i for i in ordered if i == anchor or _compatible(results[i], results[anchor], template)]
        for i in ordered:
            if i not in same:
                _keep_own_ids(results[i], results[anchor], template)
        if len(same) > 1:
            changes.update(_merge_group(template, [results[i] for i in same], results))
    return changes


def _merge_group(template: str, group: list[LoadResult], results: list[LoadResult]) -> Changes:
    """``group`` oldest export first."""
    history: dict[str, Series] = {}
    files: dict[str, list[str]] = {}
    changes: Changes = {}
    for k, res in enumerate(group):
        found: list[SeriesChange] = []
        for s in _own_series(res, template):
            files.setdefault(s.id, []).append(res.file)
            before = history.get(s.id)
            history[s.id] = s if before is None else _later_wins(before, s)
            if before is not None:
                change = diff_series(before, history[s.id])
                if change is not None:
                    found.append(change)
            elif k:
                found.append(SeriesChange(s.id, "added", dates_added=s.dates.copy()))
        if k:
            changes[res.file] = found
            res.messages.append(_continuation_message(res, group[k - 1], template, found))
    merged = {sid: replace(s, meta={**s.meta, "files": files[sid]}) for sid, s in history.items()
              if len(files[sid]) > 1}
    for res in results:
        res.series = [merged.get(s.id, s) for s in res.series]
    return changes


def _later_wins(before: Series, later: Series) -> Series:
    dates = np.concatenate([before.dates, later.dates]).astype(np.int64)
    values = np.concatenate([before.values, later.values])
    order = np.argsort(dates, kind="stable")  # ties: the later export comes second
    dates, values = dates[order], values[order]
    keep = np.append(dates[1:] != dates[:-1], True)
    dates = dates[keep].view("datetime64[D]")
    return replace(later, dates=dates, values=values[keep], frequency=infer_frequency(dates),
                   source=SeriesSource(later.source.file, later.source.sheet, later.source.column))


def _continuation_message(res: LoadResult, earlier: LoadResult, template: str,
                          found: list[SeriesChange]) -> Message:
    new_dates = {int(d) for c in found for d in c.dates_added.astype(np.int64)}
    new_series = [c.series_id for c in found if c.status == "added"]
    revised = [(c.series_id, r) for c in found for r in c.revisions]
    parts = [f"{len(new_dates)} new dates" if new_dates else "no new dates"]
    if new_series:
        parts.append(f"{len(new_series)} new series ({', '.join(new_series[:3])}"
                     f"{' …' if len(new_series) > 3 else ''})")
    if revised:
        sid, (day, old, new) = revised[0]
        parts.append(f"{len(revised)} past values revised (e.g. {sid} {day}: {old:g} -> {new:g}); "
                     "this export's values kept")
    else:
        parts.append("no past values revised")
    return Message("warning" if revised else "info", _name(res), None, None,
                   f"continues {_name(earlier)} (template '{template}'): " + ", ".join(parts))


def _keep_own_ids(res: LoadResult, anchor: LoadResult, template: str) -> None:
    stem = _stem(res)
    prefix = f"{template}:"
    res.series = [replace(s, id=f"{stem}:{s.id[len(prefix):]}") if s.id.startswith(prefix) else s
                  for s in res.series]
    ours, theirs = _signature(res, stem), _signature(anchor, template)
    if set(ours) != set(theirs):
        why = (f"sheets differ: this file has {', '.join(map(repr, sorted(set(ours) - set(theirs))))}, "
               f"{_name(anchor)} has {', '.join(map(repr, sorted(set(theirs) - set(ours))))}")
    else:
        sheet = next(k for k in ours if not (ours[k] <= theirs[k] or theirs[k] <= ours[k]))
        why = f"the columns of sheet {sheet!r} differ, beyond columns added"
    res.messages.append(Message(
        "info", _name(res), None, None,
        f"not the same template as {_name(anchor)} ({why}); its series keep this file's own "
        f"name in their ids ({stem}:…)"))


def _compatible(a: LoadResult, b: LoadResult, template: str) -> bool:
    sa, sb = _signature(a, template), _signature(b, template)
    return set(sa) == set(sb) and all(sa[k] <= sb[k] or sb[k] <= sa[k] for k in sa)


def _signature(res: LoadResult, template: str) -> dict[str, set[str]]:
    """Sheet -> the columns its series came from."""
    out: dict[str, set[str]] = {}
    for s in _own_series(res, template):
        out.setdefault(s.source.sheet or "", set()).add(s.source.column or s.id)
    return out


def _own_series(res: LoadResult, template: str) -> list[Series]:
    prefix = f"{template}:"
    return [s for s in res.series if s.id.startswith(prefix) and not s.id.startswith("cftc")]


def _stem(res: LoadResult) -> str:
    return PurePath(res.file.replace("\\", "/")).stem


def _export_day(res: LoadResult) -> int:
    day = split_stem(_stem(res)).date
    return day.toordinal() if day is not None else 0


def _name(res: LoadResult) -> str:
    return res.file.replace("\\", "/").rsplit("/", 1)[-1]


def notice_text(file: str, changes: list[SeriesChange]) -> str:
    """One line for a non-modal notice after an export arrived, e.g.
    ``desk_positioning_2025-07-29.xlsx: 3 new dates, 2 revised values, 1 new series``."""
    new_dates = {int(d) for c in changes for d in c.dates_added.astype(np.int64) if c.status != "added"}
    revised = sum(len(c.revisions) for c in changes)
    new_series = sum(1 for c in changes if c.status == "added")
    parts = [f"{len(new_dates)} new date{'s' if len(new_dates) != 1 else ''}",
             f"{revised} revised value{'s' if revised != 1 else ''}"]
    if new_series:
        parts.append(f"{new_series} new series")
    return f"{file.replace(chr(92), '/').rsplit('/', 1)[-1]}: " + ", ".join(parts)
