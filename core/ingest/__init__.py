"""Ingestion: desk files (xlsx/xlsm/xls/csv/txt, CFTC COT reports) -> Series + Messages.

Public API:
- ``load_file(path, *, mapping=None, use_cache=True, progress=None, cancel=None) -> LoadResult``
- ``load_files(paths, *, progress=None, cancel=None, use_cache=True) -> list[LoadResult]``
  (CFTC series with the same id across files, and the dated exports of one template, are
  merged into one history: ``merge_histories``)
- ``catalog_from_files(paths) -> Catalog``
- ``diff_results(old, new) -> list[SeriesChange]`` for a reloaded file
- ``SheetMapping``, ``FileMapping``, ``TemplateStore``, ``template_signature`` for the
  user's layout corrections; ``Cancelled`` raised when ``cancel()`` returns True.

Series ids: ``<template>:<sheet>:<column header>`` (sheet ``csv`` for text files; the
template is the file stem without its export date, ``templates.template_of``),
``cftc:<code>:<class>:<measure>`` and ``cftc:<code>:open_interest`` for CFTC reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from core.catalog import Catalog, LoadResult
from core.ingest.cache import PARSER_VERSION
from core.ingest.cftc_merge import merge_cftc
from core.ingest.diff import SeriesChange, diff_results
from core.ingest.loader import CancelCheck, Cancelled, Progress, load_file, template_signature
from core.ingest.mapping import FileMapping, SheetMapping, TemplateStore
from core.ingest.template_merge import merge_histories
from core.ingest.template_names import TemplateNames, migrate_series_id, migrate_series_ids
from core.ingest.templates import template_of

__all__ = [
    "PARSER_VERSION", "Cancelled", "FileMapping", "SeriesChange", "SheetMapping", "TemplateNames",
    "TemplateStore",
    "catalog_from_files", "diff_results", "load_file", "load_files", "merge_cftc", "merge_histories",
    "migrate_series_id", "migrate_series_ids", "template_of", "template_signature",
]


def load_files(paths: Iterable[str | os.PathLike], *, progress: Progress | None = None,
               cancel: CancelCheck | None = None, use_cache: bool = True) -> list[LoadResult]:
    paths = list(paths)
    results = []
    for i, p in enumerate(paths):
        sub = None
        if progress is not None:
            def sub(f: float, text: str, i: int = i) -> None:
                progress((i + f) / len(paths), text)
        results.append(load_file(p, use_cache=use_cache, progress=sub, cancel=cancel))
    merge_histories(results)
    return results


def catalog_from_files(paths: Iterable[str | os.PathLike]) -> Catalog:
    catalog = Catalog()
    for result in load_files(paths):
        catalog.add(result)
    return catalog
