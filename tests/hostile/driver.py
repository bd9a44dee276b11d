"""Run corpus cases through ``run_one.py`` child processes, several cases per process.

Start-up (imports) costs ~0.5 s, so each worker feeds many paths to one child and reads
its progress events. A case whose load phase emits nothing for ``timeout`` seconds is a
timeout: the child's process group is killed and a fresh child continues with the next
case. A child that dies mid-case is a crash for that case. Either way the faulthandler
Python stack of where it died or hung is recorded. Children get a memory ceiling so a
zip bomb cannot take the machine down.
"""

from __future__ import annotations

import json
import os
import queue
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .make_corpus import Case

ROOT = Path(__file__).resolve().parents[2]
RUN_ONE = Path(__file__).resolve().parent / "run_one.py"
TIMEOUT_S = 10.0
MEMORY_LIMIT_BYTES = 6 << 30
CASES_PER_CHILD = 80
HEAVY_CATEGORIES = {"huge", "zip_bomb", "far_cell_big_part"}
HEAVY_PREFIXES = ("stray_cell_", "cell_column_beyond")
HEAVY_COST_S, LIGHT_COST_S = 3.0, 0.05


@dataclass
class Outcome:
    """What happened to one case. ``status``: ok / raised / import_error / crash / timeout."""

    case: Case
    status: str
    summary: dict = field(default_factory=dict)
    detail: str = ""

    @property
    def n_series(self) -> int:
        return int(self.summary.get("n_series") or 0)

    @property
    def seconds(self) -> float:
        s = [self.summary.get(k) for k in ("seconds_load1", "seconds_load2", "seconds_timeout")]
        return max((x for x in s if isinstance(x, int | float)), default=0.0)

    @property
    def kind(self) -> str:
        """series / message only / nothing / raised / crash / timeout, for the tables."""
        if self.status != "ok":
            return self.status
        if self.n_series:
            return "series"
        if any(m["level"] in ("error", "warning") for m in self.summary.get("messages", [])):
            return "message only"
        return "nothing"


def _limit_memory() -> None:  # runs in the child before exec
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ValueError, OSError):
        pass


def _reader(stream, q: queue.Queue) -> None:
    for line in iter(stream.readline, b""):
        q.put(line)
    q.put(None)


def _kill(proc: subprocess.Popen, dump_stack: bool = False) -> None:
    if dump_stack:  # run_one registered SIGUSR1 with faulthandler: stack of the hang
        try:
            os.kill(proc.pid, signal.SIGUSR1)
            time.sleep(0.5)
        except ProcessLookupError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def stderr_digest(text: str, max_frames: int = 6) -> str:
    """The useful bits of a dying child's stderr: the fatal line(s) and the innermost
    project frames of the faulthandler dump."""
    lines = text.splitlines()
    keys = ("memory allocation", "panicked", "Fatal Python error", "Segmentation", "MemoryError")
    fatal = [ln.strip() for ln in lines if any(k in ln for k in keys)]
    calls = [ln.strip() for ln in lines
             if ln.strip().startswith("File ") and "run_one.py" not in ln]
    frames = [ln for ln in calls if "/site-packages/" not in ln]
    libs = [ln for ln in calls if "/site-packages/" in ln]
    parts = fatal[:3] + [f.replace(str(ROOT) + "/", "") for f in frames[:max_frames]] + libs[:2]
    return " | ".join(parts) if parts else "\n".join(lines[-15:])


def _run_batch(cases: Sequence[Case], env: dict, timeout: float, out: dict[str, Outcome]) -> int:
    """Run cases in one child until it finishes, crashes or hangs; returns cases consumed."""
    by_path = {str(c.path): c for c in cases}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, str(RUN_ONE), "--stream", *by_path], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=err,
                                start_new_session=True, preexec_fn=_limit_memory)
        q: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, q), daemon=True).start()
        current: Case | None = None
        deadline = time.monotonic() + 60.0  # import allowance before the first event
        done = 0
        while True:
            try:
                line = q.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                _kill(proc, dump_stack=True)
                err.seek(0)
                stack = stderr_digest(err.read().decode("utf-8", "replace"))
                victim = current or cases[done]
                what = f"no result within {timeout:.0f} s" if current else "child start-up hung"
                out[str(victim.path)] = Outcome(victim, "timeout", {"seconds_timeout": timeout},
                                                f"{what}; stack: {stack}")
                return done + 1
            if line is None:  # child exited
                code = proc.wait()
                if done >= len(cases):
                    return done
                err.seek(0)
                digest = stderr_digest(err.read().decode("utf-8", "replace"))
                victim = current or cases[done]
                how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
                out[str(victim.path)] = Outcome(victim, "crash", detail=f"{how}: {digest}")
                return done + 1
            try:
                event = json.loads(line)
            except ValueError:
                continue  # stray print from the library
            kind = event.get("event")
            if kind == "ready":
                deadline = time.monotonic() + timeout
            elif kind == "start":
                current = by_path[event["path"]]
                deadline = time.monotonic() + timeout
            elif kind == "done":
                case = by_path[event["path"]]
                out[event["path"]] = Outcome(case, event.get("status", "ok"), event,
                                             event.get("traceback", "") or "")
                current = None
                done += 1
                deadline = time.monotonic() + timeout
                if done >= len(cases):
                    proc.wait(timeout=30)
                    return done


def _worker(cases: list[Case], env: dict, timeout: float, out: dict[str, Outcome]) -> None:
    i = 0
    while i < len(cases):
        batch = cases[i:i + CASES_PER_CHILD]
        i += _run_batch(batch, env, timeout, out)


def is_heavy(case: Case) -> bool:
    return case.category in HEAVY_CATEGORIES or case.name.startswith(HEAVY_PREFIXES)


def plan_queues(cases: Sequence[Case], workers: int) -> list[list[Case]]:
    """Heavy cases all on the first worker, one after another (two of them side by side
    on two cores would measure contention, not the loader); light cases balance the rest."""
    queues: list[list[Case]] = [[] for _ in range(max(1, workers))]
    load = [0.0] * len(queues)
    for case in cases:
        if is_heavy(case):
            queues[0].append(case)
            load[0] += HEAVY_COST_S
    for case in cases:
        if not is_heavy(case):
            i = min(range(len(queues)), key=load.__getitem__)
            queues[i].append(case)
            load[i] += LIGHT_COST_S
    return queues


def run_cases(cases: Sequence[Case], home: Path, *, workers: int = 2,
              timeout: float = TIMEOUT_S, extra_env: dict[str, str] | None = None
              ) -> dict[str, Outcome]:
    """Outcome per case name, ``workers`` child processes at a time."""
    env = dict(os.environ, GAPWATCH_HOME=str(home), PYTHONPATH=str(ROOT), PYTHONHASHSEED="0",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
               **(extra_env or {}))
    env.pop("QT_QPA_PLATFORM", None)
    queues = plan_queues(cases, workers)
    by_path: dict[str, Outcome] = {}
    threads = [threading.Thread(target=_worker, args=(q, env, timeout, by_path))
               for q in queues if q]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {o.case.name: o for o in by_path.values()}
