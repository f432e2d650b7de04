"""Yuma 2 epoch vectorized with numpy int64, bit-exact with ``reference``.

The weight, bond and EMA matrices are held sparse (COO: row, col, bits). Per-uid vectors stay
Python ints (n is small; the stake normalization needs more than 64 bits). Two tricks keep
int64 exact where a plain product or quotient would overflow:

- ``_mul`` splits one factor into 16-bit halves; ``_div`` fixes a float estimate with the
  exact remainder;

The stake-weighted median uses the closed form of subtensor's pivot search: for each column,
the first score (in sorted order) whose cumulative stake exceeds the minority.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from btkit.consensus.fixed import FRAC, ONE, U16_MAX_FIX, div, from_int
from btkit.consensus.reference import _emission, is_topk_nonzero, stake_vector
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


def _coo(rows_in: list, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lengths = [len(r) for r in rows_in[:n]]
    total = sum(lengths)
    if total == 0:
        empty = np.zeros(0, dtype=I64)
        return empty, empty, empty
    flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(rows_in[:n])), dtype=I64,
                       count=2 * total)
    rows = np.repeat(np.arange(len(lengths), dtype=I64), lengths)
    return rows, flat[0::2], flat[1::2]


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


def _dense(rows_in: list, n: int, slot: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows as an r x n matrix of raw values and a presence mask (only rows with a slot)."""
    rows, cols, raw = _coo(rows_in, n)
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
    permit = inp.validator_permit
    rows_idx = [i for i in range(n) if (permit[i] and i < len(inp.weights) and inp.weights[i])
                or (i < len(inp.bonds) and inp.bonds[i]) or active[i] > 0]
    r = len(rows_idx)
    slot = np.full(n, -1, dtype=I64)
    slot[rows_idx] = np.arange(r)
    ridx = np.asarray(rows_idx, dtype=I64)
    A = np.asarray(active, dtype=I64)
    A_rows = A[ridx][:, None]
    last_update = np.asarray(inp.last_update, dtype=I64)
    bar = np.asarray(inp.block_at_registration, dtype=I64)

    # weights: permit rows, no diagonal (but the owner's), no outdated entries, row-normalized
    w_slot = np.where(np.asarray(permit, dtype=bool), slot, -1)
    raw, present = _dense(inp.weights, n, w_slot, r)
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
    braw, bpresent = _dense(inp.bonds, n, slot, r)
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
    bonds_out = BondRows(n, {i: k for k, i in enumerate(rows_idx) if new_permit[i]}, kept, stored)

    return _emission(inp, stake, active, active_mask, new_permit, consensus, incentive, dividends, vtrust,
                     ranks_norm=incentive, trust=trust, bonds=bonds_out)


class BondRows(Sequence):
    """The new bond rows, built as Python pairs only when read.

    At n = 4096 a full bond matrix is millions of pairs; most readers need a few rows (or none),
    so ``run_epoch`` returns this view and pays for a row when it is indexed.
    """

    def __init__(self, n: int, slot: dict[int, int], kept: np.ndarray, stored: np.ndarray) -> None:
        self._n, self._slot, self._kept, self._stored = n, slot, kept, stored

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        k = self._slot.get(i)
        if k is None:
            return []
        js = np.flatnonzero(self._kept[k])
        return np.stack((js, self._stored[k, js]), axis=1).tolist()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(other) == self._n and all(self[i] == [list(p) for p in other[i]] for i in range(self._n))
        return NotImplemented

    def __repr__(self) -> str:
        return f"BondRows(n={self._n}, rows={len(self._slot)})"
