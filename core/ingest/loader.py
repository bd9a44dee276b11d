"""``load_file``: one file -> LoadResult (series + messages), never an exception for bad
input. Reads the file's bytes once (regular files only, size-capped; the file is closed
before parsing and never written), sniffs the format from them, guards against zip
bombs and vast sparse sheets, reads sheets with calamine or the safe XML reader (or the
CSV reader), applies the user's mapping or a saved template, parses each sheet on its
own (one bad sheet never stops the others) and serves unchanged files from the cache.
Any exception a reader or parser raises on hostile input -- including a Rust panic from
python-calamine -- becomes an error message naming the file (and the sheet, when it
happened in one); the user's cancel, Ctrl-C and interpreter exit propagate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.catalog import LoadResult
from core.ingest import readers
from core.ingest.cache import PARSER_VERSION, BackgroundHash, ParseCache
from core.ingest.cftc import find_cftc_header, parse_cftc
from core.ingest.formulas import FormulaProbe
from core.ingest.gc_pause import paused_gc
from core.ingest.guard import Cancelled, describe, is_input_failure
from core.ingest.holdings import find_holdings, parse_holdings
from core.ingest.mapping import FileMapping, TemplateStore
from core.ingest.sheet_series import SheetContext, SheetResult, detect_header, parse_sheet
from core.ingest.short_interest import find_short_interest, parse_short_interest
from core.ingest.source import SourceRefused, read_source
from core.ingest.template_names import TemplateNames
from core.messages import Message

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]

__all__ = ["CancelCheck", "Cancelled", "Progress", "load_file", "template_signature"]


def load_file(path: str | os.PathLike, *, mapping: FileMapping | None = None,
              use_cache: bool = True, progress: Progress | None = None,
              cancel: CancelCheck | None = None) -> LoadResult:
    path = Path(path)
    result = LoadResult(file=str(path))

    def fail(text: str) -> LoadResult:
        result.messages.append(Message("error", path.name, None, None, text))
        return result

    try:
        data, stat = read_source(path)
    except SourceRefused as exc:
        return fail(str(exc))
    hashing = BackgroundHash(data)
    store = TemplateStore()
    names = TemplateNames()
    key = {"version": PARSER_VERSION, "path": str(path.resolve()), "size": stat.st_size,
           "mtime_ns": stat.st_mtime_ns,
           "mapping": mapping.digest() if mapping is not None else f"auto:{store.digest()}",
           "template_names": names.digest()}
    cache = ParseCache()
    if use_cache:
        cached = cache.get(path, key, digest=hashing.result)
        if cached is not None:
            cached.file = str(path)
            if progress:
                progress(1.0, f"{path.name}: from cache")
            return cached
    try:
        with paused_gc():
            _parse_into(result, path, data, mapping, store, names.template_for(path.stem),
                        progress, cancel)
    except BaseException as exc:  # a reader/parser bug on hostile input: a message, not a crash
        if not is_input_failure(exc):
            raise
        fail(f"{path.name} could not be read ({describe(exc)}); please report this file")
    del data
    result.fingerprint = key["hash"] = hashing.result()
    if not result.series and not any(m.level == "error" for m in result.messages):
        fail(f"no dated series found in {path.name}")
    if use_cache:
        try:
            cache.put(path, key, result)
        except OSError:
            pass  # a read-only cache folder must not stop loading
    return result


def _parse_into(result: LoadResult, path: Path, data: bytes, mapping: FileMapping | None,
                store: TemplateStore, stem: str, progress: Progress | None,
                cancel: CancelCheck | None) -> None:
    """``stem``: the first part of the series ids (the file's template name)."""
    label = path.name

    def check_cancel() -> None:
        if cancel is not None and cancel():
            raise Cancelled(str(path))

    def fail(text: str) -> None:
        result.messages.append(Message("error", label, None, None, text))

    fmt = readers.sniff_format(data, path.suffix)
    if fmt == "empty":
        return fail(f"{label} is empty (0 bytes)")
    if fmt == "encrypted":
        return fail(f"{label} is password-protected/encrypted (an encrypted Office container); "
                    "save an unprotected copy and open that")
    if fmt == "binary":
        return fail(f"{label} is neither a spreadsheet nor a text table; not loaded")
    probe: FormulaProbe | None = None
    try:
        if fmt in ("xlsx", "xls"):
            book = readers.open_workbook(data, fmt)
            if fmt == "xlsx":
                probe = FormulaProbe(data)
            names, sheets = book.names, book.sheets
            for note in book.notes:
                result.messages.append(Message("info", label, None, None, note))
        else:
            table = readers.read_text_table(data)
            names, sheets = [table.name], iter([(table.name, table)])
    except readers.ReadError as exc:
        return fail(f"{label} {exc}")
    except (OSError, UnicodeError, ValueError) as exc:
        return fail(f"{label} cannot be read: {exc}")

    check_cancel()
    raw: list[tuple[str, readers.RawSheet | str]] = []
    for i, name in enumerate(names):
        try:
            item = next(sheets)
        except StopIteration:
            break
        except BaseException as exc:  # the reader died on this sheet: name it, stop reading
            if not is_input_failure(exc):
                raise
            raw.append((name, f"sheet cannot be read ({describe(exc)}); it and the sheets after "
                              "it were skipped"))
            break
        raw.append(item)
        if progress:
            progress(0.5 * (i + 1) / max(len(names), 1), f"{label}: read sheet {item[0]}")
        check_cancel()
    if mapping is None:
        mapping = _saved_mapping(store, raw)
        if mapping is not None:
            result.messages.append(Message("info", label, None, None,
                                           "applied the saved sheet mapping for this file layout"))
    for i, (name, sheet) in enumerate(raw):
        check_cancel()
        if progress:
            progress(0.5 + 0.5 * i / max(len(raw), 1), f"{label}: parsing sheet {name}")
        sheet_label = readers.CSV_SHEET if fmt == "text" else name
        ctx = SheetContext(label, stem, sheet_label,
                           None if probe is None else (lambda n=name: probe.cells(n)))
        if isinstance(sheet, str):
            result.messages.append(ctx.msg("error", None, sheet))
            continue
        result.messages.extend(ctx.msg(level, cell, text) for level, cell, text in sheet.notes)
        ctx.decimal_comma = sheet.decimal_comma
        sm = mapping.for_sheet(sheet_label) if mapping else None
        if sm is not None and sm.skip_sheet:
            result.messages.append(ctx.msg("info", None, "skipped (sheet mapping)"))
            continue
        try:
            out = _parse_sheet(sheet.grid, ctx, sm, check_cancel)
        except BaseException as exc:  # a parser bug on one sheet must not lose the others
            if not is_input_failure(exc):
                raise
            result.messages.append(ctx.msg("error", None, f"sheet could not be parsed "
                                           f"({describe(exc)}); skipped"))
            continue
        result.series.extend(out.series)
        result.messages.extend(out.messages)
    if progress:
        progress(1.0, f"{label}: {len(result.series)} series")


def _parse_sheet(grid: np.ndarray, ctx: SheetContext, sm, check_cancel) -> SheetResult:
    cftc_header = find_cftc_header(grid) if sm is None else None
    if cftc_header is not None:
        return parse_cftc(grid, cftc_header, ctx)
    # cross-sectional files that parse_sheet would refuse as "a cross-sectional snapshot"
    snapshot = find_short_interest(grid) if sm is None else None
    if snapshot is not None:
        return parse_short_interest(*snapshot, ctx)
    holdings = find_holdings(grid) if sm is None else None
    if holdings is not None:
        return parse_holdings(grid, *holdings, ctx)
    return parse_sheet(grid, ctx, sm, check_cancel)


def _saved_mapping(store: TemplateStore, raw: list) -> FileMapping | None:
    grids = {name: s.grid for name, s in raw if not isinstance(s, str)}
    if not grids or store.digest() == "none":
        return None
    names = list(grids)
    if len(names) == 1 and next(iter(raw))[0] == readers.CSV_SHEET:
        names = [readers.CSV_SHEET]

    def texts_for(sheet: str, sm) -> list[str] | None:
        grid = grids.get(sheet)
        if grid is None or (sm is not None and sm.header_row0 is not None and sm.header_row0 >= len(grid)):
            return None
        return detect_header(grid, sm)[1]

    return store.match(names, texts_for)


def template_signature(path: str | os.PathLike, mapping: FileMapping | None = None) -> dict[str, list[str]]:
    """Sheet -> header texts of ``path`` as a template (for ``TemplateStore.save``):
    the mapping's header row where it gives one, else the detected header."""
    out: dict[str, list[str]] = {}
    for name, sheet in readers.read_path_sheets(Path(path)):
        if isinstance(sheet, str):
            continue
        sm = mapping.for_sheet(name) if mapping else None
        out[name] = detect_header(sheet.grid, sm)[1]
    return out
