"""btauth/1: hotkey-signed HTTP requests and responses (``shared/spec/neurons.md``).

Wire-compatible with the ``bittensor`` SDK's ``http_auth``: same headers, same newline-joined
payload, sr25519/ed25519 signatures. Failures carry a reason that never echoes the signature.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

PROTOCOL, VERSION = "btauth/1", "1"
H_VERSION, H_HOTKEY, H_RECEIVER = "X-Bittensor-Version", "X-Bittensor-Hotkey", "X-Bittensor-Receiver"
H_NONCE, H_SIGNATURE, H_CRYPTO = "X-Bittensor-Nonce", "X-Bittensor-Signature", "X-Bittensor-Crypto"
MAX_AGE_S, SKEW_S = 10.0, 2.0


class AuthFailure(Exception):
    """Why a request was refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass(frozen=True)
class Caller:
    hotkey: str
    nonce_ns: int
    scheme: str


def payload(scheme: str, method: str, target: str, body: bytes, nonce_ns: int, sender: str,
            receiver: str | None) -> bytes:
    lines = (PROTOCOL, scheme, method.upper(), target, hashlib.sha256(body).hexdigest(), str(nonce_ns), sender,
             receiver or "-")
    return "\n".join(lines).encode()


def sign(keypair, method: str, target: str, body: bytes = b"", receiver: str | None = None,
         nonce_ns: int | None = None) -> dict[str, str]:
    """Headers that prove ``keypair`` (a ``keystore.keys.Keypair`` with its secret) sent this request."""
    scheme = keypair.crypto_type.name.lower()
    nonce = time.time_ns() if nonce_ns is None else nonce_ns
    sig = keypair.sign(payload(scheme, method, target, body, nonce, keypair.ss58_address, receiver))
    headers = {H_VERSION: VERSION, H_HOTKEY: keypair.ss58_address, H_NONCE: str(nonce), H_SIGNATURE: "0x" + sig.hex()}
    if scheme != "sr25519":
        headers[H_CRYPTO] = scheme
    if receiver is not None:
        headers[H_RECEIVER] = receiver
    return headers


class NonceStore:
    """Seen (hotkey, nonce) pairs for the freshness window; thread-safe.

    The pairs live in memory, so a restarted server would not know what its previous process accepted:
    nonces (ns since the epoch) older than ``started_ns`` (when this store was made) are refused too, so a
    request captured before a restart cannot be replayed after it within the freshness window."""

    def __init__(self, retention_s: float = 60.0, started_ns: int | None = None) -> None:
        self.retention = retention_s
        self.started_ns = time.time_ns() if started_ns is None else started_ns
        self._seen: set[tuple[str, int]] = set()
        self._order: deque[tuple[float, tuple[str, int]]] = deque()
        self._lock = threading.Lock()

    def check_and_store(self, hotkey: str, nonce: int) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._order and self._order[0][0] <= now:
                self._seen.discard(self._order.popleft()[1])
            if (hotkey, nonce) in self._seen:
                return False
            self._seen.add((hotkey, nonce))
            self._order.append((now + self.retention, (hotkey, nonce)))
            return True


def verify(headers: Mapping[str, str], body: bytes, method: str, target: str, self_hotkey: str,
           store: NonceStore | None, now_ns: int | None = None, require_receiver: bool = True) -> Caller:
    """Check shape, receiver, freshness, signature (declared scheme only), then replay."""
    from keystore.keys import CryptoType, Keypair

    h = {k.lower(): v for k, v in headers.items()}
    if h.get(H_VERSION.lower()) != VERSION:
        raise AuthFailure(f"missing or unsupported {H_VERSION}")
    sender = h.get(H_HOTKEY.lower())
    if not sender:
        raise AuthFailure(f"missing {H_HOTKEY}")
    try:
        nonce = int(h.get(H_NONCE.lower(), ""))
    except ValueError:
        raise AuthFailure(f"missing or non-decimal {H_NONCE}") from None
    scheme = h.get(H_CRYPTO.lower(), "sr25519").lower()
    if scheme not in ("sr25519", "ed25519"):
        raise AuthFailure(f"unsupported {H_CRYPTO}")
    raw_sig = h.get(H_SIGNATURE.lower())
    if not raw_sig:
        raise AuthFailure(f"missing {H_SIGNATURE}")
    try:
        signature = bytes.fromhex(raw_sig[2:] if raw_sig.startswith("0x") else raw_sig)
    except ValueError:
        raise AuthFailure(f"{H_SIGNATURE} is not hex") from None
    receiver = h.get(H_RECEIVER.lower())
    if receiver is None and require_receiver:
        raise AuthFailure(f"missing {H_RECEIVER}: requests must be bound to this miner")
    if receiver is not None and receiver != self_hotkey:
        raise AuthFailure("the request was signed for another receiver")
    now = time.time_ns() if now_ns is None else now_ns
    if now - nonce > MAX_AGE_S * 1e9:
        raise AuthFailure(f"stale request: the nonce is older than {MAX_AGE_S:g} s")
    if nonce - now > SKEW_S * 1e9:
        raise AuthFailure(f"the nonce is more than {SKEW_S:g} s in the future")
    try:
        key = Keypair.public_only(sender, CryptoType.parse(scheme))
    except Exception:
        raise AuthFailure("the hotkey is not a valid address") from None
    if not key.verify(payload(scheme, method, target, body, nonce, sender, receiver), signature):
        raise AuthFailure("the signature does not verify")
    if store is not None and nonce < store.started_ns:
        raise AuthFailure("the request was signed before this server started (a replay, or a client clock "
                          "behind the server's): sign it again")
    if store is not None and not store.check_and_store(sender, nonce):
        raise AuthFailure("replayed request: this nonce was already accepted")
    return Caller(sender, nonce, scheme)
