"""The chain: validation, the transaction pool, block execution and production.

Synchronous and I/O-free apart from ``Storage``; the node (``localnet.node``) drives it
from its event loop, and ``localnet.verify`` replays it from the stored blocks.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from btkit.extrinsic import blake2_256, canonical_json, extrinsic_hash, signing_payload
from localnet import genesis
from localnet.runtime import BadCall, Context, DispatchError, dispatch, on_initialize, validate_call
from localnet.runtime import balances, system
from localnet.state import Overlay
from localnet.storage import Storage

ZERO_HASH = "0x" + "00" * 32
MAX_ERA_PERIOD = 4096


class InvalidTransaction(Exception):
    """Rejected before touching state (JSON-RPC error 1010, or 1014 for a full pool)."""

    code = 1010

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class PoolFull(InvalidTransaction):
    code = 1014


@dataclass
class ChainOptions:
    profile: str = "dev"
    vote_weight: str = "seat"  # governance: one vote per senate seat, or weighed by root stake ("stake")
    pool_per_signer: int = 1024
    pool_total: int = 16384
    max_block_extrinsics: int = 4096


def header_hash(header: dict[str, Any]) -> str:
    return "0x" + blake2_256(canonical_json(header)).hex()


def next_state_root(prev_root: str, changes: dict[str, Any]) -> str:
    """blake2b-256 over the previous root and each sorted (key, value) change.

    Hashed change by change rather than as one big JSON document: the block thread then never
    holds the GIL for long in one C call, and queries stay responsive while a big block commits.
    """
    import hashlib

    h = hashlib.blake2b(bytes.fromhex(prev_root[2:]), digest_size=32)
    for item in sorted(changes.items()):
        h.update(canonical_json(item))
    return "0x" + h.hexdigest()


def execute_block(state: dict[str, Any], number: int, parent_hash: str, inherents: list[dict[str, Any]],
                  extrinsics: list[dict[str, Any]]) -> tuple[Overlay, list[dict[str, Any]], list[dict[str, Any]]]:
    """Run a block on ``state`` (untouched); returns (changes overlay, per-extrinsic results, block events).

    Deterministic: the same inputs give the same changes, which is what ``verify`` relies on.
    """
    block_state = Overlay(state)
    block_events: list[dict[str, Any]] = []
    system.note_parent_hash(block_state, number, parent_hash)
    on_initialize(block_state, number)
    for inherent in inherents:
        apply_inherent(block_state, inherent, block_events)
    results = []
    for xt in extrinsics:
        results.append(apply_extrinsic(block_state, xt, number))
    return block_state, results, block_events


def apply_inherent(state: Overlay, inherent: dict[str, Any], events: list[dict[str, Any]]) -> None:
    kind, args = inherent["kind"], inherent["args"]
    if kind == "Dev.set_balance":
        who, value = args["who"], args["value"]
        balances.mint(state, who, value - balances.free(state, who))
        events.append({"pallet": "Dev", "name": "BalanceSet", "data": {"who": who, "value": value}})
    else:  # pragma: no cover - stored blocks only hold inherents we wrote
        raise ValueError(f"unknown inherent {kind}")


def apply_extrinsic(block_state: Overlay, xt: dict[str, Any], number: int) -> dict[str, Any]:
    signer = xt["signer"]
    block_state.add(system.nonce_key(signer), 1)  # the nonce moves even when the call fails
    tx = Overlay(block_state)
    ctx = Context(tx, signer, number)
    try:
        dispatch(ctx, xt["call"])
    except DispatchError as exc:
        return {"success": False, "error": exc.name, "message": exc.message,
                "events": [{"pallet": "System", "name": "ExtrinsicFailed", "data": {"error": exc.name}}]}
    except Exception as exc:  # a runtime bug must not take the block (and the pool) down with it
        name = "System.InternalError"
        return {"success": False, "error": name, "message": f"{type(exc).__name__}: {exc}",
                "events": [{"pallet": "System", "name": "ExtrinsicFailed", "data": {"error": name}}]}
    tx.merge_into_parent()
    return {"success": True, "events": ctx.events + [{"pallet": "System", "name": "ExtrinsicSuccess", "data": {}}]}


class Pool:
    """Pending extrinsics per signer, by nonce."""

    def __init__(self, per_signer: int, total: int) -> None:
        self.by_signer: OrderedDict[str, dict[int, dict[str, Any]]] = OrderedDict()
        self.hashes: set[str] = set()
        self.per_signer, self.total = per_signer, total

    def __len__(self) -> int:
        return len(self.hashes)

    def add(self, xt: dict[str, Any]) -> None:
        signer, nonce = xt["signer"], xt["nonce"]
        if xt["hash"] in self.hashes:
            raise InvalidTransaction("AlreadyImported", "this extrinsic is already in the pool")
        queue = self.by_signer.setdefault(signer, {})
        if nonce in queue:
            raise InvalidTransaction("Priority", f"another extrinsic with nonce {nonce} from {signer} is pending")
        if len(queue) >= self.per_signer:
            raise PoolFull("PoolFull", f"{signer} already has {len(queue)} pending extrinsics (limit "
                                       f"{self.per_signer}); wait for some to be included")
        if len(self.hashes) >= self.total:
            raise PoolFull("PoolFull", f"the pool holds {len(self.hashes)} extrinsics (limit {self.total})")
        queue[nonce] = xt
        self.hashes.add(xt["hash"])

    def pending_count(self, signer: str, from_nonce: int) -> int:
        queue = self.by_signer.get(signer, {})
        n = from_nonce
        while n in queue:
            n += 1
        return n - from_nonce

    def take_ready(self, state: Overlay | dict[str, Any], head: int, limit: int) -> list[dict[str, Any]]:
        """Ready extrinsics (consecutive nonces from the state's), dropping stale or expired ones."""
        ready: list[dict[str, Any]] = []
        for signer in list(self.by_signer):
            queue = self.by_signer[signer]
            n = int(state.get(system.nonce_key(signer), 0))
            for stale in [k for k in queue if k < n]:
                self.hashes.discard(queue.pop(stale)["hash"])
            while n in queue and len(ready) < limit:
                xt = queue.pop(n)
                self.hashes.discard(xt["hash"])
                if era_expired(xt, head + 1):  # drop it and the nonces queued behind it
                    for later in queue.values():
                        self.hashes.discard(later["hash"])
                    queue.clear()
                    break
                ready.append(xt)
                n += 1
            if not queue:
                del self.by_signer[signer]
        return ready

    def clear(self) -> None:
        self.by_signer.clear()
        self.hashes.clear()


def era_expired(xt: dict[str, Any], block: int) -> bool:
    era = xt["era"]
    return block >= era["birth"] + era["period"]


class Chain:
    def __init__(self, storage: Storage, options: ChainOptions | None = None, now=time.time) -> None:
        self.storage = storage
        self.options = options or ChainOptions()
        self.now = now
        self.pool = Pool(self.options.pool_per_signer, self.options.pool_total)
        self.pool_lock = threading.Lock()  # submissions (RPC thread) vs block building (worker thread)
        # signer -> next nonce of extrinsics taken from the pool for the block being built: while a
        # block executes they are neither pending nor in state, and must not be handed out again
        self.inflight: dict[str, int] = {}
        self.snapshots: dict[int, tuple[int, dict[str, Any]]] = {}
        self._next_snapshot = 1
        if storage.head_number() is None:
            self._init_genesis()
        self.state: dict[str, Any] = storage.load_state()
        self.genesis_hash_hex: str = storage.meta("genesis_hash")
        self.genesis_hash = bytes.fromhex(self.genesis_hash_hex[2:])
        self.profile: str = storage.meta("profile") or "dev"
        head = storage.head_number()
        assert head is not None
        self.head: dict[str, Any] = storage.block(head)

    # -- genesis ------------------------------------------------------------------------
    def _init_genesis(self) -> None:
        state = genesis.genesis_state(self.options.profile, self.options.vote_weight)
        block = self._seal(0, ZERO_HASH, int(self.now() * 1000), [], [], [], [],
                           next_state_root(ZERO_HASH, state))
        meta = {"genesis_hash": block["hash"], "profile": self.options.profile,
                "base": {"number": 0, "state": state}}
        self.storage.commit_block(block, state, meta)

    @staticmethod
    def _seal(number: int, parent: str, timestamp: int, inherents: list, extrinsics: list, results: list,
              events: list, state_root: str) -> dict[str, Any]:
        header = {
            "number": number, "parent_hash": parent, "timestamp": timestamp,
            "extrinsics_root": "0x" + blake2_256(canonical_json([xt["hash"] for xt in extrinsics]
                                                                + [canonical_json(i).hex() for i in inherents])).hex(),
            "state_root": state_root,
        }
        return {"hash": header_hash(header), "header": header, "inherents": inherents,
                "extrinsics": extrinsics, "results": results, "events": events}

    # -- queries ------------------------------------------------------------------------
    @property
    def head_number(self) -> int:
        return self.head["header"]["number"]

    def account_next_index(self, who: str) -> int:
        with self.pool_lock:
            n = max(int(self.state.get(system.nonce_key(who), 0)), self.inflight.get(who, 0))
            return n + self.pool.pending_count(who, n)

    def block(self, number: int | None = None, block_hash: str | None = None) -> dict[str, Any] | None:
        if block_hash is not None:
            number = self.storage.block_number_by_hash(block_hash)
            if number is None:
                return None
        if number is None:
            return self.head
        return self.head if number == self.head_number else self.storage.block(number)

    def tx_status(self, tx_hash: str) -> dict[str, Any] | None:
        loc = self.storage.tx_location(tx_hash)
        if loc is None:
            return {"status": "pending"} if tx_hash in self.pool.hashes else None
        block = self.block(loc[0])
        assert block is not None
        return {"status": "included", "block": loc[0], "block_hash": block["hash"], "index": loc[1],
                **block["results"][loc[1]]}

    # -- submission ---------------------------------------------------------------------
    def validate(self, xt: Any) -> dict[str, Any]:
        """Check shape, call, era, nonce and signature; returns the extrinsic with its hash."""
        xt = check_shape(xt)
        head = self.head_number
        era = xt["era"]
        if era["birth"] > head:
            raise InvalidTransaction("Future", f"era birth block {era['birth']} is after the head ({head})")
        if era_expired(xt, head + 1):
            raise InvalidTransaction("AncientBirthBlock", f"the era (birth {era['birth']}, period {era['period']}) "
                                                          f"expired before block {head + 1}; sign it again")
        nonce = max(int(self.state.get(system.nonce_key(xt["signer"]), 0)), self.inflight.get(xt["signer"], 0))
        if xt["nonce"] < nonce:
            raise InvalidTransaction("Stale", f"nonce {xt['nonce']} was already used (next is {nonce})")
        if xt["nonce"] > nonce + self.options.pool_per_signer:
            raise InvalidTransaction("Future", f"nonce {xt['nonce']} is too far ahead (next is {nonce})")
        if not verify_signature(xt, self.genesis_hash):
            raise InvalidTransaction("BadProof", "the signature does not match the signer on this chain "
                                                 "(wrong key, tampered fields, or signed for another genesis hash)")
        xt["hash"] = extrinsic_hash({k: v for k, v in xt.items() if k != "hash"})
        return xt

    def submit(self, xt: Any) -> str:
        checked = self.validate(xt)
        self.add_to_pool(checked)
        return checked["hash"]

    def add_to_pool(self, checked: dict[str, Any]) -> None:
        with self.pool_lock:
            self.pool.add(checked)

    # -- production ---------------------------------------------------------------------
    def produce_block(self, inherents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        number = self.head_number + 1
        inherents = inherents or []
        with self.pool_lock:
            extrinsics = self.pool.take_ready(self.state, self.head_number, self.options.max_block_extrinsics)
            for xt in extrinsics:
                self.inflight[xt["signer"]] = xt["nonce"] + 1
        overlay, results, events = execute_block(self.state, number, self.head["hash"], inherents, extrinsics)
        changes = overlay.final_changes()
        timestamp = max(int(self.now() * 1000), self.head["header"]["timestamp"] + 1)
        block = self._seal(number, self.head["hash"], timestamp, inherents, extrinsics, results, events,
                           next_state_root(self.head["header"]["state_root"], changes))
        try:
            self.storage.commit_block(block, changes)
            with self.pool_lock:
                overlay.merge_into_parent()
                self.head = block
        finally:
            with self.pool_lock:
                self.inflight.clear()
        return block

    # -- dev tools ----------------------------------------------------------------------
    def snapshot(self) -> int:
        sid = self._next_snapshot
        self._next_snapshot += 1
        self.snapshots[sid] = (self.head_number, copy.deepcopy(self.state))
        return sid

    def revert(self, sid: int) -> bool:
        if sid not in self.snapshots:
            return False
        number, state = self.snapshots[sid]
        for later in [k for k in self.snapshots if k >= sid]:
            del self.snapshots[later]
        self.storage.replace_all(state, keep_blocks_upto=number)
        self.state = copy.deepcopy(state)
        self.head = self.storage.block(number)
        self.pool.clear()
        return True

    def dump(self) -> dict[str, Any]:
        return {"format": "btkit-localnet-dump/1", "genesis_hash": self.genesis_hash_hex,
                "profile": self.profile, "head": self.head, "state": self.state}

    def load(self, doc: dict[str, Any]) -> None:
        if not isinstance(doc, dict) or doc.get("format") != "btkit-localnet-dump/1":
            raise ValueError("not a btkit localnet dump (format btkit-localnet-dump/1)")
        state, head = doc["state"], doc["head"]
        if not isinstance(state, dict) or not isinstance(head, dict):
            raise ValueError("dump is missing its state or head")
        number = head["header"]["number"]
        self.storage.replace_all(state, keep_blocks_upto=None, meta={
            "genesis_hash": doc["genesis_hash"], "profile": doc.get("profile", "dev"),
            "base": {"number": number, "state": state}})
        self.storage.commit_block({**head, "extrinsics": [], "results": [], "inherents": [],
                                   "loaded": True}, {})
        self.state = copy.deepcopy(state)
        self.head = self.storage.block(number)
        self.genesis_hash_hex = doc["genesis_hash"]
        self.genesis_hash = bytes.fromhex(self.genesis_hash_hex[2:])
        self.pool.clear()
        self.snapshots.clear()


def check_shape(xt: Any) -> dict[str, Any]:
    from localnet.runtime.types import account

    if not isinstance(xt, dict):
        raise InvalidTransaction("Malformed", "an extrinsic is a JSON object")
    expected = {"signer", "crypto", "nonce", "era", "tip", "call", "signature"}
    if set(xt) != expected:
        missing, extra = expected - set(xt), set(xt) - expected
        raise InvalidTransaction("Malformed", "extrinsic fields are signer, crypto, nonce, era, tip, call, signature"
                                 + (f"; missing {sorted(missing)}" if missing else "")
                                 + (f"; unknown {sorted(extra)}" if extra else ""))
    try:
        account(xt["signer"])
    except (TypeError, ValueError) as exc:
        raise InvalidTransaction("Malformed", f"signer: {exc}") from None
    if xt["crypto"] not in ("sr25519", "ed25519"):
        raise InvalidTransaction("Malformed", "crypto must be sr25519 or ed25519")
    for name in ("nonce", "tip"):
        if type(xt[name]) is not int or not 0 <= xt[name] < 1 << 64:
            raise InvalidTransaction("Malformed", f"{name} must be an unsigned 64-bit integer")
    era = xt["era"]
    if (not isinstance(era, dict) or set(era) != {"birth", "period"} or type(era["birth"]) is not int
            or type(era["period"]) is not int or era["birth"] < 0 or not 1 <= era["period"] <= MAX_ERA_PERIOD):
        raise InvalidTransaction("Malformed", f"era must be {{birth, period}} with 1 <= period <= {MAX_ERA_PERIOD}")
    sig = xt["signature"]
    if not isinstance(sig, str) or not sig.startswith("0x") or len(sig) != 130:
        raise InvalidTransaction("Malformed", "signature must be 0x + 128 hex digits")
    try:
        bytes.fromhex(sig[2:])
    except ValueError:
        raise InvalidTransaction("Malformed", "signature must be hex") from None
    try:
        validate_call(xt["call"])
    except BadCall as exc:
        raise InvalidTransaction("BadCall", str(exc)) from None
    return dict(xt)


def verify_signature(xt: dict[str, Any], genesis_hash: bytes) -> bool:
    from keystore.keys import CryptoType, Keypair

    crypto = CryptoType.SR25519 if xt["crypto"] == "sr25519" else CryptoType.ED25519
    kp = Keypair.public_only(xt["signer"], crypto)
    return kp.verify(signing_payload(xt, genesis_hash), bytes.fromhex(xt["signature"][2:]))
