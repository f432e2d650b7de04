"""Proof-of-work registration (``SubtensorModule.register``) and the dev faucet.

Keys: ``lastpow:<hotkey>`` (block of the hotkey's last PoW registration), ``lastfaucet:<acct>``.
"""

from __future__ import annotations

from btkit.pow import pow_prefix, seal, seal_meets
from keystore.ss58 import ss58_decode
from localnet.runtime import Context, DispatchError, call
from localnet.runtime import balances, registration, subnets, system
from localnet.runtime.types import account, hex32, u16, u64
from localnet.state import Overlay

S = "SubtensorModule."
WINDOW = 5
FAUCET_DIFFICULTY = 1_000_000
FAUCET_AMOUNT = 1000 * 10**9


def check_work(state: Overlay, netuid: int, block: int, work_block: int, nonce: int, work: str,
               hotkey: str, coldkey: str, difficulty: int, last_used: int | None) -> None:
    """Work block in the window and unused, difficulty met, seal recomputed from our block hash."""
    if work_block >= block or block - work_block >= WINDOW:
        raise DispatchError(S + "InvalidWorkBlock",
                            f"work block {work_block} is not one of the last {WINDOW} blocks before {block}: "
                            "solve again on a recent block")
    if last_used is not None and work_block <= last_used:
        raise DispatchError(S + "InvalidWorkBlock",
                            f"the key already used a seal at block {last_used}: solve on a later block")
    block_hash = system.block_hash(state, work_block)
    if block_hash is None:
        raise DispatchError(S + "InvalidWorkBlock", f"no hash known for block {work_block}")
    work_bytes = bytes.fromhex(work[2:])
    if not seal_meets(work_bytes, difficulty):
        raise DispatchError(S + "InvalidDifficulty", f"the seal does not meet difficulty {difficulty}")
    prefix = pow_prefix(netuid, bytes.fromhex(block_hash[2:]), ss58_decode(hotkey), ss58_decode(coldkey))
    if seal(prefix, nonce) != work_bytes:
        raise DispatchError(S + "InvalidSeal",
                            "the seal is not keccak256(sha256(prefix + nonce)) for this netuid, block, hotkey "
                            "and coldkey")


@call("SubtensorModule", "register", netuid=u16, block_number=u64, nonce=u64, work=hex32, hotkey=account,
      coldkey=account)
def register(ctx: Context, netuid: int, block_number: int, nonce: int, work: str, hotkey: str, coldkey: str) -> None:
    """Register ``hotkey`` (the signer) on ``netuid`` with a proof of work; no fee."""
    state = ctx.state
    if ctx.signer != hotkey:
        raise DispatchError(S + "TransactorAccountShouldBeHotKey", "the hotkey must sign its PoW registration")
    params = registration.check_common(state, netuid, hotkey, ctx.block, pow_=True)
    difficulty = max(params["min_difficulty"], min(params["max_difficulty"], params["difficulty"]))
    check_work(state, netuid, ctx.block, block_number, nonce, work, hotkey, coldkey, difficulty,
               state.get(f"lastpow:{hotkey}"))
    subnets.claim_hotkey(state, hotkey, coldkey)
    uid = registration.admit(state, netuid, hotkey, coldkey, ctx.block, pow_=True)
    state.set(f"lastpow:{hotkey}", ctx.block)
    ctx.emit("SubtensorModule", "NeuronRegistered", netuid=netuid, uid=uid, hotkey=hotkey, pow=True)


@call("SubtensorModule", "faucet", block_number=u64, nonce=u64, work=hex32)
def faucet(ctx: Context, block_number: int, nonce: int, work: str) -> None:
    """Localnet only: a PoW (netuid 0, signer as hotkey and coldkey) mints 1,000 TAO to the signer."""
    state = ctx.state
    check_work(state, 0, ctx.block, block_number, nonce, work, ctx.signer, ctx.signer, FAUCET_DIFFICULTY,
               state.get(f"lastfaucet:{ctx.signer}"))
    state.set(f"lastfaucet:{ctx.signer}", ctx.block)
    balances.mint(state, ctx.signer, FAUCET_AMOUNT)
    ctx.emit("SubtensorModule", "Faucet", who=ctx.signer, amount=FAUCET_AMOUNT)
