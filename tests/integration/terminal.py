"""Run the real CLI on a pseudo-terminal (stdin and stderr are a TTY), to test its questions."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable

from tests.conftest import ROOT


def run_on_terminal(args: list[str], answer: str, env: dict[str, str],
                    before_answer: Callable[[str], None] | None = None, timeout: float = 60) -> tuple[int, str, str]:
    """Run ``btkit ARGS``; when a yes/no question shows, call ``before_answer(screen)`` then type
    ``answer``. Returns (exit code, what the terminal showed, stdout)."""
    master, slave = pty.openpty()
    env = {**env, "COLUMNS": "200", "TERM": "dumb"}
    proc = subprocess.Popen([sys.executable, "-m", "btkit", *args], stdin=slave, stdout=subprocess.PIPE,
                            stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    seen, deadline, answered = b"", time.monotonic() + timeout, False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                seen += chunk
            if not answered and b"[y/n]" in seen:
                if before_answer is not None:
                    before_answer(seen.decode(errors="replace"))
                os.write(master, answer.encode() + b"\n")
                answered = True
            if proc.poll() is not None and not ready:
                break
        out = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return proc.returncode, seen.decode(errors="replace"), out.decode(errors="replace")


def run_with_answers(args: list[str], answers: list[str], env: dict[str, str],
                     timeout: float = 90) -> tuple[int, str]:
    """Run ``btkit ARGS`` with a pseudo-terminal as its controlling terminal (what ``getpass`` reads),
    typing the next of ``answers`` at each prompt that ends in ``:``. Returns (exit code, the screen)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: session leader on the pty
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "btkit", *args], {**env, "TERM": "dumb"})
    pending, screen, deadline = list(answers), b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
            if pending and chunk.rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")
