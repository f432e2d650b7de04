"""The node's log: one line per extrinsic, one per epoch per subnet, nothing for empty blocks.

Two formats (``python -m localnet --log-format text|json``), both one record per line:

- text: ``HH:MM:SS event key=value ...`` (values without spaces), or ``HH:MM:SS message`` for
  lifecycle notes; amounts in τ, or α for a subnet's alpha (an epoch pays alpha under dynamic TAO).
- json: ``{"time": unix seconds, "event": ..., ...}``; amounts as ``{"rao": int, "tao": "decimal"}``
  (the shape every ``--json`` output of btkit uses), ``{"rao": int, "alpha": "decimal"}`` for alpha.

Events: ``extrinsic`` (block, index, signer, call ``Pallet.function``, result ``success`` or
``failed`` with ``error`` ``Pallet.ErrorName``, nonce, hash), ``rejected`` (refused before a block:
signer, call, reason, e.g. ``Stale``), ``epoch`` (block, netuid, uids, emission, owner_cut, recycled),
``note`` (start, stop, internal errors). :func:`parse_line` reads either format back into a dict
(what ``btkit localnet logs --json`` returns).
"""

from __future__ import annotations

import json
import sys
import time
from typing import IO, Any

from btkit.tables import SYMBOLS

AMOUNT_FIELDS = ("emission", "owner_cut", "recycled")


def _amount_text(rao: int, unit: str) -> str:
    whole, frac = divmod(int(rao), 10**9)
    text = f"{SYMBOLS[unit]}{whole:,}"
    return f"{text}.{frac:09d}".rstrip("0") if frac else text


def _amount_json(rao: int, unit: str) -> dict[str, Any]:
    from decimal import Decimal

    return {"rao": int(rao), unit: str(Decimal(int(rao)) / 10**9)}


def _amount_read(text: str) -> Any:
    """``α1,234.5`` (a text line's amount) as the JSON lines' ``{"rao": int, "alpha": "1234.5"}``."""
    from decimal import Decimal, InvalidOperation

    unit = next((u for u, symbol in SYMBOLS.items() if text.startswith(symbol)), None)
    try:
        return _amount_json(int(Decimal(text[1:].replace(",", "")) * 10**9), unit) if unit else text
    except InvalidOperation:
        return text


class NodeLog:
    """Writes the node's records to ``stream`` (stderr: the node's log file) in ``fmt``."""

    def __init__(self, fmt: str = "text", stream: IO[str] | None = None) -> None:
        if fmt not in ("text", "json"):
            raise ValueError("log format must be text or json")
        self.fmt = fmt
        self.stream = stream or sys.stderr

    def _write(self, event: str, fields: dict[str, Any], unit: str = "tao") -> None:
        if self.fmt == "json":
            doc = {"time": round(time.time(), 3), "event": event,
                   **{k: _amount_json(v, unit) if k in AMOUNT_FIELDS else v for k, v in fields.items()}}
            line = json.dumps(doc, ensure_ascii=False)
        elif event == "note":
            line = f"{time.strftime('%H:%M:%S')} {fields['message']}"
        else:
            parts = [f"{k}={_amount_text(v, unit) if k in AMOUNT_FIELDS else v}" for k, v in fields.items()
                     if v is not None]
            line = f"{time.strftime('%H:%M:%S')} {event} " + " ".join(parts)
        self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        self._write("note", {"message": message})

    def block(self, block: dict[str, Any], epochs: list[tuple[int, dict[str, Any]]]) -> None:
        """The lines of one produced block: its extrinsics, then its epochs (an empty block writes none)."""
        number = block["header"]["number"]
        for index, (xt, result) in enumerate(zip(block["extrinsics"], block["results"])):
            c = xt["call"]
            self._write("extrinsic", {
                "block": number, "index": index, "signer": xt["signer"], "call": f"{c['pallet']}.{c['function']}",
                "result": "success" if result["success"] else "failed", "error": result.get("error"),
                "nonce": xt["nonce"], "hash": xt["hash"]})
        for netuid, record in epochs:
            self._write("epoch", {
                "block": number, "netuid": netuid, "uids": len(record.get("payouts", ())),
                "emission": record["rao_emission"] + record["owner_cut"], "owner_cut": record["owner_cut"],
                "recycled": record["recycled"]}, unit=record.get("unit", "tao"))

    def rejected(self, extrinsic: Any, reason: str) -> None:
        """An extrinsic refused before it reached a block (bad nonce, signature, era, full pool)."""
        xt = extrinsic if isinstance(extrinsic, dict) else {}
        c = xt.get("call") if isinstance(xt.get("call"), dict) else {}
        self._write("rejected", {"signer": xt.get("signer"), "call": f"{c.get('pallet')}.{c.get('function')}",
                                 "nonce": xt.get("nonce"), "reason": reason})


def parse_line(line: str) -> dict[str, Any]:
    """One log line as a dict: JSON lines as they are, text lines as ``{time, event, key: value}``
    (integers as ints, amounts as the JSON lines' ``{"rao", "tao"|"alpha"}``), other text as
    ``{time, event: "note", message}``."""
    line = line.rstrip("\n")
    if line.startswith("{"):
        try:
            return json.loads(line)
        except ValueError:
            pass
    stamp, _, rest = line.partition(" ")
    event, _, tail = rest.partition(" ")
    parts = tail.split(" ") if tail else []
    if event in ("extrinsic", "rejected", "epoch") and all("=" in p for p in parts):
        doc: dict[str, Any] = {"time": stamp, "event": event}
        for part in parts:
            key, _, value = part.partition("=")
            doc[key] = _amount_read(value) if key in AMOUNT_FIELDS else int(value) if value.isdigit() else value
        return doc
    return {"time": stamp, "event": "note", "message": rest}
