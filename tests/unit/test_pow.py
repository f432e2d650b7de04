"""Seals against spec vectors and an independent Keccak; the solvers agree with each other."""

from __future__ import annotations

import hashlib
import random

import pytest

from btkit.pow import limit_for, pow_prefix, seal, seal_meets
from keystore.keys import Keypair

PREFIX = pow_prefix(1, b"\x11" * 32, Keypair.from_uri("//Bob").public_key, Keypair.from_uri("//Alice").public_key)
VECTORS = {
    0: "f8ab8ea97d65fc46e1ecefa3fe59209503b6601325f5c035a331d6aca14e4c78",
    1: "580beb7e1111c09041871189e7f193652a242ef8ceba8b469a7c8b69934702ac",
    2: "6aab9e9b71c895cd51ea08e76881539e3cdd55bab53ffae42e011c2d4a53e0b7",
    123456789: "36a52868e396ee39a5e5b3a5291ec64aab08480f3f714646bcaf40d5b4de691c",
}


def test_spec_vectors():
    assert PREFIX.hex() == (
        "73756274656e736f722d706f772d72656769737465722d76310100" + "11" * 32
        + "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
        + "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
    for nonce, expected in VECTORS.items():
        assert seal(PREFIX, nonce).hex() == expected
    first = next(n for n in range(10_000) if seal_meets(seal(PREFIX, n), 1000))
    assert first == 2255
    assert seal(PREFIX, 2255).hex() == "5252560d6cb4e2363736e9388d09165bd138a91d53cc1ff99f3cb57cd6fa3e00"


def reference_seal(prefix: bytes, nonce: int) -> bytes:
    from Crypto.Hash import keccak  # pycryptodome: an independent, maintained Keccak-256

    return keccak.new(digest_bits=256, data=hashlib.sha256(prefix + nonce.to_bytes(8, "little")).digest()).digest()


def test_ten_thousand_random_pairs_against_reference():
    from btkit.pow import native

    rng = random.Random(42)
    have_native = native.load() is not None
    for _ in range(10_000):
        prefix = bytes(rng.getrandbits(8) for _ in range(123))
        nonce = rng.getrandbits(64)
        expected = reference_seal(prefix, nonce)
        assert seal(prefix, nonce) == expected
        if have_native:
            assert native.seal(prefix, nonce) == expected


def test_native_kernel_finds_the_first_valid_nonce():
    from btkit.pow import native

    if native.load() is None:
        pytest.skip("no C compiler")
    rng = random.Random(7)
    for _ in range(5):
        start = rng.getrandbits(63)
        expected = next(n for n in range(start, start + 200_000) if seal_meets(reference_seal(PREFIX, n), 500))
        assert native.solve_range(PREFIX, 500, start, 200_000) == expected
    assert native.solve_range(PREFIX, 1 << 64, 0, 10_000) is None


def test_torch_solver_matches_the_cpu_solver():
    pytest.importorskip("torch")
    from btkit.pow.cpu import MultiProcessSolver, native_available
    from btkit.pow.torch_solver import TorchSolver

    torch_solver = TorchSolver("cpu", batch=1 << 14)
    rng = random.Random(3)
    ranges = [(rng.getrandbits(62), 60_000, 700) for _ in range(3)] + [(0, 10_000, 1000), (0, 3000, 1 << 40)]
    with MultiProcessSolver(2) if native_available() else _Scalar() as cpu:
        for start, count, difficulty in ranges:
            assert torch_solver.solve(PREFIX, difficulty, start, count) == cpu.solve(PREFIX, difficulty, start, count)


class _Scalar:
    def solve(self, prefix, difficulty, start, count):
        return next((n for n in range(start, start + count) if seal_meets(seal(prefix, n), difficulty)), None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def test_limit_is_the_spec_bound():
    assert limit_for(1) == 2**256 - 1
    assert limit_for(3) == (2**256 - 1) // 3


def subtensor_reference_seal(block_hash: bytes, hotkey: bytes, nonce: int) -> bytes:
    """subtensor's create_seal_hash (pallets/subtensor/src/subnets/registration.rs), with pycryptodome's Keccak."""
    from Crypto.Hash import keccak

    block_and_hotkey = keccak.new(digest_bits=256, data=block_hash + hotkey).digest()
    sha = hashlib.sha256(nonce.to_bytes(8, "little") + block_and_hotkey).digest()
    return keccak.new(digest_bits=256, data=sha).digest()


def test_subtensor_seal_python_and_native_kernel_match_the_runtime_rule():
    from btkit.pow import native, subtensor_challenge

    block_hash, hotkey = bytes(range(32)), Keypair.from_uri("//Bob").public_key
    challenge = subtensor_challenge(block_hash, hotkey)
    rng = random.Random(7)
    for nonce in [0, 1, 2**32 - 1, 2**32, 2**64 - 1] + [rng.getrandbits(64) for _ in range(200)]:
        expected = subtensor_reference_seal(block_hash, hotkey, nonce)
        assert seal(challenge, nonce) == expected
        if native.load() is not None:
            assert native.seal(challenge, nonce) == expected
    # hash_meets_difficulty: the seal read big-endian (U256::from(&[u8])) times the difficulty must not overflow
    seals = [subtensor_reference_seal(block_hash, hotkey, n) for n in range(20_000)]
    for difficulty in (1000, 5000):
        meets = [n for n, s in enumerate(seals) if int.from_bytes(s, "big") * difficulty < 2**256]
        assert len(meets) > 1, difficulty
        assert [n for n, s in enumerate(seals) if seal_meets(s, difficulty, challenge)] == meets
        if native.load() is not None:
            assert native.solve_range(challenge, difficulty, 0, 20_000) == meets[0]
            assert native.solve_range(challenge, difficulty, meets[0] + 1, 20_000 - meets[0] - 1) == meets[1]
