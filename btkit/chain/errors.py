"""Errors of the chain interface, shared by every backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from btkit.errors import ChainRejectedError, UsageError

if TYPE_CHECKING:
    from btkit.chain.types import SubmitResult


class DispatchFailed(ChainRejectedError):
    """An extrinsic was included but its call failed: ``result.error`` is ``"Pallet.ErrorName"`` (exit 4)."""

    code = "dispatch_error"

    def __init__(self, result: "SubmitResult") -> None:
        from btkit.explain import explain_short

        text, hint = explain_short(result.error or "Unknown", result.message or "")
        super().__init__(f"{result.error}: {text} (included in block {result.block})", hint)
        self.result = result


class TransactionRejected(ChainRejectedError):
    """The node refused an extrinsic before inclusion (exit 4); ``reason`` is Substrate's
    ``InvalidTransaction`` name: ``Stale``, ``Priority``, ``Future``, ``BadProof``, ``PoolFull``, ...

    ``nonce_taken``: another extrinsic of the same signer took the nonce first (``Stale``: already
    included; ``Priority``: pending in the pool). Signing again with a fresh nonce succeeds; backends
    do that themselves when they picked the nonce.
    """

    def __init__(self, message: str, hint: str = "", reason: str | None = None) -> None:
        super().__init__(message, hint)
        self.reason = reason

    @property
    def nonce_taken(self) -> bool:
        return self.reason in ("Stale", "Priority")


class Unsupported(UsageError):
    """The backend (or the runtime behind it) lacks an operation; the message names what it is."""

    code = "unsupported"


class ChainQueryError(ChainRejectedError):
    """A query refused by a chain rule; ``error`` is its subtensor name (``SubtensorModule.SubNetworkDoesNotExist``)."""

    def __init__(self, error: str, message: str) -> None:
        from btkit.explain import explain_short

        super().__init__(f"{error}: {message}", explain_short(error, message)[1])
        self.error = error
