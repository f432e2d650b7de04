"""Crash-safe file writes: temp file in the same directory, fsync, rename."""

from __future__ import annotations

import os
from pathlib import Path

TMP_MARK = ".btkit-tmp-"


def ensure_dir(path: Path, mode: int = 0o700) -> None:
    """Create ``path`` (and parents) with ``mode``; tighten an existing leaf we created."""
    path.mkdir(mode=mode, parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, never half."""
    path = Path(path)
    ensure_dir(path.parent)
    tmp = path.with_name(f"{TMP_MARK}{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
