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


class Unsupported(UsageError):
    """The backend (or the runtime behind it) lacks an operation; the message names what it is."""

    code = "unsupported"
