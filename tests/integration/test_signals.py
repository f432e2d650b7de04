"""Processes end cleanly (issue #10, section 4): no child outlives its parent, Ctrl-C is one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from btkit.pow import native
from tests.conftest import ROOT
from tests.integration.test_subnets import make_subnet

HARD = 10**15  # a seal no test machine finds


def children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    by_parent: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            by_parent.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def workers_of(pid: int) -> set[int]:
    """The forked PoW workers of ``pid`` (same command line; not the C compiler it may run first)."""
    out = set()
    for child in children(pid):
        try:
            if b"register" in Path(f"/proc/{child}/cmdline").read_bytes():
                out.add(child)
        except OSError:
            pass
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def pow_setup(cli, home, start_node):
    node = start_node("instant")
    netuid = make_subnet(node.client, difficulty=HARD, min_difficulty=HARD, max_difficulty=HARD)
    assert cli("wallet", "regen-coldkey", "--uri", "//Bob", "--no-use-password").code == 0
    assert cli("wallet", "regen-hotkey", "--uri", "//Bob//pow").code == 0
    return node, netuid, home


def _start_pow(node, netuid, home, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "btkit", "register", "--netuid", str(netuid), "--pow", "--processes", "2",
         "--timeout", "120", "--network", node.url, *extra],
        cwd=ROOT, env={**os.environ, "BTKIT_HOME": str(home)}, text=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.skipif(native.load() is None, reason="no C compiler for the PoW kernel")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_no_pow_worker_survives_its_parent(pow_setup, sig):
    node, netuid, home = pow_setup
    proc = _start_pow(node, netuid, home)
    try:
        workers = wait_for(lambda: (lambda w: w if len(w) >= 2 else None)(workers_of(proc.pid)), what="workers")
        time.sleep(0.3)  # the workers are solving
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C on a terminal reaches the whole foreground group
        else:
            os.kill(proc.pid, sig)  # a supervisor signals the parent only
        proc.wait(30)
        wait_for(lambda: not any(alive(w) for w in workers), 2, f"workers {workers} to exit after {sig!r}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for w in children(proc.pid):
            os.kill(w, signal.SIGKILL)


@pytest.mark.skipif(native.load() is None, reason="no C compiler for the PoW kernel")
@pytest.mark.parametrize("json_", [False, True])
def test_ctrl_c_prints_one_line_or_one_json_document(pow_setup, json_):
    node, netuid, home = pow_setup
    proc = _start_pow(node, netuid, home, *(["--json"] if json_ else []))
    try:
        wait_for(lambda: len(workers_of(proc.pid)) >= 2, what="workers")
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    if json_:
        doc = json.loads(out)
        assert doc["error"]["code"] == "interrupted", out
    else:
        lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("compiling the PoW kernel")]
        assert lines == ["error: interrupted"], err
