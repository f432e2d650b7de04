"""How a neuron's weight and bond rows are stored in the state.

A row is ``0x`` + the hex of its (uid, u16) pairs as little-endian u16, uid first (the pairs
of subtensor's ``Weights``/``Bonds`` storage, without the SCALE length prefix). One string per
row rather than a JSON list of pairs: at n = 4096 a validator's row is 4096 pairs, and the
epoch reads a subnet's rows straight into ``SparseRows`` arrays (``to_sparse``) without
building Python pairs. Rows written as JSON lists of pairs (by earlier versions, and ``[]``
for a new neuron) read the same.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from btkit.consensus.rows import SparseRows


def encode(pairs: Iterable[Sequence[int]]) -> str:
    """(uid, u16) pairs -> the stored row. Raises ``struct.error`` for a value outside u16."""
    flat = list(itertools.chain.from_iterable(pairs))
    return "0x" + struct.pack(f"<{len(flat)}H", *flat).hex()


def decode(stored: Any) -> list[list[int]]:
    """The stored row -> [[uid, u16], ...]."""
    if isinstance(stored, list):
        return [list(p) for p in stored]
    flat = struct.unpack(f"<{(len(stored) - 2) // 4}H", bytes.fromhex(stored[2:]))
    return [[flat[i], flat[i + 1]] for i in range(0, len(flat), 2)]


def to_sparse(stored_rows: Sequence[Any]) -> "SparseRows":
    """A subnet's stored rows (uid order) -> ``SparseRows`` for ``run_epoch``: one hex decode."""
    import numpy as np

    from btkit.consensus.rows import SparseRows

    hexes = [encode(stored)[2:] if isinstance(stored, list) else stored[2:] for stored in stored_rows]
    indptr = np.zeros(len(hexes) + 1, dtype=np.int64)
    np.cumsum([len(h) // 8 for h in hexes], out=indptr[1:])
    pairs = np.frombuffer(bytes.fromhex("".join(hexes)), dtype="<u2").astype(np.int64).reshape(-1, 2)
    return SparseRows(indptr, pairs[:, 0], pairs[:, 1])


def encode_row(rows: "SparseRows", i: int) -> str:
    """Row ``i`` of ``rows`` -> the stored row (what ``encode`` gives for the same pairs)."""
    import numpy as np

    cols, values = rows.row(i)
    if not len(cols):
        return "0x"
    return "0x" + np.stack((cols, values), axis=1).astype("<u2").tobytes().hex()
