"""btkit.weights against the SDK's process_weights_for_netuid and the chain's own checks."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from btkit.weights import U16_MAX, accepted, clip_to_limit, process_weights


def sdk_normalize_max_weight(x: np.ndarray, limit: float) -> np.ndarray:
    """bittensor 7.x ``utils/weight_utils.py::normalize_max_weight``, as published (the reference)."""
    epsilon = 1e-7
    weights = x.copy()
    values = np.sort(weights)
    if x.sum() == 0 or x.shape[0] * limit <= 1:
        return np.ones_like(x) / x.shape[0]
    estimation = values / values.sum()
    if estimation.max() <= limit:
        return weights / weights.sum()
    cumsum = np.cumsum(estimation, 0)
    estimation_sum = np.array([(len(values) - i - 1) * estimation[i] for i in range(len(values))])
    n_values = (estimation / (estimation_sum + cumsum + epsilon) < limit).sum()
    cutoff_scale = (limit * cumsum[n_values - 1] - epsilon) / (1 - (limit * (len(estimation) - n_values)))
    cutoff = cutoff_scale * values.sum()
    weights[weights > cutoff] = cutoff
    return weights / weights.sum()


@pytest.mark.parametrize("seed", range(40))
def test_clip_matches_the_sdk(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 64)
    x = [rng.random() ** rng.choice([1, 4, 12]) for _ in range(n)]
    limit = rng.choice([0.05, 0.1, 0.3, 0.5, 0.9])
    ours = clip_to_limit(x, limit)
    ref = sdk_normalize_max_weight(np.array(x, dtype=np.float64), limit)
    # the SDK's cutoff is an approximation (an epsilon, a coarse index; near n * limit = 1 it can clip
    # everything): ours is the exact one, so the two agree closely away from that edge
    if n * limit > 1.5:
        assert max(abs(a - b) for a, b in zip(ours, ref)) < 0.01
    assert abs(sum(ours) - 1) < 1e-9
    if n * limit > 1:
        assert max(ref) - 1e-9 <= max(ours) <= limit + 1e-9
        big = max(ours)
        unclipped = [(a, b) for a, b in zip(x, ours) if b < big - 1e-12]
        if len(unclipped) > 1:  # below the cutoff, proportions are untouched
            ratios = [b / a for a, b in unclipped if a > 0]
            assert max(ratios) - min(ratios) < 1e-9 * max(ratios)


@pytest.mark.parametrize("seed", range(60))
def test_processed_weights_always_pass_the_chain_checks(seed):
    rng = random.Random(1000 + seed)
    n = rng.randint(1, 80)
    scores = {u: rng.choice([0.0, rng.random(), rng.random() ** 8, float("nan"), float("inf"), -1.0])
              for u in rng.sample(range(n), rng.randint(0, n))}
    min_allowed = rng.choice([0, 1, 2, 8, 100])
    limit = rng.choice([U16_MAX, 32768, 13107, 6554, 700])
    uids, values = process_weights(scores, n, min_allowed, limit)
    assert len(uids) == len(set(uids)) and all(0 <= u < n for u in uids)
    assert all(isinstance(v, int) and 0 < v <= U16_MAX for v in values)
    if n * limit / U16_MAX > 1 or limit == U16_MAX:  # a vector the chain accepts exists
        assert accepted(values, n, min_allowed, limit), (n, scores, min_allowed, limit, uids, values)


def test_max_weight_limit_32768_and_one_dominant_miner():
    uids, values = process_weights({1: 1.0, 2: 0.01, 3: 0.0}, 4, 1, 32768)
    assert accepted(values, 4, 1, 32768)
    share = dict(zip(uids, values))
    assert max(share, key=share.get) == 1  # the best miner still gets the most
    assert max(values) * U16_MAX <= 32768 * sum(values)


def test_one_scored_miner_under_a_limit_is_padded_not_refused():
    uids, values = process_weights({2: 0.9}, 5, 1, 32768)
    assert accepted(values, 5, 1, 32768) and 2 in uids
    assert dict(zip(uids, values))[2] == max(values)


def test_non_finite_scores_count_as_zero():
    uids, values = process_weights({0: float("nan"), 1: float("inf"), 2: 0.5, 3: -2.0}, 4, 1, U16_MAX)
    assert uids == [2] and values == [U16_MAX]
    assert all(math.isfinite(v) for v in values)


def test_min_allowed_weights_pads_every_uid_like_the_sdk():
    uids, values = process_weights({1: 1.0}, 6, 4, U16_MAX)
    assert uids == list(range(6)) and values[1] == U16_MAX and all(v >= 1 for v in values)
