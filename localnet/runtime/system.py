"""System: nonces, block-level hooks (emission schedule), and ``System.remark``."""

from __future__ import annotations

from localnet.runtime import Context, call
from localnet.runtime.balances import ISSUANCE
from localnet.runtime.types import text
from localnet.state import Overlay

SUPPLY_CAP = 21_000_000 * 10**9
BLOCK_EMISSION = "emission:block"


def nonce_key(who: str) -> str:
    return f"nonce:{who}"


def nonce(state: Overlay, who: str) -> int:
    return state.int(nonce_key(who))


def block_emission(issuance: int) -> int:
    """``floor(1e9 / 2^k)``, ``k = floor(log2(1 / (1 - issuance / 21e15)))``, in exact integers."""
    if issuance >= SUPPLY_CAP:
        return 0
    left = SUPPLY_CAP - max(issuance, 0)
    k = 0
    while left << (k + 1) <= SUPPLY_CAP:  # 2^(k+1) <= cap / left
        k += 1
    return 10**9 >> k


BLOCK_HASHES_KEPT = 256


def note_parent_hash(state: Overlay, block: int, parent_hash: str) -> None:
    """Keep the hashes of the last 256 blocks (PoW seals are computed over a recent block's hash)."""
    if block >= 1:
        state.set(f"blockhash:{block - 1}", parent_hash)
    if block - 1 - BLOCK_HASHES_KEPT >= 0:
        state.delete(f"blockhash:{block - 1 - BLOCK_HASHES_KEPT}")


def block_hash(state: Overlay, number: int) -> str | None:
    return state.get(f"blockhash:{number}")


def on_initialize(state: Overlay, block: int) -> None:
    """Every block: recompute the emission from the current issuance."""
    state.set(BLOCK_EMISSION, block_emission(state.int(ISSUANCE)))


@call("System", "remark", remark=text(1024))
def remark(ctx: Context, remark: str) -> None:
    """Put a note on chain (no effect)."""
    ctx.emit("System", "Remarked", who=ctx.signer, length=len(remark))
