"""The chain watcher: reads every block's events and credits transfers into the gateway's account.

A payment is a ``Balances.Transfer`` event with ``to`` = the gateway's account, emitted by an
extrinsic (failed extrinsics emit none); its ``from`` (the transfer's signer) is the payer, whose
credit it becomes. Transfers of one extrinsic are summed into one payment. Blocks are read in
order from the ledger's cursor, each applied atomically (``Ledger.apply_block``), so the watcher
resumes after a crash where it stopped and never credits a block twice. Only finalized blocks
are read (``Chain.finalized_head``: on btkit's localnet every block), so a credited payment cannot
be re-organised away.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from btkit.gateway.ledger import Ledger, Payment


def payments_in(block: int, events: Iterable, pay_to: str) -> list[Payment]:
    """The payments into ``pay_to`` among ``block``'s events (``btkit.chain.Event``), one per extrinsic."""
    per_extrinsic: dict[int, tuple[str, int]] = {}
    for e in events:
        if (e.pallet, e.name) != ("Balances", "Transfer") or e.extrinsic is None or e.data.get("to") != pay_to:
            continue
        payer, amount = per_extrinsic.get(e.extrinsic, (str(e.data["from"]), 0))
        per_extrinsic[e.extrinsic] = (payer, amount + int(e.data["amount"]))
    return [Payment(block, x, payer, amount) for x, (payer, amount) in sorted(per_extrinsic.items())]


class PaymentWatcher:
    """Credits ``pay_to``'s incoming transfers into ``ledger``; ``catch_up`` once, then ``start`` a
    thread polling the head every ``poll_s`` seconds. Node errors are logged and retried."""

    def __init__(self, chain, ledger: Ledger, pay_to: str, log, poll_s: float = 0.2) -> None:
        self.chain, self.ledger, self.pay_to, self.log, self.poll_s = chain, ledger, pay_to, log, poll_s
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def catch_up(self) -> int:
        """Apply every block up to the finalized head; returns the number of blocks read."""
        head, read = self.chain.finalized_head().number, 0
        block = self.ledger.next_block
        while block <= head and not self.stop_event.is_set():
            for p in self.ledger.apply_block(block, payments_in(block, self.chain.block_events(block), self.pay_to)):
                self.log("payment", payer=p.payer, amount_rao=p.amount, block=p.block, extrinsic=p.extrinsic)
            block, read = block + 1, read + 1
        return read

    def start(self) -> None:
        def loop() -> None:
            while not self.stop_event.wait(self.poll_s):
                try:
                    self.catch_up()
                except Exception as exc:  # a node hiccup: the cursor did not move, read the block again
                    self.log("payments-failed", error=f"{type(exc).__name__}: {exc}")

        self.thread = threading.Thread(target=loop, daemon=True, name="gateway-payments")
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread:
            self.thread.join(5)
