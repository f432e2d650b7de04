"""Prices shown to the user: checked against the limit, re-checked right before signing, and settled
with what the chain actually charged.

A price (the burn of ``burned_register``, the lock of ``register_network``) moves while a
confirmation is open, a password is typed, or other extrinsics land in the same block. So::

    quote = Quote("the burn of subnet 1", lambda: chain.burn_cost(1), limit=max_cost)  # PriceLimitError
    ...ask the user about quote.amount; quote.agreed(asked_on_terminal)...
    quote.recheck()                          # right before signing: PriceLimitError if above the ceiling
    result = chain.submit(...)
    charged = quote.settle(result.event("NeuronRegistered"), "burn")   # ChargedAboveLimit if above

The ceiling is ``--max-cost`` when given, else the price a person agreed to on a terminal (a
price that rose after "yes" is not what they agreed to); with ``-y`` and no ``--max-cost`` there
is none. ``settle`` reads the amount from the chain's event, so the output reports what was
charged, not what was quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from btkit.errors import BtkitError
from btkit.units import Balance


class PriceLimitError(BtkitError):
    """The price is above the limit (``--max-cost`` or the agreed price); nothing was sent."""

    code = "price_above_limit"


class ChargedAboveLimit(BtkitError):
    """The chain charged more than the limit (the price moved between the last check and inclusion).
    The call went through: the message says what it did and what it cost."""

    code = "charged_above_limit"


class Quote:
    """One price: ``what`` it is, how to ``read`` it now (a ``Balance``), and the user's ``limit``
    (``option`` names the flag that set it, for messages)."""

    def __init__(self, what: str, read: Callable[[], Balance], limit: Balance | None = None,
                 option: str = "--max-cost") -> None:
        self.what, self.read, self.limit, self.option = what, read, limit, option
        self.ceiling = limit
        self.amount = read()
        self._check(self.amount, "is")

    def _limit_text(self) -> str:
        return f"{self.option} {self.limit}" if self.limit is not None and self.ceiling == self.limit else \
            f"the {self.ceiling} you agreed to"

    def _check(self, amount: Balance, verb: str) -> None:
        if self.ceiling is not None and amount > self.ceiling:
            raise PriceLimitError(f"{self.what} {verb} {amount}, above {self._limit_text()}; nothing was sent",
                                  hint=f"wait for it to come down, or raise {self.option}")

    def agreed(self, on_terminal: bool) -> None:
        """The user said yes to ``amount``; on a terminal that price becomes the ceiling (if lower)."""
        if on_terminal and (self.ceiling is None or self.amount < self.ceiling):
            self.ceiling = self.amount

    def recheck(self) -> Balance:
        """Read the price again (call right before signing); raises ``PriceLimitError`` above the ceiling."""
        now = self.read()
        self._check(now, f"rose from {self.amount} to" if now != self.amount else "is")
        self.amount = now
        return now

    def settle(self, event: Mapping[str, Any] | None, field: str, done: str = "") -> Balance:
        """The amount charged, from the chain's ``event`` field (rao); the last quote when the event
        does not carry it. Raises ``ChargedAboveLimit`` (with ``done``, what the call did) above the ceiling."""
        charged = Balance(int(event[field])) if event and field in event else self.amount
        if self.ceiling is not None and charged > self.ceiling:
            raise ChargedAboveLimit(
                f"{done + ': ' if done else ''}the chain charged {charged} for {self.what}, above "
                f"{self._limit_text()} (it rose after the last check, before inclusion)",
                hint="the charge is final; set a lower --max-cost next time to refuse sooner")
        return charged
