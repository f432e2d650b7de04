"""PoW hashrates side by side, one JSON line: a one-process pure-Python loop (hashlib sha256 +
btkit's Keccak) as the in-run reference, the native multi-process CPU solver, the torch solver on
CPU and, when torch sees one, on CUDA.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from btkit.pow import pow_prefix, seal  # noqa: E402
from keystore.keys import Keypair  # noqa: E402

PREFIX = pow_prefix(1, b"\x11" * 32, Keypair.from_uri("//Bob").public_key, Keypair.from_uri("//Alice").public_key)
IMPOSSIBLE = 1 << 80  # no nonce meets it: every solver hashes its whole range


def rate(solver, count: int) -> float:
    solver.solve(PREFIX, IMPOSSIBLE, 0, min(count, 1 << 16))  # warm up (compile, spawn, caches)
    t = time.perf_counter()
    assert solver.solve(PREFIX, IMPOSSIBLE, 1 << 20, count) is None
    return count / (time.perf_counter() - t)


def main() -> None:
    t = time.perf_counter()
    n = 20_000
    for nonce in range(n):
        seal(PREFIX, nonce)
    python_rate = n / (time.perf_counter() - t)
    result = {"bench": "pow", "cores": os.cpu_count(), "python_loop_hs": round(python_rate)}
    try:  # the spec's other reference: a Python loop over hashlib and a C keccak
        import hashlib

        from Crypto.Hash import keccak

        t = time.perf_counter()
        for nonce in range(200_000):
            keccak.new(digest_bits=256, data=hashlib.sha256(PREFIX + nonce.to_bytes(8, "little")).digest()).digest()
        result["python_loop_c_keccak_hs"] = round(200_000 / (time.perf_counter() - t))
    except ImportError:
        pass

    from btkit.pow.cpu import MultiProcessSolver, native_available

    if native_available():
        with MultiProcessSolver() as cpu:
            result["native_cpu_all_cores_hs"] = round(rate(cpu, 12_000_000))
        with MultiProcessSolver(1) as one:
            result["native_cpu_one_process_hs"] = round(rate(one, 4_000_000))
        result["native_ratio_vs_python"] = round(result["native_cpu_all_cores_hs"] / python_rate, 1)
    try:
        import torch

        from btkit.pow.torch_solver import TorchSolver
    except ImportError:
        result["torch"] = "not installed"
    else:
        result["torch_cpu_hs"] = round(rate(TorchSolver("cpu"), 1 << 18))
        if torch.cuda.is_available():
            result["torch_cuda_hs"] = round(rate(TorchSolver("cuda"), 1 << 26))
        else:
            result["torch_cuda_hs"] = None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
