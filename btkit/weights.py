"""Weights a validator can set: scores processed the way the chain accepts them.

The steps of the bittensor SDK's ``process_weights_for_netuid`` and
``convert_weights_and_uids_for_emit`` (bittensor ``utils/weight_utils.py``, 7.x-9.x):

1. Non-finite or negative scores count as 0 (the SDK assumes finite input; btkit does not).
2. No positive score, or a subnet smaller than ``min_allowed_weights``: equal weights on every uid.
3. Fewer positive scores than ``min_allowed_weights``: every uid gets 1e-5 on top of its score.
4. Clip so that no weight exceeds ``max_weight_limit`` of the total (``normalize_max_weight``).
5. Max-upscale to u16 (largest = 65535) and drop zeros.

and then, where the SDK can still produce what the chain refuses, btkit makes sure the chain's own
checks pass (subtensor ``pallets/subtensor/src/subnets/weights.rs``: ``check_length``,
``max_weight_limited``): too few positive scores for the limit (k x limit < 1) are padded like step 3,
and a clip that u16 rounding pushes over the limit is redone slightly tighter. The result passes
``accepted``, the integer form of the chain's checks, whenever any vector can.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

U16_MAX = 65535
PAD = 1e-5  # the SDK's "minimum even non-zero weight"


def finite_score(value: float) -> float:
    """A score as the validator keeps it: NaN, infinities and negatives count as 0."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def clip_to_limit(weights: list[float], limit: float) -> list[float]:
    """``weights`` (>= 0) normalized to sum 1 with none above ``limit`` (a fraction of the sum), by
    clipping the largest ones to one common value (the SDK's ``normalize_max_weight``, solved exactly).
    Equal weights when the sum is 0 or ``len(weights) * limit <= 1`` (as the SDK)."""
    n = len(weights)
    total = sum(weights)
    if total <= 0 or n * limit <= 1:
        return [1.0 / n] * n if n else []
    x = [w / total for w in weights]
    if max(x) <= limit:
        return x
    desc = sorted(x, reverse=True)
    rest = 1.0
    c = limit
    for k in range(1, n):  # clip the k largest to c: c = limit * (k * c + rest) with rest = sum of the others
        rest -= desc[k - 1]
        if limit * k >= 1:
            break
        c = limit * rest / (1 - limit * k)
        if desc[k] <= c:
            break
    clipped = [min(w, c) for w in x]
    s = sum(clipped)
    return [w / s for w in clipped]


def to_u16(weights: list[float]) -> list[int]:
    """Max-upscale to u16 (largest = 65535); a positive weight never rounds to 0."""
    top = max(weights, default=0.0)
    if top <= 0:
        return [0] * len(weights)
    return [max(1, round(w / top * U16_MAX)) if w > 0 else 0 for w in weights]


def accepted(values: list[int], n: int, min_allowed_weights: int, max_weight_limit: int) -> bool:
    """The chain's length and max-weight checks on a u16 vector for a subnet of ``n`` uids."""
    if len(values) < min(min_allowed_weights, n):
        return False
    total = sum(values)
    return max_weight_limit >= U16_MAX or not total or max(values) * U16_MAX <= max_weight_limit * total


def process_weights(scores: Mapping[int, float], n: int, min_allowed_weights: int,
                    max_weight_limit: int) -> tuple[list[int], list[int]]:
    """``(uids, u16 weights)`` for ``scores`` (uid -> score) on a subnet of ``n`` uids, given its
    ``min_allowed_weights`` (count) and ``max_weight_limit`` (u16 fixed point: 65535 = 1.0).
    Empty lists when ``n`` is 0."""
    if n <= 0:
        return [], []
    clean = {u: finite_score(s) for u, s in scores.items() if 0 <= u < n}
    positive = {u: s for u, s in clean.items() if s > 0}
    limit = max_weight_limit / U16_MAX
    if not positive or n < min_allowed_weights:
        uids, floats = list(range(n)), [1.0] * n
    elif len(positive) < min_allowed_weights or len(positive) * limit < 1:
        uids = list(range(n))
        floats = [PAD + positive.get(u, 0.0) for u in uids]
    else:
        uids = sorted(positive)
        floats = [positive[u] for u in uids]
    effective = limit
    for _ in range(20):
        values = to_u16(clip_to_limit(floats, effective) if limit < 1 else floats)
        kept = [(u, v) for u, v in zip(uids, values) if v > 0]
        if accepted([v for _, v in kept], n, min_allowed_weights, max_weight_limit):
            break
        effective *= 1 - 1e-4  # u16 rounding pushed the largest over the limit: clip a little tighter
    return [u for u, _ in kept], [v for _, v in kept]
