"""The C PoW kernel (``solver.c``), compiled with the system C compiler on first use and cached.

No compiler, no problem: ``load()`` returns None and callers fall back to the torch solver.
ctypes releases the GIL during calls, so a call never blocks the caller's other threads.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("solver.c")
FLAGS = ["-O3", "-march=native", "-funroll-loops", "-fPIC", "-shared"]
_lib: ctypes.CDLL | None = None
_tried = False


def cache_dir() -> Path:
    base = os.environ.get("BTKIT_HOME")
    root = Path(base).expanduser() / "cache" if base else Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "btkit"
    return root


def library_path() -> Path:
    tag = hashlib.sha256(SOURCE.read_bytes() + " ".join(FLAGS).encode() + platform.machine().encode()
                         + platform.node().encode()).hexdigest()[:16]
    return cache_dir() / f"pow-{tag}.so"


def compiler() -> str | None:
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def build(target: Path) -> bool:
    cc = compiler()
    if cc is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / target.name
        proc = subprocess.run([cc, *FLAGS, str(SOURCE), "-o", str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            # -march=native can fail on exotic toolchains: retry portable
            proc = subprocess.run([cc, "-O3", "-fPIC", "-shared", str(SOURCE), "-o", str(out)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                sys.stderr.write(f"btkit: could not compile the PoW kernel: {proc.stderr.strip()[:300]}\n")
                return False
        os.replace(out, target)
    return True


def load() -> ctypes.CDLL | None:
    global _lib, _tried
    if _lib is not None or _tried:
        return _lib
    _tried = True
    path = library_path()
    if not path.exists() and not build(path):
        return None
    lib = ctypes.CDLL(str(path))
    lib.btkit_pow_solve.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint64), ctypes.c_uint64,
                                    ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint64)]
    lib.btkit_pow_solve.restype = ctypes.c_int
    lib.btkit_pow_seal.argtypes = [ctypes.c_char_p, ctypes.c_uint64, ctypes.c_char_p]
    lib.btkit_pow_seal.restype = None
    lib.btkit_pow_solve_subtensor.argtypes = lib.btkit_pow_solve.argtypes
    lib.btkit_pow_solve_subtensor.restype = ctypes.c_int
    lib.btkit_pow_seal_subtensor.argtypes = lib.btkit_pow_seal.argtypes
    lib.btkit_pow_seal_subtensor.restype = None
    _lib = lib
    return lib


def limit_words(difficulty: int) -> ctypes.Array:
    from btkit.pow import limit_for

    limit = limit_for(difficulty)
    return (ctypes.c_uint64 * 4)(*[(limit >> (64 * i)) & ((1 << 64) - 1) for i in range(4)])


def solve_range(prefix: bytes, difficulty: int, start: int, count: int) -> int | None:
    """The first nonce in [start, start + count) whose seal meets ``difficulty`` (either seal, by
    the challenge's length: see ``btkit.pow``), or None."""
    from btkit.pow import is_subtensor

    lib = load()
    if lib is None:
        raise RuntimeError("the native PoW kernel is not available")
    found = ctypes.c_uint64(0)
    solve = lib.btkit_pow_solve_subtensor if is_subtensor(prefix) else lib.btkit_pow_solve
    if solve(prefix, limit_words(difficulty), start, count, ctypes.byref(found)):
        return found.value
    return None


def seal(prefix: bytes, nonce: int) -> bytes:
    lib = load()
    assert lib is not None
    from btkit.pow import is_subtensor

    out = ctypes.create_string_buffer(32)
    (lib.btkit_pow_seal_subtensor if is_subtensor(prefix) else lib.btkit_pow_seal)(prefix, nonce, out)
    return out.raw
