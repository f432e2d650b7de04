"""Yuma epoch in plain Python integers, step by step as ``shared/spec/epoch.md`` lists them.

Clear rather than fast: it is the reference the vectorized version is checked against, and
the baseline ``bench/epoch.py`` measures.
"""

from __future__ import annotations

import math

from btkit.consensus.fixed import (
    FRAC, ONE, U16_MAX_FIX, div, from_int, mul, normalize, proportion_to_u16, vec_max_upscale_to_u16,
)
from btkit.consensus.types import EpochInput, EpochOutput

Sparse = list[list[tuple[int, int]]]


def is_topk_nonzero(vec: list[int], k: int) -> list[bool]:
    n = len(vec)
    result = [v != 0 for v in vec]
    if n < k:
        return result
    order = sorted(range(n), key=lambda i: vec[i])  # stable ascending
    for i in order[: max(n - k, 0)]:
        result[i] = False
    return result


def col_normalize(m: Sparse, n: int) -> Sparse:
    sums = [0] * n
    for row in m:
        for j, v in row:
            sums[j] += v
    return [[(j, div(v, sums[j]) if sums[j] != 0 else v) for j, v in row] for row in m]


def matmul(m: Sparse, vec: list[int], n: int) -> list[int]:
    out = [0] * n
    for i, row in enumerate(m):
        for j, v in row:
            out[j] += mul(vec[i], v)
    return out


