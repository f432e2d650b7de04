"""Runtime events as btkit's ``Event`` values, and the dispatch error of an extrinsic by name.

subtensor declares most of its events with unnamed fields (``NeuronRegistered(u16, u16, AccountId)``,
pallets/subtensor/src/macros/events.rs); ``FIELDS`` names them as btkit's localnet does, so that
``SubmitResult.event("NeuronRegistered")["uid"]`` reads the same on both backends. Events with
named fields (``Balances.Transfer {from, to, amount}``) keep their names; unknown unnamed ones
are numbered ``"0"``, ``"1"``, ...
"""

from __future__ import annotations

from typing import Any

from btkit.chain.types import Event

# (pallet, event, number of fields) -> field names; subtensor's positional order.
FIELDS: dict[tuple[str, str, int], tuple[str, ...]] = {
    ("SubtensorModule", "NetworkAdded", 2): ("netuid", "mechid"),
    ("SubtensorModule", "NeuronRegistered", 3): ("netuid", "uid", "hotkey"),
    ("SubtensorModule", "WeightsSet", 2): ("netuid", "uid"),
    ("SubtensorModule", "AxonServed", 2): ("netuid", "hotkey"),
    ("SubtensorModule", "StakeAdded", 2): ("hotkey", "amount"),
    ("SubtensorModule", "StakeAdded", 5): ("coldkey", "hotkey", "amount", "alpha", "netuid"),
    ("SubtensorModule", "StakeRemoved", 2): ("hotkey", "amount"),
    ("SubtensorModule", "StakeRemoved", 5): ("coldkey", "hotkey", "amount", "alpha", "netuid"),
    ("SubtensorModule", "WeightsCommitted", 2): ("hotkey", "hash"),
    ("SubtensorModule", "WeightsCommitted", 3): ("hotkey", "netuid", "hash"),
    ("SubtensorModule", "WeightsRevealed", 3): ("hotkey", "netuid", "hash"),
    ("SubtensorModule", "TakeIncreased", 3): ("coldkey", "hotkey", "take"),
    ("SubtensorModule", "TakeDecreased", 3): ("coldkey", "hotkey", "take"),
    ("SubtensorModule", "Faucet", 2): ("who", "amount"),
    ("SubtensorModule", "FirstEmissionBlockNumberSet", 2): ("netuid", "block"),
}


def event(raw: dict[str, Any]) -> Event:
    """One event as the library decodes it (``module_id``, ``event_id``, ``attributes``, ``extrinsic_idx``)."""
    pallet, name, attrs = raw["module_id"], raw["event_id"], raw.get("attributes")
    if isinstance(attrs, dict):
        data = dict(attrs)
    elif attrs is None:
        data = {}
    else:
        values = list(attrs) if isinstance(attrs, (list, tuple)) else [attrs]
        names = FIELDS.get((pallet, name, len(values)), tuple(str(i) for i in range(len(values))))
        data = dict(zip(names, values))
    return Event(pallet, name, data, raw.get("extrinsic_idx") if raw.get("phase") == "ApplyExtrinsic" else None)


def module_error(conn, dispatch_error: Any) -> tuple[str, str]:
    """A ``DispatchError`` (as the library decodes it) -> (``"Pallet.ErrorName"``, docs text).

    ``Module {index, error}`` is looked up in the metadata's error index (the runtime's own names,
    e.g. ``SubtensorModule.HotKeyAlreadyRegisteredInSubNet``); other kinds (``BadOrigin``,
    ``Token(FundsUnavailable)``, ...) are named ``System.<Kind>``.
    """
    if isinstance(dispatch_error, dict) and "Module" in dispatch_error:
        module = dispatch_error["Module"]
        index = module["index"] if isinstance(module, dict) else module[0]
        error = module["error"] if isinstance(module, dict) else module[1]
        if isinstance(error, str):
            error = bytes.fromhex(error.removeprefix("0x"))
        code = error[0] if isinstance(error, (bytes, bytearray, list, tuple)) else int(error)
        with conn.guard():
            for pallet in conn.si.metadata.pallets:
                if pallet.value["index"] == index:
                    for err in pallet.errors or []:
                        err = getattr(err, "value", err)
                        if err["index"] == code:
                            return f"{pallet.name}.{err['name']}", " ".join(err.get("docs") or []).strip()
        return f"Module{index}.Error{code}", ""
    if isinstance(dispatch_error, dict):
        kind, detail = next(iter(dispatch_error.items()))
        return f"System.{kind}" + (f"({detail})" if detail not in (None, ()) else ""), ""
    return f"System.{dispatch_error}", ""
