"""Load files with ``core.ingest.load_file`` in this process and print JSON summaries.

    python tests/hostile/run_one.py PATH [PATH ...]           one JSON summary line per path
    python tests/hostile/run_one.py --stream PATH [PATH ...]  plus progress events (harness)

Each path is loaded twice (the second load should be served from the parse cache under
``GAPWATCH_HOME``); the source file's bytes hash and mtime are recorded before, after the
first and after the second load. Standalone on purpose: the harness runs it in a child
process so a hang or a crash costs one case, not the pytest session.
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import math
import os
import signal
import stat
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEAK_MARKERS = ("root:x:0:0", "/bin/bash", "daemon:x:")
MAX_LISTED = 60


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def source_state(path: str) -> dict:
    """sha256 and mtime of a regular file; never opens FIFOs or devices."""
    try:
        st = os.stat(path)
    except OSError as exc:
        try:
            lst = os.lstat(path)
            return {"exists": False, "lstat_mtime_ns": lst.st_mtime_ns, "error": type(exc).__name__}
        except OSError:
            return {"exists": False, "error": type(exc).__name__}
    state = {"exists": True, "mtime_ns": st.st_mtime_ns, "size": st.st_size,
             "mode": stat.S_IFMT(st.st_mode)}
    if stat.S_ISREG(st.st_mode):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        state["sha256"] = h.hexdigest()
    return state


def _clip(text: object, n: int = 400) -> str:
    s = str(text)
    return s if len(s) <= n else s[:n] + f"...(+{len(s) - n} chars)"


def check_series(series: list) -> dict:
    """Invariants checked independently of Series.__post_init__ (which could be bypassed)."""
    import numpy as np

    bad_dates, bad_values, listed = [], [], []
    for s in series:
        dates = np.asarray(s.dates)
        values = np.asarray(s.values)
        increasing = len(dates) < 2 or bool(np.all(np.diff(dates.astype(np.int64)) > 0))
        ok_dates = (dates.dtype == np.dtype("datetime64[D]") and dates.ndim == 1 and increasing
                    and not np.isnat(dates).any())
        ok_values = (values.dtype == np.float64 and values.shape == dates.shape
                     and not np.isinf(values).any())
        is_float = values.dtype.kind == "f"
        if not ok_dates:
            bad_dates.append(str(s.id))
        if not ok_values:
            bad_values.append(str(s.id))
        if len(listed) < MAX_LISTED:
            src = getattr(s, "source", None)
            listed.append({"id": _clip(s.id, 200), "name": _clip(s.name, 200),
                           "sheet": getattr(src, "sheet", None),
                           "column": _clip(getattr(src, "column", None), 200),
                           "n": int(len(dates)),
                           "first": str(dates[0]) if len(dates) else None,
                           "last": str(dates[-1]) if len(dates) else None,
                           "finite": int(np.isfinite(values).sum()) if is_float else None,
                           "value_sum": float(np.nansum(values)) if is_float else None,
                           "date_sum": int(dates.astype(np.int64).sum()) if ok_dates else None})
    return {"dates_strictly_increasing_unique": not bad_dates,
            "values_finite_or_nan": not bad_values,
            "bad_dates": bad_dates[:5], "bad_values": bad_values[:5], "listed": listed}


def _leaks(result) -> bool:
    texts = [str(m.text) for m in result.messages]
    for s in result.series:
        src = getattr(s, "source", None)
        texts += [str(s.id), str(s.name), str(getattr(src, "column", "")),
                  str(getattr(src, "sheet", ""))]
        texts += [json.dumps(getattr(s, "meta", {}), default=str)]
    blob = "\n".join(texts)
    return any(marker in blob for marker in LEAK_MARKERS)


def summarize(path: str, load_file, stream: bool) -> dict:
    out: dict = {"path": path, "status": "ok", "states": [source_state(path)]}
    results = []
    for phase in ("load1", "load2"):
        if stream:
            emit({"event": "start", "path": path, "phase": phase})
        t0 = time.perf_counter()
        try:
            res = load_file(path)
        except BaseException as exc:  # noqa: BLE001 - the harness reports whatever escaped
            out["status"] = "raised"
            out["exception"] = f"{type(exc).__name__}: {_clip(exc, 1000)}"
            out["traceback"] = _clip("".join(traceback.format_exception(exc)), 6000)
            out[f"seconds_{phase}"] = time.perf_counter() - t0
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            break
        out[f"seconds_{phase}"] = time.perf_counter() - t0
        results.append(res)
        out["states"].append(source_state(path))
    out["seconds"] = out.get("seconds_load1")
    if not results:
        return out
    first = results[0]
    out["n_series"] = len(first.series)
    out["messages"] = [{"level": m.level, "file": m.file, "sheet": m.sheet, "cell": m.cell,
                        "text": _clip(m.text)} for m in first.messages[:200]]
    out["n_messages"] = len(first.messages)
    out["checks"] = check_series(first.series)
    out["leak"] = _leaks(first)
    if len(results) > 1:
        second = results[1]
        out["from_cache"] = bool(getattr(second, "from_cache", False))
        out["n_series_load2"] = len(second.series)
        shape = lambda r: [(str(s.id), len(s)) for s in r.series]  # noqa: E731
        out["same_series_load2"] = shape(first) == shape(second)
        checks2 = check_series(second.series)
        out["checks_load2"] = {k: v for k, v in checks2.items() if k != "listed"}
        out["leak"] = out["leak"] or _leaks(second)
    for k in ("n_series", "seconds"):
        if isinstance(out.get(k), float) and math.isnan(out[k]):
            out[k] = None
    return out


def main(argv: list[str]) -> int:
    stream = bool(argv) and argv[0] == "--stream"
    paths = argv[1:] if stream else argv
    # A native abort (e.g. a failed allocation inside a Rust reader) or SIGUSR1 from the
    # harness on a timeout prints the Python stack to stderr: where it died or hung.
    faulthandler.enable()
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    try:
        from core.ingest import load_file
    except BaseException as exc:  # noqa: BLE001
        tb = _clip("".join(traceback.format_exception(exc)), 4000)
        for p in paths:
            emit({"event": "done", "path": p, "status": "import_error",
                  "exception": f"{type(exc).__name__}: {exc}", "traceback": tb})
        return 0
    if stream:
        emit({"event": "ready", "import_seconds": time.perf_counter() - t0})
    for p in paths:
        summary = summarize(p, load_file, stream)
        summary["event"] = "done"
        emit(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
