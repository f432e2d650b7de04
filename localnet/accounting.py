"""The localnet's accounting invariant, TAO and alpha, checked on a whole state.

TAO: free balances + the TAO in every pool (root included) == total issuance (recycled TAO
left issuance when it was recycled). Alpha, per subnet: ``alpha_in + alpha_out == minted -
recycled`` (its issuance) and ``alpha_out == stakes + pending emission + protocol alpha +
burned``; on root (1:1), ``tao == alpha_out == stakes``. Stake indices agree with the stakes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any


def totals(state: Mapping[str, Any]) -> dict[str, Any]:
    """Sums over the state and the list of invariant ``violations`` (empty when consistent)."""
    free = stake_total = 0
    stake: dict[int, int] = defaultdict(int)
    hk_stake: dict[int, int] = defaultdict(int)
    pending: dict[int, int] = defaultdict(int)
    pools: dict[int, dict[str, int]] = {}
    recycled = 0
    for key, value in state.items():
        if key.startswith("bal:"):
            free += value
        elif key.startswith("stake:"):
            stake[int(key.rsplit(":", 1)[1])] += value
            stake_total += value
        elif key.startswith("hk_stake:"):
            hk_stake[int(key.split(":")[1])] += value
        elif key.startswith("pending:"):
            pending[int(key.split(":")[1])] += sum(value.values())
        elif key.startswith("pool:"):
            pools[int(key.split(":")[1])] = value
        elif key.startswith("recycled:"):
            recycled += value
    issuance = int(state.get("issuance", 0))
    pool_tao = sum(p["tao"] for p in pools.values())
    violations = []
    if free + pool_tao != issuance:
        violations.append(f"TAO: free {free} + pool TAO {pool_tao} != issuance {issuance}")
    for netuid in sorted(set(pools) | set(stake) | set(pending)):
        p = pools.get(netuid)
        if p is None:
            violations.append(f"subnet {netuid}: stake or pending alpha without a pool")
            continue
        if hk_stake[netuid] != stake[netuid]:
            violations.append(f"subnet {netuid}: hotkey totals {hk_stake[netuid]} != stakes {stake[netuid]}")
        if netuid == 0:
            if not p["tao"] == p["alpha_out"] == stake[0]:
                violations.append(f"root: tao {p['tao']}, alpha_out {p['alpha_out']}, stakes {stake[0]} differ")
            continue
        if p["alpha_in"] + p["alpha_out"] != p["minted"] - p["recycled"]:
            violations.append(f"subnet {netuid}: alpha in {p['alpha_in']} + out {p['alpha_out']} != minted "
                              f"{p['minted']} - recycled {p['recycled']}")
        held = stake[netuid] + pending[netuid] + p["protocol_alpha"] + p["burned"]
        if p["alpha_out"] != held:
            violations.append(f"subnet {netuid}: alpha out {p['alpha_out']} != stakes {stake[netuid]} + pending "
                              f"{pending[netuid]} + protocol {p['protocol_alpha']} + burned {p['burned']}")
    return {"free": free, "pool_tao": pool_tao, "issuance": issuance, "recycled": recycled,
            "stake": stake_total, "alpha": {str(n): {**pools[n], "stakes": stake[n], "pending": pending[n]}
                                            for n in sorted(pools)},
            "violations": violations}
