"""The node log's two formats read back (`localnet logs --json`) as the same records."""

from __future__ import annotations

import io

import pytest

from localnet.log import NodeLog, parse_line

BLOCK = {"header": {"number": 30},
         "extrinsics": [{"call": {"pallet": "SubtensorModule", "function": "add_stake"}, "signer": "5Grw",
                         "nonce": 2, "hash": "0xab"}],
         "results": [{"success": False, "error": "SubtensorModule.NotEnoughBalanceToStake"}]}
EPOCH = {"payouts": [1, 2, 3, 4], "rao_emission": 5_420_000_000, "owner_cut": 1_080_000_000, "recycled": 0,
         "unit": "alpha"}


def lines(fmt: str) -> list[dict]:
    out = io.StringIO()
    NodeLog(fmt, out).block(BLOCK, [(1, EPOCH), (2, {**EPOCH, "unit": "tao", "rao_emission": 1_234_567_000_000_000})])
    return [parse_line(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_both_formats_read_back_as_the_same_records(fmt):
    records = [{k: v for k, v in rec.items() if k != "time"} for rec in lines(fmt)]
    failed, alpha, tao = records
    assert failed == {"event": "extrinsic", "block": 30, "index": 0, "signer": "5Grw",
                      "call": "SubtensorModule.add_stake", "result": "failed",
                      "error": "SubtensorModule.NotEnoughBalanceToStake", "nonce": 2, "hash": "0xab"}
    # amounts have one shape whatever the log's format: {"rao": int, "alpha"|"tao": "decimal"}
    assert alpha == {"event": "epoch", "block": 30, "netuid": 1, "uids": 4,
                     "emission": {"rao": 6_500_000_000, "alpha": "6.5"},
                     "owner_cut": {"rao": 1_080_000_000, "alpha": "1.08"}, "recycled": {"rao": 0, "alpha": "0"}}
    assert tao["emission"] == {"rao": 1_234_568_080_000_000, "tao": "1234568.08"}
