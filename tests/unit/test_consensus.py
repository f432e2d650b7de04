"""Yuma 2 against tests/vectors/epoch.json (copied from shared/vectors), and fast == reference on random subnets."""

from __future__ import annotations

import dataclasses
import random

import pytest

from btkit.consensus import EpochInput, fast, max_upscale_u16, reference, run_epoch
from btkit.consensus.rows import SparseRows
from tests.conftest import load_vector

CASES = load_vector("epoch.json")["cases"]


def drive(case, runner):
    hp, st = case["hyperparameters"], case["initial_state"]
    n = hp["n"]
    weights = [[] for _ in range(n)] if st["weights"] == "empty" else st["weights"]
    bonds = [[] for _ in range(n)] if st["bonds"] == "empty" else st["bonds"]
    last_update, permit = list(st["last_update"]), list(st["validator_permit"])
    outs, k = {}, 0
    for step in case["steps"]:
        if step["action"] == "set_weights":
            weights[step["uid"]] = list(zip(step["uids"], max_upscale_u16(step["values"])))
            last_update[step["uid"]] = step["block"]
            continue
        k += 1
        inp = EpochInput(
            block=step["block"], stake=st["stake"], weights=weights, bonds=bonds, last_update=last_update,
            block_at_registration=st["block_at_registration"], validator_permit=permit, tempo=hp["tempo"],
            kappa=hp["kappa"], bonds_moving_average=hp["bonds_moving_average"], bonds_penalty=hp["bonds_penalty"],
            activity_cutoff=hp["activity_cutoff"], max_allowed_validators=hp["max_allowed_validators"],
            stake_threshold=hp["stake_threshold"], owner_uid=hp["owner_uid"],
            rao_emission=step.get("rao_emission", 10**9))
        out = runner(inp)
        permit, bonds = out.validator_permit, out.bonds
        outs[step.get("label", f"after_epoch_{k}")] = out
    return outs


def _field(out, key):
    return {"new_validator_permit": out.validator_permit,
            "bonds_u16": [[list(p) for p in row] for row in out.bonds]}.get(key, getattr(out, key, None))


def as_arrays(inp: EpochInput) -> EpochInput:
    """The same input with weights and bonds as SparseRows (the array form the runtime uses)."""
    return dataclasses.replace(inp, weights=SparseRows.from_pairs(inp.weights), bonds=SparseRows.from_pairs(inp.bonds))


def run_epoch_arrays(inp: EpochInput):
    return run_epoch(as_arrays(inp))


