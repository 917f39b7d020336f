"""Helpers for kill -9 tests: prove the kill lands inside a write transaction.

The writer runs with ``BITEXT_TEST_PAUSE_IN_WRITE=<point>:<marker>`` (see
``bitext.store.database.pause_in_write``): at ``point`` it creates ``marker`` and sleeps with
its transaction open. A test waits for the marker, checks the write lock is held, then kills.
"""

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bitext.store.database import PAUSE_IN_WRITE_VARIABLE

PAUSE_TIMEOUT_S = 600


def environment(pause: tuple[str, Path] | None = None) -> dict[str, str]:
    """This process's environment, with the writer paused at ``pause`` (point, marker) or not
    paused at all."""
    env = {k: v for k, v in os.environ.items() if k != PAUSE_IN_WRITE_VARIABLE}
    if pause is not None:
        point, marker = pause
        env[PAUSE_IN_WRITE_VARIABLE] = f"{point}:{marker}"
    return env


def wait_for_pause(marker: Path, point: str, running: Callable[[], bool]) -> None:
    """Return once the writer reached ``point`` and wrote ``marker``; fail if it stopped
    (``running()`` false) first, or never got there."""
    deadline = time.monotonic() + PAUSE_TIMEOUT_S
    while not marker.exists():
        assert running(), f"the writer stopped before it reached {point}"
        assert time.monotonic() < deadline, f"the writer never reached {point}"
        time.sleep(0.05)
    assert marker.read_text(encoding="utf-8") == point


def write_lock_is_held(db_path: Path) -> bool:
    """True while some connection is inside a write transaction on the file."""
    connection = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return True
    finally:
        connection.close()
