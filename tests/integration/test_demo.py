"""`make demo` cleans up its throwaway home (and its node) on exit, unless asked to keep it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from btkit.process import is_alive
from tests.conftest import ROOT


def _start_demo(tmp_path, *args: str, env_extra: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BTKIT_", "DEMO_"))}
    env.update(TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1", **(env_extra or {}))
    return subprocess.Popen([sys.executable, "scripts/demo.py", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _read_until(proc, needle: str, timeout: float = 60) -> list[str]:
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} not seen: {''.join(lines)[-2000:]}")


def _homes(tmp_path):
    return sorted(p for p in tmp_path.iterdir() if p.name.startswith("btkit-demo-"))


def _node_pid(home):
    try:
        return json.loads((home / "localnet" / "node.json").read_text())["pid"]
    except (OSError, ValueError, KeyError):
        return None


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_demo_removes_its_home_and_node_when_stopped(tmp_path, sig):
    proc = _start_demo(tmp_path)
    try:
        _read_until(proc, "localnet up at")
        (home,) = _homes(tmp_path)
        pid = _node_pid(home)
        proc.send_signal(sig)
        out = proc.communicate(timeout=60)[0]
        assert "demo home removed" in out, out[-2000:]
        assert "Traceback" not in out and proc.returncode == 128 + sig, out[-2000:]  # Ctrl-C: no traceback
        assert not _homes(tmp_path), "the throwaway home is left behind"
        assert pid is None or not is_alive(pid), "the demo's node survived it"
    finally:
        if proc.poll() is None:
            proc.kill()
        for home in _homes(tmp_path):  # old behaviour: stop what it left
            subprocess.run([sys.executable, "-m", "btkit", "localnet", "down"], cwd=ROOT,
                           env=dict(os.environ, BTKIT_HOME=str(home)), capture_output=True, timeout=60)


def test_demo_keeps_its_home_when_asked_and_says_where(tmp_path):
    proc = _start_demo(tmp_path, env_extra={"BTKIT_DEMO_KEEP": "1"})
    try:
        first = _read_until(proc, "localnet up at")[0]
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
        (home,) = _homes(tmp_path)
        assert str(home) in first and "kept" in first
        assert f"demo home kept: {home}" in out
    finally:
        if proc.poll() is None:
            proc.kill()
        for home in _homes(tmp_path):
            subprocess.run([sys.executable, "-m", "btkit", "localnet", "down"], cwd=ROOT,
                           env=dict(os.environ, BTKIT_HOME=str(home)), capture_output=True, timeout=60)


def test_subtensor_demo_stops_its_engine_and_chopsticks(tmp_path):
    """`make demo ENGINE=subtensor` (the full run takes minutes; run by hand): stopped early, it leaves nothing."""
    from tests.conftest import SHARED
    from tests.substrate_node import require

    require()
    proc = _start_demo(tmp_path, "--engine", "subtensor", env_extra={"BTKIT_SHARED_DIR": str(SHARED)})
    try:
        assert "subtensor engine up at" in "".join(_read_until(proc, "MOCK epoch", timeout=120))
        (home,) = _homes(tmp_path)
        engine = json.loads((home / "localnet" / "node.json").read_text())
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
        assert "demo home removed" in out, out[-2000:]
        assert not is_alive(engine["pid"]) and not is_alive(engine["chopsticks_pid"])
    finally:
        if proc.poll() is None:
            proc.kill()
        for home in _homes(tmp_path):
            subprocess.run([sys.executable, "-m", "btkit", "localnet", "down"], cwd=ROOT,
                           env=dict(os.environ, BTKIT_HOME=str(home)), capture_output=True, timeout=60)
