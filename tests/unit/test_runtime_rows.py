"""How the runtime stores weight and bond rows, and reads them back as pairs and as arrays."""

from __future__ import annotations

import random
import struct

import pytest

from btkit.consensus.rows import SparseRows
from localnet.runtime import rows


def test_rows_round_trip_and_read_older_pair_lists():
    rng = random.Random(3)
    pairs = [[j, rng.randint(0, 65535)] for j in sorted(rng.sample(range(4096), 300))]
    stored = rows.encode(pairs)
    assert stored.startswith("0x") and len(stored) == 2 + 300 * 8
    assert rows.decode(stored) == pairs
    assert rows.encode([]) == "0x" and rows.decode("0x") == []
    assert rows.decode([[1, 2]]) == [[1, 2]] and rows.decode([]) == []  # JSON pair lists (older chains, new neurons)
    assert rows.encode([(0, 1), (2, 65535)]) == "0x" + "0000" + "0100" + "0200" + "ffff"  # little-endian u16
    with pytest.raises(struct.error):
        rows.encode([(0, 65536)])


def test_to_sparse_and_encode_row_agree_with_the_pairs():
    rng = random.Random(4)
    table = [[[j, rng.randint(0, 65535)] for j in sorted(rng.sample(range(64), rng.randint(0, 64)))]
             for _ in range(20)]
    stored = [rows.encode(r) if i % 3 else r for i, r in enumerate(table)]  # both stored forms
    sparse = rows.to_sparse(stored)
    assert isinstance(sparse, SparseRows) and sparse == table
    assert [rows.encode_row(sparse, i) for i in range(len(table))] == [rows.encode(r) for r in table]
    assert rows.to_sparse([]) == []


def test_replacing_a_uid_drops_it_from_the_other_rows():
    from localnet.runtime import subnets
    from localnet.state import Overlay

    state = Overlay({})
    for i in range(3):
        subnets.append_neuron(state, 1, f"hk{i}", "ck", block=0)
    subnets.update_neuron(state, 1, 0, weights=rows.encode([(1, 65535), (2, 7)]), bonds=[[1, 9], [2, 3]])
    subnets.replace_neuron(state, 1, 1, "hk-new", "ck", block=5)
    uid0 = subnets.neuron(state, 1, 0)
    assert rows.decode(uid0["weights"]) == [[2, 7]] and rows.decode(uid0["bonds"]) == [[2, 3]]
    assert subnets.neuron(state, 1, 1)["hotkey"] == "hk-new"