def weighted_median(stake: list[int], score: list[int], idx: list[int], minority: int, lo: int, hi: int) -> int:
    while True:
        if not idx:
            return 0
        if len(idx) == 1:
            return score[idx[0]]
        pivot = score[idx[len(idx) // 2]]
        lo_stake = hi_stake = 0
        lower, upper = [], []
        for i in idx:
            if score[i] == pivot:
                continue
            if score[i] < pivot:
                lo_stake += stake[i]
                lower.append(i)
            else:
                hi_stake += stake[i]
                upper.append(i)
        if lo + lo_stake <= minority < hi - hi_stake:
            return pivot
        if minority < lo + lo_stake and lower:
            idx, hi = lower, lo + lo_stake
        elif hi - hi_stake <= minority and upper:
            idx, lo = upper, hi - hi_stake
        else:
            return pivot


def consensus_of(active: list[int], w: Sparse, n: int, kappa: int) -> list[int]:
    use_stake = normalize([s for s in active if s > 0])
    stake_sum = sum(use_stake)
    minority = stake_sum - kappa
    scores = [[0] * len(use_stake) for _ in range(n)]
    k = 0
    for i, s in enumerate(active):
        if s <= 0:
            continue
        for j, v in w[i]:
            scores[j][k] = v
        k += 1
    idx = list(range(len(use_stake)))
    return [weighted_median(use_stake, scores[c], idx, minority, 0, stake_sum) for c in range(n)]


def stake_vector(inp: EpochInput) -> list[int]:
    raw = [0 if s < inp.stake_threshold else s for s in inp.stake]
    total = sum(raw)
    if total == 0:
        return [0] * len(raw)
    # I64F64 normalize ((s << 64) << 64) // (total << 64), then I64F64 -> I32F32 (>> 32)
    return [((s << 64) // total) >> 32 for s in raw]


def masked_weights(inp: EpochInput, n: int) -> Sparse:
    w: Sparse = []
    for i in range(n):
        row = inp.weights[i] if i < len(inp.weights) else []
        if not inp.validator_permit[i]:
            w.append([])
            continue
        kept = []
        for j, v in row:
            if j >= n:
                continue
            if i == j and j != inp.owner_uid:
                continue
            if inp.last_update[i] <= inp.block_at_registration[j]:
                continue
            kept.append((j, from_int(v)))
        total = sum(v for _, v in kept)
        w.append([(j, div(v, total)) for j, v in kept] if total > 0 else kept)
    return w


def run_epoch(inp: EpochInput) -> EpochOutput:
    n = inp.n
    b = inp.block
    active_mask = [lu + inp.activity_cutoff >= b for lu in inp.last_update]
    stake = stake_vector(inp)
    new_permit = is_topk_nonzero(stake, inp.max_allowed_validators)
    active = [s if (active_mask[i] and inp.validator_permit[i]) else 0 for i, s in enumerate(stake)]
    active = normalize(active)

    w = masked_weights(inp, n)
    preranks = matmul(w, active, n)
    kappa = div(from_int(inp.kappa), U16_MAX_FIX)
    consensus = consensus_of(active, w, n, kappa)
    clipped: Sparse = []
    for row in w:
        out = []
        for j, v in row:
            if consensus[j] < v:
                if 0 < consensus[j]:
                    out.append((j, consensus[j]))
            else:
                out.append((j, v))
        clipped.append(out)
    vtrust = [sum(v for _, v in row) for row in clipped]
    ranks = matmul(clipped, active, n)
    trust = [div(r, p) if p != 0 else 0 for r, p in zip(ranks, preranks)]
    incentive = normalize(ranks)

    penalty = div(from_int(inp.bonds_penalty), U16_MAX_FIX)
    wb = interpolate(w, clipped, n, penalty)
    last_tempo = max(0, b - inp.tempo)
    if inp.yuma3:
        dividends, ema_store = _bonds_yuma3(inp, n, wb, consensus, incentive, active, last_tempo)
    else:
        bonds: Sparse = []
        for i in range(n):
            row = inp.bonds[i] if i < len(inp.bonds) else []
            bonds.append([(j, from_int(v)) for j, v in row if not last_tempo <= inp.block_at_registration[j]])
        bonds = col_normalize(bonds, n)
        delta = col_normalize([[(j, mul(v, active[i])) for j, v in row] for i, row in enumerate(wb)], n)
        bma64 = (inp.bonds_moving_average << 64) // 1_000_000
        alpha = ONE - (bma64 >> 32)
        ema = col_normalize(mat_ema(delta, bonds, alpha, n), n)
        dividends = [0] * n
        for i, row in enumerate(ema):
            for j, v in row:
                dividends[i] += mul(incentive[j], v)
        dividends = normalize(dividends)
        col_max = [0] * n
        for row in ema:
            for j, v in row:
                col_max[j] = max(col_max[j], v)
        ema_store = [[[j, proportion_to_u16(div(v, col_max[j]) if col_max[j] else v)] for j, v in row]
                     for row in ema]

    return _emission(inp, stake, active, active_mask, new_permit, consensus, incentive, dividends, vtrust,
                     ranks_norm=incentive, trust=trust, bonds=ema_store)


def interpolate(a: Sparse, b: Sparse, n: int, ratio: int) -> Sparse:
    if ratio == 0:
        return [list(r) for r in a]
    if ratio == ONE:
        return [list(r) for r in b]
    out: Sparse = []
    for ra, rb in zip(a, b):
        d1, d2 = dict(ra), dict(rb)
        row = []
        for j in range(n):
            v1, v2 = d1.get(j, 0), d2.get(j, 0)
            v = v1 + mul(ratio, v2 - v1)
            if v > 0:
                row.append((j, v))
        out.append(row)
    return out


def mat_ema(new: Sparse, old: Sparse, alpha: int, n: int) -> Sparse:
    one_minus = ONE - alpha
    out: Sparse = []
    for rn, ro in zip(new, old):
        row = [0] * n
        for j, v in rn:
            row[j] += mul(alpha, v)
        for j, v in ro:
            row[j] += mul(one_minus, v)
        out.append([(j, v) for j, v in enumerate(row) if v > 0])
    return out


def _bonds_yuma3(inp: EpochInput, n: int, wb: Sparse, consensus: list[int], incentive: list[int],
                 active: list[int], last_tempo: int) -> tuple[list[int], Sparse]:
    """Yuma 3: bonds held as u16 proportions, optional liquid alpha (float sigmoid, ~1e-3)."""
    bonds = []
    for i in range(n):
        row = inp.bonds[i] if i < len(inp.bonds) else []
        bonds.append([(j, div(from_int(v), U16_MAX_FIX)) for j, v in row
                      if not last_tempo <= inp.block_at_registration[j]])
    if inp.liquid_alpha and any(c != 0 for c in consensus):
        low, high = div(from_int(inp.alpha_low), U16_MAX_FIX), div(from_int(inp.alpha_high), U16_MAX_FIX)
        ema = []
        for i in range(n):
            old = dict(bonds[i])
            row = []
            for j, w in wb[i]:  # only entries present in the row survive (Yuma 3)
                a = liquid_alpha(consensus[j], w, old.get(j, 0), low, high, inp.alpha_sigmoid_steepness)
                v = min(ONE, mul(a, w) + mul(ONE - a, old.get(j, 0)))
                if v > 0:
                    row.append((j, v))
            ema.append(row)
    else:
        alpha = ONE - ((inp.bonds_moving_average << 64) // 1_000_000 >> 32)
        ema = mat_ema(wb, bonds, alpha, n)
    norm = col_normalize(ema, n)
    per_validator = [sum(mul(v, incentive[j]) for j, v in row) for row in norm]
    dividends = normalize([mul(t, a) for t, a in zip(per_validator, active)])
    store = [[[j, proportion_to_u16(v)] for j, v in row] for row in ema]
    return dividends, store


def liquid_alpha(consensus: int, weight: int, bond: int, low: int, high: int, steepness: int) -> int:
    """subtensor's alpha_sigmoid: buy/sell distance to consensus through a sigmoid, in [low, high].

    The exponential is computed in floating point (the spec allows 1e-3 for liquid alpha).
    """
    diff_buy = min(max(weight - consensus, 0), ONE)
    diff_sell = min(max(bond - weight, 0), ONE)
    combined = diff_buy if weight >= bond else diff_sell
    x = max(-20.0, min(20.0, -steepness / 100 * (combined / ONE - 0.5)))
    sigmoid = int(ONE / (1 + math.exp(x)))
    return min(max(low + mul(sigmoid, high - low), low), high)


def _emission(inp: EpochInput, stake, active, active_mask, new_permit, consensus, incentive, dividends, vtrust,
              ranks_norm, trust, bonds) -> EpochOutput:
    n = inp.n
    combined = [i + d for i, d in zip(incentive, dividends)]
    total = sum(combined)
    server = [div(i, total) for i in incentive] if total else list(incentive)
    validator = [div(d, total) for d in dividends] if total else list(dividends)
    combined_norm = normalize(combined)
    if total == 0:
        fallback = stake if sum(active) == 0 else active
        validator, combined_norm = list(fallback), list(fallback)
    rao = inp.rao_emission

    def to_rao(v: int) -> int:
        return max(0, (v * rao) >> FRAC)

    return EpochOutput(
        active=active_mask,
        consensus=[proportion_to_u16(v) for v in consensus],
        incentive=[proportion_to_u16(v) for v in incentive],
        dividends=[proportion_to_u16(v) for v in dividends],
        validator_trust=[proportion_to_u16(v) for v in vtrust],
        rank=[proportion_to_u16(v) for v in ranks_norm],
        trust=[proportion_to_u16(v) for v in trust],
        pruning_score=vec_max_upscale_to_u16(combined_norm),
        emission=[to_rao(v) for v in combined_norm],
        server_emission=[to_rao(v) for v in server],
        validator_emission=[to_rao(v) for v in validator],
        validator_permit=new_permit,
        bonds=[list(bonds[i]) if new_permit[i] else [] for i in range(n)] if isinstance(bonds, list) else bonds,
    )