@pytest.mark.parametrize("runner", [run_epoch, run_epoch_arrays, reference.run_epoch],
                         ids=["run_epoch", "run_epoch_arrays", "reference"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_epoch_vectors(case, runner):
    outs = drive(case, runner)
    for label, expected in case["reference_outputs"].items():
        for key, value in expected.items():
            assert _field(outs[label], key) == value, (label, key)
    for label, asserted in case["asserted"].items():
        out = outs[label]
        for key, value in asserted.items():
            if key.startswith("bonds["):  # e.g. "bonds[0..3][4]": column 4 of rows 0..3
                col = int(key.rsplit("[", 1)[1].rstrip("]"))
                got = [dict(out.bonds[i]).get(col, 0) for i in range(4)]
                assert got == value, (label, key)
            else:
                assert getattr(out, key) == value, (label, key)


def test_max_upscale_u16():
    assert max_upscale_u16([0, 0]) == [0, 0]
    assert max_upscale_u16([1, 2]) == [32768, 65535]
    assert max_upscale_u16([16383, 32767, 49149, 65535]) == [16383, 32767, 49149, 65535]
    assert max_upscale_u16([100]) == [65535]


def random_input(rng: random.Random, n: int, validators: int) -> EpochInput:
    block = rng.randint(50, 500)
    stake = [rng.choice([0, rng.randint(1, 10**12), rng.randint(1, 1000)]) if i < validators else
             rng.choice([0, 0, rng.randint(1, 10**6)]) for i in range(n)]
    weights, bonds = [], []
    for i in range(n):
        if i < validators and rng.random() < 0.9:
            k = rng.randint(1, n)
            uids = sorted(rng.sample(range(n), k))
            vals = [rng.choice([0, 1, 65535, rng.randint(0, 65535), 32768]) for _ in uids]
            weights.append(list(zip(uids, max_upscale_u16(vals))))
            bonds.append([(j, rng.randint(0, 65535)) for j in sorted(rng.sample(range(n), rng.randint(0, n)))])
        else:
            weights.append([])
            bonds.append([])
    return EpochInput(
        block=block, stake=stake, weights=weights, bonds=bonds,
        last_update=[rng.randint(0, block) for _ in range(n)],
        block_at_registration=[rng.randint(0, block) for _ in range(n)],
        validator_permit=[rng.random() < 0.8 for _ in range(n)], tempo=rng.choice([1, 10, 360]),
        kappa=rng.choice([32767, 0, 65535, rng.randint(0, 65535)]), bonds_moving_average=rng.choice([900_000, 0, 999_999, 500_000]),
        bonds_penalty=rng.choice([65535, 0, rng.randint(0, 65535)]), activity_cutoff=rng.choice([5000, 100, 10]),
        max_allowed_validators=rng.choice([64, 3, validators]), owner_uid=rng.choice([None, 0, 1]),
        rao_emission=rng.choice([10**9, 123_456_789, 0]))


@pytest.mark.parametrize("seed", range(40))
def test_fast_equals_reference_and_invariants(seed):
    rng = random.Random(seed)
    n = rng.choice([1, 2, 5, 16, 64, 256]) if seed % 10 else 256
    inp = random_input(rng, n, validators=max(1, n // rng.choice([1, 2, 4])))
    a, b = fast.run_epoch(inp), reference.run_epoch(inp)
    assert a == b
    assert run_epoch(as_arrays(inp)) == b  # the array form: same outputs, bond rows included
    assert reference.run_epoch(as_arrays(inp)) == b  # the oracle reads SparseRows as pairs
    assert fast.run_epoch(inp) == a  # deterministic
    for vec in (a.incentive, a.dividends):
        total = sum(vec)
        assert total == 0 or abs(total - 65535) <= n, (vec, total)
    assert sum(a.emission) <= inp.rao_emission
    assert sum(a.server_emission) + sum(a.validator_emission) <= inp.rao_emission


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("liquid", [False, True])
def test_yuma3_invariants(seed, liquid):
    rng = random.Random(1000 + seed)
    inp = dataclasses.replace(random_input(rng, 32, 16), yuma3=True, liquid_alpha=liquid)
    out = run_epoch(inp)
    assert run_epoch(inp) == out
    for vec in (out.incentive, out.dividends):
        assert sum(vec) == 0 or abs(sum(vec) - 65535) <= inp.n
    assert sum(out.emission) <= inp.rao_emission
    assert all(0 <= v <= 65535 for row in out.bonds for _, v in row)


def test_liquid_alpha_sigmoid_bounds():
    from btkit.consensus.fixed import ONE
    from btkit.consensus.reference import liquid_alpha

    low, high = int(0.7 * ONE), int(0.9 * ONE)
    mid = liquid_alpha(ONE // 2, ONE // 2, 0, low, high, 1000)  # distance 0 -> below the midpoint
    far = liquid_alpha(0, ONE, 0, low, high, 1000)  # buying far above consensus
    assert low <= mid < far <= high
    assert abs(liquid_alpha(0, ONE // 2, 0, low, high, 1000) - (low + high) // 2) <= 2  # distance 0.5: midpoint


def test_vectorized_fixed_point_primitives_are_exact():
    import numpy as np

    from btkit.consensus.fast import _div, _mul
    from btkit.consensus.fixed import div, mul

    rng = random.Random(5)
    a_list, b_list = [], []
    for _ in range(50_000):
        b = rng.choice([rng.randrange(1, 1 << 47), rng.randrange(1, 1 << 33), rng.randrange(1, 1000)])
        a_list.append(rng.randrange(0, min(1 << 40, b << rng.choice([1, 8, 17]))))
        b_list.append(b)
    a, b = np.array(a_list, dtype=np.int64), np.array(b_list, dtype=np.int64)
    assert _div(a, b).tolist() == [div(x, y) for x, y in zip(a_list, b_list)]
    xs = [rng.randrange(-(1 << 33), 1 << 34) for _ in range(50_000)]
    ys = [rng.randrange(0, 1 << 34) for _ in range(50_000)]
    assert _mul(np.array(xs, dtype=np.int64), np.array(ys, dtype=np.int64)).tolist() == [
        mul(x, y) for x, y in zip(xs, ys)]


def test_sparse_rows_read_as_pairs_and_check_their_shape():
    import numpy as np

    pairs = [[(0, 5), (3, 65535)], [], [(1, 1)]]
    rows = SparseRows.from_pairs(pairs)
    assert len(rows) == 3 and rows[0] == [[0, 5], [3, 65535]] and rows[1] == [] and rows[-1] == [[1, 1]]
    assert rows == pairs and rows == SparseRows.from_row_arrays([rows.row(i) for i in range(3)])
    assert rows != [[(0, 5)], [], [(1, 1)]]
    assert rows.lengths().tolist() == [2, 0, 1] and SparseRows.from_pairs(rows) is rows
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(ValueError):
        SparseRows(np.array([0, 3]), np.array([1, 2]), np.array([7, 8]))  # indptr ends past the entries
