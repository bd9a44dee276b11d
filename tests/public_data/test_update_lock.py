"""One update at a time: a second one is refused with a clear line per source; a lock
left by a dead process is taken over."""

from __future__ import annotations

import json
import subprocess
import sys

from core.public_data import update_sources
from core.public_data.sources import store_root
from core.public_data.update_lock import LOCK_NAME, update_lock


def test_second_update_while_one_runs_is_refused(home):
    with update_lock():
        outcomes = update_sources(["cftc", "fred"])
    assert [o.ok for o in outcomes] == [False, False]
    assert outcomes[0].line().startswith("CFTC: update failed: another update of the public "
                                         "data is running")
    assert not (store_root() / LOCK_NAME).exists()


def test_lock_of_a_dead_process_is_taken_over(home):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    store_root().mkdir(parents=True)
    (store_root() / LOCK_NAME).write_text(json.dumps({"pid": int(dead.stdout), "t": 1e12}))
    with update_lock():
        assert (store_root() / LOCK_NAME).exists()
    assert not (store_root() / LOCK_NAME).exists()
