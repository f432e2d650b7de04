"""Replay the stored blocks from the base state, compare every root and the final state, and check the
accounting invariant (TAO and alpha, ``localnet.accounting``) on the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from localnet import accounting
from localnet.chain import execute_block, header_hash, next_state_root, verify_signature
from localnet.runtime import load_modules
from localnet.storage import Storage


class VerifyError(Exception):
    pass


def _norm(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _outcomes(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dispatch results without their ``message``: the explanation is for people and may be worded
    differently by the btkit that replays (success, error name and events must be the same)."""
    return [{k: v for k, v in r.items() if k != "message"} for r in results]


def verify(db_path: Path) -> dict[str, Any]:
    load_modules()
    if not db_path.exists():
        raise VerifyError(f"no chain database at {db_path}")
    storage = Storage(db_path, readonly=True)
    storage.db.execute("BEGIN")  # one read snapshot: a running node keeps committing blocks meanwhile
    try:
        genesis = bytes.fromhex(storage.meta("genesis_hash")[2:])
        base = storage.meta("base")
        state: dict[str, Any] = _norm(base["state"])
        first = storage.block(base["number"])
        if first is None:
            raise VerifyError(f"base block {base['number']} is missing")
        prev_hash, prev_root = first["hash"], first["header"]["state_root"]
        count, extrinsics = 0, 0
        for block in storage.blocks_after(base["number"]):
            header, number = block["header"], block["header"]["number"]
            if header["parent_hash"] != prev_hash:
                raise VerifyError(f"block {number}: parent hash does not link to block {number - 1}")
            if header_hash(header) != block["hash"]:
                raise VerifyError(f"block {number}: header hash mismatch")
            for xt in block["extrinsics"]:
                if not verify_signature(xt, genesis):
                    raise VerifyError(f"block {number}: extrinsic {xt['hash']} has a bad signature")
            overlay, results, events = execute_block(state, number, header["parent_hash"], block["inherents"],
                                                     block["extrinsics"])
            changes = overlay.final_changes()
            root = next_state_root(prev_root, changes)
            if root != header["state_root"]:
                raise VerifyError(f"block {number}: state root differs on replay")
            if _outcomes(_norm(results)) != _outcomes(block["results"]) or _norm(events) != block["events"]:
                raise VerifyError(f"block {number}: dispatch results differ on replay")
            overlay.merge_into_parent()
            state = _norm(state) if count % 1000 == 999 else state
            prev_hash, prev_root = block["hash"], root
            count += 1
            extrinsics += len(block["extrinsics"])
        stored = storage.load_state()
        violations = accounting.totals(state)["violations"]
        if violations:
            raise VerifyError(f"the accounting invariant fails at the head: {'; '.join(violations[:3])}")
        if _norm(state) != stored:
            diff = sorted(set(state) ^ set(stored) | {k for k in state if k in stored and _norm(state[k]) != stored[k]})
            raise VerifyError(f"final state differs from the stored state in {len(diff)} keys (e.g. {diff[:3]})")
        head = storage.head_number()
        return {"ok": True, "base": base["number"], "head": head, "blocks_replayed": count,
                "extrinsics_replayed": extrinsics, "state_keys": len(stored), "head_state_root": prev_root}
    finally:
        storage.db.execute("ROLLBACK")
        storage.close()
