"""Proof of work: the registration challenges and their solvers.

Two seals, told apart by the challenge (``prefix``) a chain hands the solvers:

- btkit's localnet, v1 (``shared/spec/pow.md``): a 123-byte prefix,
  ``keccak256(sha256(prefix || nonce_le64))`` read little-endian, ``<= (2^256-1) // difficulty``;
- subtensor's (``pallets/subtensor/src/subnets/registration.rs``, ``create_seal_hash`` and
  ``hash_meets_difficulty``): a 32-byte challenge ``keccak256(block_hash || hotkey)``,
  ``keccak256(sha256(nonce_le64 || challenge))`` read big-endian, times the difficulty without
  overflowing 256 bits (the same bound).

``seal``/``seal_meets`` check one nonce (pure Python); ``make_solver`` returns a solver with
``solve(prefix, difficulty, start, count) -> nonce | None``: the native CPU kernel (compiled
on first use; both seals), or the vectorized torch solver for ``cpu``/``cuda[:i]`` (v1 only).
"""

from __future__ import annotations

import hashlib

PREFIX_TAG = b"subtensor-pow-register-v1"
PREFIX_LEN = 123
SUBTENSOR_CHALLENGE_LEN = 32
MAX_U256 = (1 << 256) - 1


def pow_prefix(netuid: int, block_hash: bytes, hotkey_public: bytes, coldkey_public: bytes) -> bytes:
    if len(block_hash) != 32 or len(hotkey_public) != 32 or len(coldkey_public) != 32:
        raise ValueError("block hash and public keys are 32 bytes each")
    prefix = PREFIX_TAG + netuid.to_bytes(2, "little") + block_hash + hotkey_public + coldkey_public
    assert len(prefix) == PREFIX_LEN
    return prefix


def subtensor_challenge(block_hash: bytes, hotkey_public: bytes) -> bytes:
    """subtensor's ``hash_block_and_hotkey``: keccak256(block_hash || hotkey public key), 32 bytes."""
    from btkit.pow.keccak import keccak256

    if len(block_hash) != 32 or len(hotkey_public) != 32:
        raise ValueError("block hash and public key are 32 bytes each")
    return keccak256(block_hash + hotkey_public)


def is_subtensor(prefix: bytes) -> bool:
    return len(prefix) == SUBTENSOR_CHALLENGE_LEN


def seal(prefix: bytes, nonce: int) -> bytes:
    from btkit.pow.keccak import keccak256

    nonce_bytes = nonce.to_bytes(8, "little")
    message = nonce_bytes + prefix if is_subtensor(prefix) else prefix + nonce_bytes
    return keccak256(hashlib.sha256(message).digest())


def limit_for(difficulty: int) -> int:
    return MAX_U256 // max(1, difficulty)


def seal_meets(seal_bytes: bytes, difficulty: int, prefix: bytes = b"") -> bool:
    """Whether a seal of the challenge ``prefix`` meets ``difficulty`` (v1 unless ``prefix`` is subtensor's)."""
    return int.from_bytes(seal_bytes, "big" if is_subtensor(prefix) else "little") <= limit_for(difficulty)


def make_solver(device: str = "native", processes: int | None = None):
    """``native`` (multi-process C kernel; falls back to torch on CPU without a compiler) or a torch device."""
    if device in ("native", "cpu-native"):
        from btkit.pow.cpu import MultiProcessSolver, native_available

        if native_available():
            return MultiProcessSolver(processes)
        device = "cpu"
    from btkit.pow.torch_solver import TorchSolver

    return TorchSolver(device)
