"""Yuma 2 epoch vectorized with numpy int64, bit-exact with ``reference``.

Weights and bonds arrive as ``SparseRows`` (CSR arrays; pairs are converted first) and the new
bonds leave as ``SparseRows``. The weight, bond and EMA matrices are dense over the rows that
can hold anything (permitted weight rows, bond rows, active stake): r x n int64. Per-uid vectors
stay Python ints (the stake normalization needs more than 64 bits). Two tricks keep int64 exact
where a plain product or quotient would overflow:

- ``_mul`` splits one factor into 16-bit halves; ``_div`` fixes a float estimate with the
  exact remainder;

The stake-weighted median uses the closed form of subtensor's pivot search: for each column,
the first score (in sorted order) whose cumulative stake exceeds the minority.
"""

from __future__ import annotations

import numpy as np

from btkit.consensus.fixed import FRAC, ONE, U16_MAX_FIX, div, from_int
from btkit.consensus.reference import _emission, is_topk_nonzero, stake_vector
from btkit.consensus.rows import SparseRows
from btkit.consensus.fixed import normalize
from btkit.consensus.types import EpochInput, EpochOutput

I64 = np.int64


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """floor(a * b / 2^32) for |a| < 2^34, 0 <= b < 2^34, without overflow."""
    bh, bl = b >> 16, b & 0xFFFF
    u = a * bh
    t = a * bl
    return (u >> 16) + (((u & 0xFFFF) << 16) + t >> 32)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """trunc(a * 2^32 / b) for a >= 0, 0 < b < 2^47 and a result below 2^50 (0 where b == 0).

    Every use divides a matrix by its column sum or maximum, so results are proportions (<= 2^32
    or so). A float64 estimate is then off by at most one; the exact remainder a*2^32 - q*b is
    small, so wrapping int64 arithmetic computes it exactly, and it fixes the estimate.
    """
    safe = np.where(b == 0, 1, b)
    with np.errstate(over="ignore"):
        q = np.floor(a.astype(np.float64) / safe.astype(np.float64) * 4294967296.0).astype(I64)
        r = (a << 32) - q * safe
        q = q - (r < 0) + (r >= safe)
    return np.where(b == 0, 0, q)


def _row_lengths(rows: SparseRows, n: int) -> np.ndarray:
    """Entries per uid row (n of them; 0 for rows the input does not have)."""
    out = np.zeros(n, dtype=I64)
    k = min(n, len(rows))
    out[:k] = np.diff(rows.indptr[:k + 1])
    return out


def _median(cand_scores: np.ndarray, use: list[int], kappa: int, n: int) -> list[int]:
    """Per column: the first score, in sorted order, whose cumulative stake exceeds the minority.

    This is where subtensor's pivot search ends: it returns the score p with
    S(< p) <= minority < S(<= p), the minimum when minority < 0 and the maximum when no
    cumulative stake exceeds it.
    """
    if not use:
        return [0] * n
    minority = sum(use) - kappa
    by_col = np.ascontiguousarray(cand_scores.T)  # n x K: sort along the contiguous axis
    order = np.argsort(by_col, axis=1)
    sorted_scores = np.take_along_axis(by_col, order, axis=1)
    cum = np.cumsum(np.asarray(use, dtype=I64)[order], axis=1)
    above = cum > minority
    first = np.where(above.any(axis=1), above.argmax(axis=1), len(use) - 1)
    return sorted_scores[np.arange(n), first].tolist()


