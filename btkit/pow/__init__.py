"""Proof of work: the v1 registration challenge (``shared/spec/pow.md``) and its solvers.

``seal``/``seal_meets`` check one nonce (pure Python); ``make_solver`` returns a solver with
``solve(prefix, difficulty, start, count) -> nonce | None``: the native CPU kernel (compiled
on first use), or the vectorized torch solver for ``cpu``/``cuda[:i]``.
"""

from __future__ import annotations

import hashlib

PREFIX_TAG = b"subtensor-pow-register-v1"
PREFIX_LEN = 123
MAX_U256 = (1 << 256) - 1


def pow_prefix(netuid: int, block_hash: bytes, hotkey_public: bytes, coldkey_public: bytes) -> bytes:
    if len(block_hash) != 32 or len(hotkey_public) != 32 or len(coldkey_public) != 32:
        raise ValueError("block hash and public keys are 32 bytes each")
    prefix = PREFIX_TAG + netuid.to_bytes(2, "little") + block_hash + hotkey_public + coldkey_public
    assert len(prefix) == PREFIX_LEN
    return prefix


def seal(prefix: bytes, nonce: int) -> bytes:
    from btkit.pow.keccak import keccak256

    return keccak256(hashlib.sha256(prefix + nonce.to_bytes(8, "little")).digest())


def limit_for(difficulty: int) -> int:
    return MAX_U256 // max(1, difficulty)


def seal_meets(seal_bytes: bytes, difficulty: int) -> bool:
    return int.from_bytes(seal_bytes, "little") <= limit_for(difficulty)


def make_solver(device: str = "native", processes: int | None = None):
    """``native`` (multi-process C kernel; falls back to torch on CPU without a compiler) or a torch device."""
    if device in ("native", "cpu-native"):
        from btkit.pow.cpu import MultiProcessSolver, native_available

        if native_available():
            return MultiProcessSolver(processes)
        device = "cpu"
    from btkit.pow.torch_solver import TorchSolver

    return TorchSolver(device)
