"""The runtime: calls grouped in pallet-like modules, each owning its storage keys.

``dispatch`` runs one call on an overlay; a ``DispatchError`` (named like subtensor's
errors, e.g. ``Balances.InsufficientBalance``) means the caller drops the overlay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from localnet.state import Overlay


class DispatchError(Exception):
    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name
        self.message = message or name


class BadCall(Exception):
    """The call is malformed (unknown function, wrong argument names or types)."""


@dataclass
class Context:
    state: Overlay
    signer: str
    block: int
    events: list[dict[str, Any]] = field(default_factory=list)

    def emit(self, pallet: str, name: str, /, **data: Any) -> None:
        self.events.append({"pallet": pallet, "name": name, "data": data})


Checker = Callable[[Any], Any]


@dataclass(frozen=True)
class CallDef:
    handler: Callable[..., None]
    params: dict[str, Checker]
    doc: str = ""


CALLS: dict[tuple[str, str], CallDef] = {}
# run after every successful call, on its context (governance: senate seats follow root stake)
AFTER_DISPATCH: list[Callable[[Context], None]] = []
# the signer of a call dispatched with root origin (an approved proposal): sudo checks accept it
ROOT = "<root>"


def call(pallet: str, function: str, **params: Checker) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(fn: Callable[..., None]) -> Callable[..., None]:
        CALLS[(pallet, function)] = CallDef(fn, params, (fn.__doc__ or "").strip())
        return fn

    return register


def validate_call(c: Any) -> tuple[CallDef, dict[str, Any]]:
    load_modules()
    if not isinstance(c, dict) or not isinstance(c.get("pallet"), str) or not isinstance(c.get("function"), str):
        raise BadCall("call must be {pallet, function, args}")
    definition = CALLS.get((c["pallet"], c["function"]))
    if definition is None:
        raise BadCall(f"unknown call {c['pallet']}.{c['function']}")
    args = c.get("args", {})
    if not isinstance(args, dict):
        raise BadCall("call args must be an object")
    missing = set(definition.params) - set(args)
    extra = set(args) - set(definition.params)
    if missing or extra:
        raise BadCall(f"{c['pallet']}.{c['function']} takes ({', '.join(definition.params)})"
                      + (f"; missing {', '.join(sorted(missing))}" if missing else "")
                      + (f"; unknown {', '.join(sorted(extra))}" if extra else ""))
    clean = {}
    for name, check in definition.params.items():
        try:
            clean[name] = check(args[name])
        except (TypeError, ValueError) as exc:
            raise BadCall(f"argument {name}: {exc}") from None
    return definition, clean


def dispatch(ctx: Context, c: dict[str, Any]) -> None:
    definition, args = validate_call(c)
    definition.handler(ctx, **args)
    for hook in AFTER_DISPATCH:
        hook(ctx)


def on_initialize(state: Overlay, block: int) -> None:
    """Block-start hooks, in a fixed order (deterministic replay depends on it)."""
    from localnet.runtime import emission, registration, system

    system.on_initialize(state, block)
    registration.on_initialize(state, block)
    emission.on_initialize(state, block)


_loaded = False


def load_modules() -> None:
    """Import every pallet module so that its calls register (once; any thread may call it, and
    ``validate_call`` does, so the node can load them after it starts answering)."""
    global _loaded
    if not _loaded:
        from localnet.runtime import (  # noqa: F401
            balances, emission, governance, pow, registration, serving, staking, subnets, system, weights,
        )
        _loaded = True
