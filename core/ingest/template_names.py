"""Names the user gives templates: ``desk_positioning`` (the automatic name, the file
stem without its export date) can be called ``Positioning desk`` instead, and then every
file of that template gives ``Positioning desk:<sheet>:<column>`` ids.

``migrate_series_ids`` turns ids saved before templates existed (``<file stem>:<sheet>:
<column>``) into today's, so workspaces saved earlier keep their checked series.

Kept as JSON (automatic name -> chosen name) in ``user_config_dir()/template_names.json``,
written atomically. A name may not hold ``:`` (ids are split on it) nor be blank.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from core import paths
from core.ingest.mapping import atomic_write_text
from core.ingest.templates import template_of


class TemplateNames:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.user_config_dir() / "template_names.json"
        self._names: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._names is None:
            try:
                data = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError):
                data = {}
            self._names = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        return self._names

    def name_of(self, automatic: str) -> str:
        """The user's name for a template, else its automatic name."""
        return self._all().get(automatic, automatic)

    def template_for(self, stem: str) -> str:
        """The first part of the ids of a file with this stem."""
        return self.name_of(template_of(stem))

    def rename(self, automatic: str, name: str | None) -> None:
        """Call the template ``name`` from now on (None or ``automatic``: its own name
        again). ``ValueError`` with the reason for a name ids cannot carry."""
        names = dict(self._all())
        if name is None or name.strip() == automatic:
            names.pop(automatic, None)
        else:
            clean = name.strip()
            if not clean or ":" in clean:
                raise ValueError("a template name must not be blank nor contain ':' "
                                 "(series ids are split on it)")
            names[automatic] = clean
        atomic_write_text(self.path, json.dumps(names, indent=1, ensure_ascii=False, sort_keys=True))
        self._names = names

    def digest(self) -> str:
        """Changes whenever a name changes (part of the parse-cache key)."""
        text = json.dumps(self._all(), sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def migrate_series_id(series_id: str, names: TemplateNames | None = None) -> str:
    """An id saved as ``<file stem>:<sheet>:<column>`` -> ``<template>:<sheet>:<column>``.
    Ids already in today's form (and ``cftc:``/``si:`` ids) come back unchanged."""
    stem, sep, rest = series_id.partition(":")
    if not sep:
        return series_id
    return f"{(names or TemplateNames()).template_for(stem)}:{rest}"


def migrate_series_ids(series_ids: list[str], names: TemplateNames | None = None) -> list[str]:
    """``migrate_series_id`` over a workspace's list, first occurrence kept on a clash
    (two dated files of one template that were open together become one series)."""
    names = names or TemplateNames()
    return list(dict.fromkeys(migrate_series_id(s, names) for s in series_ids))
