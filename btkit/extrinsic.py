"""The extrinsic format shared by the client and the node.

An extrinsic is ``{signer, crypto, nonce, era:{birth, period}, tip, call:{pallet, function, args},
signature}``. The signed bytes are ``b"btkit/extrinsic/1" + genesis_hash + canonical_json(all
fields but signature)``; canonical JSON is sorted keys, no spaces, UTF-8.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

DOMAIN = b"btkit/extrinsic/1"
DEFAULT_ERA_PERIOD = 64
FIELDS = ("signer", "crypto", "nonce", "era", "tip", "call")


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def signing_payload(xt: dict[str, Any], genesis_hash: bytes) -> bytes:
    return DOMAIN + genesis_hash + canonical_json({k: xt[k] for k in FIELDS})


def extrinsic_hash(xt: dict[str, Any]) -> str:
    return "0x" + blake2_256(canonical_json(xt)).hex()


def call(pallet: str, function: str, **args: Any) -> dict[str, Any]:
    return {"pallet": pallet, "function": function, "args": args}


def build_signed(keypair: Any, call_: dict[str, Any], nonce: int, genesis_hash: bytes, birth: int,
                 period: int = DEFAULT_ERA_PERIOD, tip: int = 0) -> dict[str, Any]:
    """Sign ``call_`` with ``keypair`` (a ``keystore.keys.Keypair``)."""
    xt: dict[str, Any] = {
        "signer": keypair.ss58_address,
        "crypto": keypair.crypto_type.name.lower(),
        "nonce": nonce,
        "era": {"birth": birth, "period": period},
        "tip": tip,
        "call": call_,
    }
    xt["signature"] = "0x" + keypair.sign(signing_payload(xt, genesis_hash)).hex()
    return xt
