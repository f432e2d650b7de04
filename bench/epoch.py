"""One `run_epoch` (Yuma 2, bit-exact) at n = 256 (64 validators) and n = 4096 (256 validators
weighting every uid), against the plain-Python fixed-point reference in the same run. One JSON line.

``run_epoch_s`` takes weights and bonds as ``SparseRows`` (CSR arrays, what the localnet runtime
hands it); ``pairs_adapter_s`` is the same input as Python (uid, u16) pairs. Both must equal the
reference's output, bond rows included.
"""

from __future__ import annotations

import dataclasses
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from btkit.consensus import EpochInput, max_upscale_u16, reference, run_epoch  # noqa: E402
from btkit.consensus.rows import SparseRows  # noqa: E402


def subnet(n: int, validators: int, seed: int = 7) -> EpochInput:
    rng = random.Random(seed)
    stake = [rng.randint(10**9, 10**13) if i < validators else rng.randint(0, 10**9) for i in range(n)]
    weights = [list(zip(range(n), max_upscale_u16([rng.randint(0, 65535) for _ in range(n)])))
               if i < validators else [] for i in range(n)]
    bonds = [[(j, rng.randint(0, 65535)) for j in range(n)] if i < validators else [] for i in range(n)]
    return EpochInput(block=1000, stake=stake, weights=weights, bonds=bonds, last_update=[990] * n,
                      block_at_registration=[rng.randint(0, 500) for _ in range(n)],
                      validator_permit=[i < validators for i in range(n)], tempo=360, kappa=32767,
                      bonds_moving_average=900_000, bonds_penalty=65535, activity_cutoff=5000,
                      max_allowed_validators=validators)


def timed(fn, inp, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn(inp)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    result = {"bench": "epoch"}
    for n, v, runs, ref_runs in ((256, 64, 5, 1), (4096, 256, 3, 1)):
        pairs = subnet(n, v)
        inp = dataclasses.replace(pairs, weights=SparseRows.from_pairs(pairs.weights),
                                  bonds=SparseRows.from_pairs(pairs.bonds))
        fast_s, fast_out = timed(run_epoch, inp, runs)
        pairs_s, pairs_out = timed(run_epoch, pairs, runs)
        ref_s, ref_out = timed(reference.run_epoch, pairs, ref_runs)
        assert fast_out == ref_out and pairs_out == ref_out, "fast and reference disagree"
        result[f"n{n}_run_epoch_s"] = round(fast_s, 4)
        result[f"n{n}_pairs_adapter_s"] = round(pairs_s, 4)
        result[f"n{n}_python_reference_s"] = round(ref_s, 3)
        result[f"n{n}_speedup"] = round(ref_s / fast_s, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
