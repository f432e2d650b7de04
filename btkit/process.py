"""One lifecycle helper for the processes btkit starts (node, miners, validators).

Start detached with a per-process log, wait for a ready line on a pipe with a hard timeout, stop with
SIGTERM then SIGKILL. A process is only ever signalled after checking (via
``/proc/<pid>/cmdline`` where available) that it is the one we started.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from btkit.errors import ProcessError


def worker_init(parent_pid: int) -> None:
    """First thing in a worker child process (PoW workers): Ctrl-C is the parent's to handle (the
    terminal sends it to the whole group; the parent stops its workers), SIGTERM/SIGHUP end it, and
    it gets SIGKILL when the parent dies, whatever kills the parent (SIGKILL included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        os._exit(1)


def spawn(args: list[str], log_path: Path, detached: bool = True, env: dict[str, str] | None = None,
          pass_fds: tuple[int, ...] = ()) -> subprocess.Popen:
    """Start ``python args...``; stdout/stderr append to ``log_path``; ``pass_fds`` stay open in the child."""
    return spawn_command([sys.executable, *args], log_path, detached, env, pass_fds)


def spawn_command(argv: list[str], log_path: Path, detached: bool = True, env: dict[str, str] | None = None,
                  pass_fds: tuple[int, ...] = ()) -> subprocess.Popen:
    """Start ``argv``; stdout/stderr append to ``log_path``. Attached (``detached=False``): it dies with us."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=detached, env=env, close_fds=True, pass_fds=pass_fds,
                                preexec_fn=None if detached else die_with_parent)
    finally:
        log.close()


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """In a child: get ``sig`` when the parent dies, so no orphan is left (Linux ``PR_SET_PDEATHSIG``;
    elsewhere the parent's cleanup is all there is)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(sig))  # PR_SET_PDEATHSIG
        except OSError:
            pass


def wait_ready(proc: subprocess.Popen, ready_fd: int, timeout: float, log_path: Path,
               what: str = "process") -> bytes:
    """Block until the child writes one line on the pipe ``ready_fd`` (its read end; the child holds
    the only write end) and return that line. Closes ``ready_fd``.

    No polling: the child's readiness (or its death, which closes the pipe) wakes the wait at once.
    Raises ``ProcessError`` if the pipe closes before a full line (the child exited or gave up), or
    after ``timeout`` seconds (the child is then stopped). On Ctrl-C (KeyboardInterrupt) the child
    is stopped and the interrupt re-raised, so an interrupted start leaves no process.
    """
    deadline = time.monotonic() + timeout
    line = b""
    try:
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([ready_fd], [], [], left)[0]:
                stop(proc.pid, marker=None)
                raise ProcessError(f"the {what} was not ready within {timeout:.0f} s", hint=f"see {log_path}")
            chunk = os.read(ready_fd, 65536)
            if not chunk:
                try:
                    code = proc.wait(timeout=1)
                except subprocess.TimeoutExpired:  # closed the pipe but still running: not ours to keep
                    stop(proc.pid, marker=None)
                    code = proc.poll()
                raise ProcessError(f"the {what} exited with code {code} before it was ready: {log_tail(log_path)}",
                                   hint=f"full log: {log_path}")
            line += chunk
    except KeyboardInterrupt:  # Ctrl-C before ready: the child (detached, its own session) goes too
        stop(proc.pid, marker=None)
        raise
    finally:
        os.close(ready_fd)
    return line


def log_tail(log_path: Path, lines: int = 3) -> str:
    try:
        text = log_path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:]) or "(empty log)"


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def cmdline_has(pid: int, marker: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return marker.encode() in fh.read()
    except FileNotFoundError:
        return sys.platform != "linux"  # no procfs: trust the pidfile
    except OSError:
        return False


def stop(pid: int, marker: str | None, timeout: float = 5.0) -> bool:
    """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns False if it was not running or not ours."""
    if not is_alive(pid) or (marker is not None and not cmdline_has(pid, marker)):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_alive(pid):
            return True
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    for _ in range(100):
        _reap(pid)
        if not is_alive(pid):
            break
        time.sleep(0.02)
    return True


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
