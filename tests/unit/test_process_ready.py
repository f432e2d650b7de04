"""btkit.process.wait_ready: Ctrl-C while a child starts leaves no orphan (found by a fresh user:
`localnet up` interrupted before ready left the engine and chopsticks running)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from btkit import process


def test_ctrl_c_while_waiting_stops_the_child(tmp_path):
    read_end, write_end = os.pipe()
    # a child that holds the write end and never signals ready (like an engine still starting)
    child = process.spawn_command([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "child.log",
                                  detached=True, pass_fds=(write_end,))
    os.close(write_end)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            process.wait_ready(child, read_end, timeout=30, log_path=tmp_path / "child.log", what="engine")
    finally:
        timer.cancel()
        alive = child.poll() is None
        if alive:
            child.kill()
            child.wait()
    assert not alive, "the child outlived Ctrl-C"
