"""``SparseRows``: weight or bond rows as CSR arrays, the epoch's array form.

A subnet's weights (or bonds) are n rows of ``(uid, u16)`` entries. At n = 4096 with 256
validators that is a million entries per matrix; as Python pairs, reading them costs more than
the epoch's arithmetic. ``SparseRows`` holds them as three int64 arrays instead, so that
``run_epoch`` reads them without walking Python objects; it also reads as the pairs API (a
Sequence of ``[[uid, u16], ...]`` rows, built on access), so code that indexes rows keeps working.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

I64 = np.int64


class SparseRows(Sequence):
    """Row i holds ``cols[indptr[i]:indptr[i + 1]]`` (uids) with ``values[...]`` (u16 as stored).

    ``indptr`` has len(rows) + 1 entries, starting at 0 and non-decreasing; all three are int64.
    """

    __slots__ = ("indptr", "cols", "values")

    def __init__(self, indptr: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        self.indptr = np.asarray(indptr, dtype=I64)
        self.cols = np.asarray(cols, dtype=I64)
        self.values = np.asarray(values, dtype=I64)
        if self.indptr.ndim != 1 or not len(self.indptr) or self.indptr[0] != 0 \
                or self.indptr[-1] != len(self.cols) or len(self.cols) != len(self.values):
            raise ValueError("SparseRows: indptr must run from 0 to len(cols), and cols and values match")

    @classmethod
    def from_pairs(cls, rows: Sequence[Sequence[Sequence[int]]]) -> "SparseRows":
        """The pairs API's adapter: rows of (uid, u16) tuples or 2-lists."""
        if isinstance(rows, SparseRows):
            return rows
        lengths = np.fromiter((len(r) for r in rows), dtype=I64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=I64)
        np.cumsum(lengths, out=indptr[1:])
        total = int(indptr[-1])
        flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(rows)), dtype=I64,
                           count=2 * total)
        return cls(indptr, flat[0::2], flat[1::2])

    @classmethod
    def from_row_arrays(cls, rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> "SparseRows":
        """Rows given as (uids, values) array pairs, one per row."""
        indptr = np.zeros(len(rows) + 1, dtype=I64)
        np.cumsum([len(c) for c, _ in rows], out=indptr[1:])
        if not rows:
            return cls(indptr, np.zeros(0, dtype=I64), np.zeros(0, dtype=I64))
        return cls(indptr, np.concatenate([c for c, _ in rows]).astype(I64, copy=False),
                   np.concatenate([v for _, v in rows]).astype(I64, copy=False))

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Row i as (uids, values) array views."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.cols[lo:hi], self.values[lo:hi]

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        cols, values = self.row(i)
        return np.stack((cols, values), axis=1).tolist()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SparseRows):
            return (np.array_equal(self.indptr, other.indptr) and np.array_equal(self.cols, other.cols)
                    and np.array_equal(self.values, other.values))
        if isinstance(other, Sequence):
            return len(other) == len(self) and all(self[i] == [list(p) for p in other[i]] for i in range(len(self)))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SparseRows(rows={len(self)}, entries={len(self.cols)})"