def _dense(rows_in: SparseRows, n: int, slot: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows as an r x n matrix of raw values and a presence mask (only rows with a slot)."""
    k = min(n, len(rows_in))
    end = int(rows_in.indptr[k])
    rows = np.repeat(np.arange(k, dtype=I64), np.diff(rows_in.indptr[:k + 1]))
    cols, raw = rows_in.cols[:end], rows_in.values[:end]
    values = np.full((r, n), -1, dtype=I64)  # -1 marks "no entry" (stored values are u16)
    if len(rows):
        where = slot[rows]
        keep = (cols < n) & (where >= 0)
        if not keep.all():
            where, cols, raw = where[keep], cols[keep], raw[keep]
        values[where, cols] = raw
    present = values >= 0
    return np.maximum(values, 0), present


def run_epoch(inp: EpochInput) -> EpochOutput:
    n, b = inp.n, inp.block
    active_mask = [lu + inp.activity_cutoff >= b for lu in inp.last_update]
    stake = stake_vector(inp)
    new_permit = is_topk_nonzero(stake, inp.max_allowed_validators)
    active = normalize([s if (active_mask[i] and inp.validator_permit[i]) else 0 for i, s in enumerate(stake)])

    # Matrices are dense over the rows that can hold anything: permitted weight rows and bond rows.
    weights, bonds_in = SparseRows.from_pairs(inp.weights), SparseRows.from_pairs(inp.bonds)
    permit = np.asarray(inp.validator_permit, dtype=bool)
    A = np.asarray(active, dtype=I64)
    ridx = np.flatnonzero((permit & (_row_lengths(weights, n) > 0)) | (_row_lengths(bonds_in, n) > 0) | (A > 0))
    rows_idx = ridx.tolist()
    r = len(rows_idx)
    slot = np.full(n, -1, dtype=I64)
    slot[ridx] = np.arange(r)
    A_rows = A[ridx][:, None]
    last_update = np.asarray(inp.last_update, dtype=I64)
    bar = np.asarray(inp.block_at_registration, dtype=I64)

    # weights: permit rows, no diagonal (but the owner's), no outdated entries, row-normalized
    w_slot = np.where(permit, slot, -1)
    raw, present = _dense(weights, n, w_slot, r)
    present &= ~(last_update[ridx][:, None] <= bar[None, :])
    diag = ridx != (-1 if inp.owner_uid is None else inp.owner_uid)
    present[np.arange(r)[diag], ridx[diag]] = False
    raw = np.where(present, raw, 0)
    row_sum = raw.sum(axis=1)[:, None]
    w = np.where(row_sum > 0, (raw << FRAC) // np.where(row_sum > 0, row_sum, 1), raw << FRAC)

    preranks = _mul(w, A_rows).sum(axis=0).tolist()
    kappa = div(from_int(inp.kappa), U16_MAX_FIX)
    cand = [k for k, i in enumerate(rows_idx) if active[i] > 0]
    consensus = _median(w[cand], normalize([active[rows_idx[k]] for k in cand]), kappa, n)
    C = np.asarray(consensus, dtype=I64)[None, :]
    clipped = np.where(w > C, np.maximum(C, 0), w)
    vtrust = [0] * n
    for k, v in zip(rows_idx, clipped.sum(axis=1).tolist()):
        vtrust[k] = v
    ranks = _mul(clipped, A_rows).sum(axis=0).tolist()
    trust = [div(x, p) if p != 0 else 0 for x, p in zip(ranks, preranks)]
    incentive = normalize(ranks)

    # weights for bonds: W + penalty * (W' - W), entries <= 0 dropped (zeros are harmless here)
    penalty = div(from_int(inp.bonds_penalty), U16_MAX_FIX)
    if penalty == 0:
        wb = w
    elif penalty == ONE:
        wb = clipped
    else:
        wb = w + _mul(clipped - w, np.full_like(w, penalty))
        wb = np.where(wb > 0, wb, 0)

    # previous bonds (raw u16 as fixed), registration mask, column-normalized
    last_tempo = max(0, b - inp.tempo)
    braw, bpresent = _dense(bonds_in, n, slot, r)
    braw = np.where(bpresent & ~(last_tempo <= bar[None, :]), braw, 0)
    bsum = braw.sum(axis=0)[None, :]
    bonds = np.where(bsum != 0, (braw << FRAC) // np.where(bsum != 0, bsum, 1), braw << FRAC)

    delta = _mul(wb, A_rows)
    dsum = delta.sum(axis=0)[None, :]
    delta = np.where(dsum != 0, _div(delta, dsum), delta)
    alpha = ONE - (((inp.bonds_moving_average << 64) // 1_000_000) >> 32)
    ema = _mul(delta, np.full_like(delta, alpha)) + _mul(bonds, np.full_like(bonds, ONE - alpha))
    kept = ema > 0
    ema = np.where(kept, ema, 0)
    esum = ema.sum(axis=0)[None, :]
    ema = np.where(esum != 0, _div(ema, esum), ema)
    div_rows = _mul(ema, np.asarray(incentive, dtype=I64)[None, :]).sum(axis=1).tolist()
    dividends = [0] * n
    for k, v in zip(rows_idx, div_rows):
        dividends[k] = v
    dividends = normalize(dividends)
    col_max = ema.max(axis=0)[None, :] if r else np.zeros((1, n), dtype=I64)
    upscaled = np.where(col_max != 0, _div(ema, col_max), ema)
    stored = np.clip((upscaled * 65535) >> FRAC, 0, 65535)  # floor(x * 65535), saturating
    bonds_out = _bond_rows(n, ridx, np.asarray(new_permit, dtype=bool)[ridx], kept, stored)

    return _emission(inp, stake, active, active_mask, new_permit, consensus, incentive, dividends, vtrust,
                     ranks_norm=incentive, trust=trust, bonds=bonds_out)


def _bond_rows(n: int, ridx: np.ndarray, permitted: np.ndarray, kept: np.ndarray,
               stored: np.ndarray) -> SparseRows:
    """The new bond rows (entries kept by the EMA, u16 as stored) of the uids with a new permit."""
    slots = np.flatnonzero(permitted)
    sub = kept[slots]
    counts = np.zeros(n, dtype=I64)
    counts[ridx[slots]] = sub.sum(axis=1)
    indptr = np.zeros(n + 1, dtype=I64)
    np.cumsum(counts, out=indptr[1:])
    rr, cc = np.nonzero(sub)  # row-major: uid order, then column order
    return SparseRows(indptr, cc, stored[slots[rr], cc])
