"""Request hashes and signed receipts: what a paying client keeps as proof of each debit.

A request hash is the sha256 (hex) of the request's btauth/1 signed payload (scheme, method,
target, body hash, nonce, sender, receiver): the client computes it from what it sent, the
gateway from what it verified. A receipt is ``{gateway, payer, price_rao, credit_rao,
request_hash, netuid, time_ns}`` signed by the gateway's hotkey over
``b"btkit/receipt/1" + canonical_json(fields)`` and carried as ``signature`` ("0x" + hex) and
``crypto`` (sr25519 or ed25519).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from btkit.errors import BtkitError
from btkit.extrinsic import canonical_json
from btkit.net import btauth

DOMAIN = b"btkit/receipt/1"
FIELDS = ("gateway", "payer", "price_rao", "credit_rao", "request_hash", "netuid", "time_ns")


class ReceiptError(BtkitError):
    code = "bad_receipt"


def request_hash(headers: Mapping[str, str], method: str, target: str, body: bytes) -> str:
    h = {k.lower(): v for k, v in headers.items()}
    signed = btauth.payload(h.get(btauth.H_CRYPTO.lower(), "sr25519").lower(), method, target, body,
                            int(h[btauth.H_NONCE.lower()]), h[btauth.H_HOTKEY.lower()],
                            h.get(btauth.H_RECEIVER.lower()))
    return hashlib.sha256(signed).hexdigest()


def sign(keypair, *, payer: str, price_rao: int, credit_rao: int, request_hash: str, netuid: int) -> dict[str, Any]:
    fields = {"gateway": keypair.ss58_address, "payer": payer, "price_rao": price_rao, "credit_rao": credit_rao,
              "request_hash": request_hash, "netuid": netuid, "time_ns": time.time_ns()}
    signature = keypair.sign(DOMAIN + canonical_json(fields))
    return {**fields, "signature": "0x" + signature.hex(), "crypto": keypair.crypto_type.name.lower()}


def verify(receipt: Any, gateway: str, payer: str | None = None, expected_hash: str | None = None) -> dict[str, Any]:
    """Check a receipt's shape, that ``gateway`` signed it, and (when given) its payer and request hash.
    Returns the receipt; raises ``ReceiptError`` saying what is wrong."""
    from keystore.keys import CryptoType, Keypair

    if not isinstance(receipt, dict) or any(k not in receipt for k in (*FIELDS, "signature")):
        raise ReceiptError("the receipt is missing or incomplete")
    if receipt["gateway"] != gateway:
        raise ReceiptError(f"the receipt names gateway {receipt['gateway']}, not {gateway}")
    if payer is not None and receipt["payer"] != payer:
        raise ReceiptError("the receipt is for another payer")
    if expected_hash is not None and receipt["request_hash"] != expected_hash:
        raise ReceiptError("the receipt is for another request")
    try:
        key = Keypair.public_only(gateway, CryptoType.parse(str(receipt.get("crypto", "sr25519"))))
        sig = bytes.fromhex(str(receipt["signature"]).removeprefix("0x"))
    except Exception:
        raise ReceiptError("the receipt's signature or key is malformed") from None
    if not key.verify(DOMAIN + canonical_json({k: receipt[k] for k in FIELDS}), sig):
        raise ReceiptError("the receipt's signature does not verify: it was not signed by the gateway")
    return receipt
