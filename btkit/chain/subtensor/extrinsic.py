"""Signed extrinsics: the library builds the signing payload and the extrinsic, btkit's keystore signs;
submission with inclusion/finalization waits, pool rejections and dispatch errors by name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from btkit.chain.subtensor.events import event, module_error
from btkit.chain.types import SubmitResult
from btkit.chain.errors import TransactionRejected
from btkit.errors import BtkitError, ExitCode, NodeUnreachableError
from btkit.units import Balance

if TYPE_CHECKING:
    from btkit.chain.subtensor.backend import SubtensorChain

ERA_PERIOD = 64  # blocks a signed extrinsic stays valid (a mortal era, as the bittensor SDK signs)

# InvalidTransaction::Custom(n) of subtensor's SubtensorSignedExtension::validate (spec 218,
# pallets/subtensor/src/lib.rs at 15f8eb799): what the node refuses before a call is included.
CUSTOM_REJECTIONS = {
    1: ("SubtensorModule.NotEnoughStakeToSetWeights", "commit_weights: the hotkey's stake is below the weights minimum"),
    2: ("SubtensorModule.NotEnoughStakeToSetWeights", "reveal_weights: the hotkey's stake is below the weights minimum"),
    3: ("SubtensorModule.NotEnoughStakeToSetWeights", "set_weights: the hotkey's stake is below the weights minimum"),
    5: ("SubtensorModule.TooManyRegistrationsThisInterval", "the subnet took its registrations for this interval"),
}
POOL_REJECTIONS = (  # (text in the node's answer: a real node's, chopsticks', reason, what it means, the fix)
    (("bad signature", "badproof"), "BadProof", "the signature does not verify",
     "sign with the key of this account; was the chain reset, or is this the network you meant?"),
    (("outdated", "stale"), "Stale", "the nonce was used already", "resubmit: btkit picks the next nonce"),
    (("priority is too low",), "Priority", "an extrinsic with this nonce is already in the pool",
     "wait for it to be included"),
    (("in the future", "future"), "Future", "the nonce is ahead of the account's", "leave the nonce to btkit"),
    (("ancient birth block", "ancientbirthblock"), "AncientBirthBlock", "the extrinsic's era expired",
     "sign and submit it again"),
    (("inability to pay", "payment"), "Payment", "the signer cannot pay the fee", "fund the signing account"),
    (("already imported",), None, "this extrinsic is already in the pool", "wait for it to be included"),
)


def signed(chain: "SubtensorChain", keypair: Any, call: Any, nonce: int, signature: bytes | None = None) -> Any:
    """The extrinsic of ``call`` by ``keypair`` at ``nonce``, mortal for ``ERA_PERIOD`` blocks from the head;
    ``signature`` given: used as is (fee estimates use a zero signature)."""
    si = chain.conn.si
    head = chain.head()
    era = {"period": ERA_PERIOD, "current": head.number}
    with chain.conn.guard():
        if signature is None:
            payload = si.generate_signature_payload(call, era=era, nonce=nonce)
            signature = keypair.sign(bytes(payload.data))
        return si.create_signed_extrinsic(call, keypair, era=dict(era), nonce=nonce, signature=signature)


def rejection(chain: "SubtensorChain", text: str) -> TransactionRejected:
    """A pool rejection (``author_submit*`` error) as btkit's error, exit 4, with Substrate's reason."""
    low = text.lower()
    custom = re.search(r"custom error: (\d+)", low)
    if custom and int(custom.group(1)) in CUSTOM_REJECTIONS:
        name, meaning = CUSTOM_REJECTIONS[int(custom.group(1))]
        from btkit.explain import explain_short

        return TransactionRejected(f"rejected by the node: {name}: {meaning}", explain_short(name)[1], "Custom")
    for needles, reason, meaning, hint in POOL_REJECTIONS:
        if any(n in low for n in needles):
            label = f" ({reason})" if reason else ""
            return TransactionRejected(f"rejected by the node at {chain.url}: {meaning}{label}", hint, reason)
    return TransactionRejected(f"rejected by the node at {chain.url}: {text}")


def interrupted_after_send(chain: "SubtensorChain", xt_hash: str) -> BtkitError:
    """Ctrl-C once the extrinsic was handed to the node: exit 130, with its hash and the warning that
    it may still be included (sending it again could pay twice)."""
    err = BtkitError(f"interrupted while waiting for {xt_hash} on {chain.url}",
                     hint="it may still be included: check the balance or the chain before submitting it again")
    err.exit_code, err.code = ExitCode.INTERRUPTED, "interrupted"
    return err


def send(chain: "SubtensorChain", xt: Any, xt_hash: str, wait: str, timeout: float) -> SubmitResult:
    from async_substrate_interface.errors import MaxRetriesExceeded, SubstrateRequestException

    si = chain.conn.si
    with chain.conn.guard():
        quiet_for = si.retry_timeout  # the library gives up (never resends) after this long without a message
        si.retry_timeout = timeout
        try:
            receipt = si.submit_extrinsic(xt, wait_for_inclusion=wait != "none",
                                          wait_for_finalization=wait == "finalization")
        except MaxRetriesExceeded:
            raise NodeUnreachableError(f"{chain.url} reported no {wait} of {xt_hash} within {timeout:g} s",
                                       hint="it may still be included: check the balance or the chain before "
                                            "submitting it again") from None
        except SubstrateRequestException as exc:
            raise rejection(chain, str(exc)) from None
        except KeyboardInterrupt:  # Ctrl-C while waiting: the node may hold it already, say so
            raise interrupted_after_send(chain, xt_hash) from None
        finally:
            si.retry_timeout = quiet_for
    if wait == "none":
        return SubmitResult(hash=xt_hash, success=True)
    block_hash = receipt.block_hash
    with chain.conn.guard():
        block = si.get_block_number(block_hash)
        raw_events = receipt.triggered_events
    events = tuple(event(e) for e in raw_events)
    success, error, message = True, None, None
    for raw, ev in zip(raw_events, events):
        if (ev.pallet, ev.name) == ("System", "ExtrinsicFailed"):
            success = False
            error, message = module_error(chain.conn, ev.data.get("dispatch_error"))
        elif (ev.pallet, ev.name) == ("Sudo", "Sudid"):  # sudo succeeds even when the call inside fails
            result = ev.data.get("sudo_result")
            if isinstance(result, dict) and "Err" in result:
                success = False
                error, message = module_error(chain.conn, result["Err"])
    fee = next((Balance(int(e.data["actual_fee"])) for e in events
                if (e.pallet, e.name) == ("TransactionPayment", "TransactionFeePaid")), None)
    return SubmitResult(hash=xt_hash, success=success, block=block, block_hash=block_hash, error=error,
                        message=message, events=events, fee=fee)
