"""Helpers for tests that kill a real process in the middle of its work."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def kill_once_present(proc: subprocess.Popen, marker: Path, settle: float, timeout: float = 120.0) -> None:
    """SIGKILL ``proc`` ``settle`` seconds after ``marker`` appears, and wait for it.

    ``marker`` is the file the process writes while the work to interrupt is
    under way (a bulk load's marker, a batch's journal); the test fails if the
    process ends before writing it.
    """
    deadline = time.monotonic() + timeout
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert marker.exists(), f"{marker.name}: the work finished before it could be interrupted"
    time.sleep(settle)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
