"""An in-process chain for runtime tests: genesis, real call dispatch, one block at a time, and the
accounting invariant (TAO and alpha) checked after every block."""

from __future__ import annotations

from typing import Any

from keystore.keys import Keypair
from localnet import accounting, genesis
from localnet.chain import execute_block
from localnet.runtime import load_modules

TAO = 10**9
S = "SubtensorModule"


def addr(uri: str) -> str:
    return Keypair.from_uri(uri).ss58_address


class Chain:
    def __init__(self, profile: str = "dev") -> None:
        load_modules()
        self.state: dict[str, Any] = genesis.genesis_state(profile)
        self.number = 0

    def block(self, *items: tuple[str, str, dict[str, Any]]) -> list[dict[str, Any]]:
        """Run one block of (signer, "Pallet.function" or function, args); returns the results."""
        self.number += 1
        xts = []
        for signer, fn, args in items:
            pallet, _, name = fn.rpartition(".")
            xts.append({"signer": signer, "call": {"pallet": pallet or S, "function": name, "args": args}})
        overlay, results, _ = execute_block(self.state, self.number, "0x" + "00" * 32, [], xts)
        overlay.merge_into_parent()
        violations = accounting.totals(self.state)["violations"]
        assert not violations, (self.number, violations)
        return results

    def ok(self, signer: str, fn: str, **args: Any) -> dict[str, Any]:
        (r,) = self.block((signer, fn, args))
        assert r["success"], r
        return r

    def fails(self, signer: str, fn: str, error: str, **args: Any) -> dict[str, Any]:
        (r,) = self.block((signer, fn, args))
        assert not r["success"] and r["error"].endswith("." + error), r
        return r

    def mine(self, n: int) -> None:
        for _ in range(n):
            self.block()

    def subnet(self, owner: str, hotkey: str) -> int:
        r = self.ok(owner, "register_network", hotkey=hotkey)
        netuid = next(e["data"]["netuid"] for e in r["events"] if e["name"] == "NetworkAdded")
        self.ok(owner, "start_call", netuid=netuid)
        return netuid

    def stake(self, hotkey: str, coldkey: str, netuid: int) -> int:
        return int(self.state.get(f"stake:{hotkey}:{coldkey}:{netuid}", 0))

    def free(self, who: str) -> int:
        return int(self.state.get(f"bal:{who}", 0))

    def pool(self, netuid: int) -> dict[str, int]:
        return self.state[f"pool:{netuid}"]
