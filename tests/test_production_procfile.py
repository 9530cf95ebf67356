"""`make demo`'s last step: honcho runs the Procfile's web, worker and scheduler, and one
Ctrl+C stops all three."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from tests import production

BIN = Path(sys.executable).parent


def _session(leader: int) -> set[int]:
    """Every process still running in the session `leader` started."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == leader:
                    found.add(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return found


def _wait(condition, seconds: float, what: str, process: production.Process) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}:\n{process.output()[-4000:]}")
        time.sleep(0.2)


def test_the_procfile_starts_web_worker_and_scheduler_and_ctrl_c_stops_them_all(
    demo_site, tmp_path
):
    port = production.free_port()
    env = {
        **demo_site.env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    honcho = production.start([str(BIN / "honcho"), "start"], env, tmp_path / "honcho.log")
    try:

        def serving() -> bool:
            try:
                return production.Client(port).get("/sign-in/").status == 200
            except OSError:
                return False

        _wait(serving, 90, "the web process did not answer", honcho)
        log = honcho.output
        _wait(lambda: "Starting worker" in log(), 60, "the worker did not start", honcho)
        _wait(lambda: "Scheduled report-job-recovery" in log(), 60, "no scheduler", honcho)
        assert len(_session(honcho.popen.pid)) >= 4  # honcho, gunicorn, worker, scheduler

        honcho.popen.send_signal(signal.SIGINT)  # Ctrl+C
        honcho.popen.wait(timeout=60)
        _wait(lambda: not _session(honcho.popen.pid), 30, "a process outlived Ctrl+C", honcho)
        for name in ("web.1", "worker.1", "scheduler.1"):
            assert f"{name} stopped" in log()
    finally:
        honcho.stop()
        for pid in _session(honcho.popen.pid):
            os.kill(pid, signal.SIGKILL)
