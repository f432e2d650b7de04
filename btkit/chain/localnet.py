"""The localnet backend: btkit's own node over JSON-RPC (protocol: docs in spec/chain.md).

``ChainClient`` is the wire client (method names, batches, signing); ``LocalnetChain`` implements
the ``Chain`` interface on it with typed values. The transport is the standard library's
keep-alive ``http.client`` (one connection per thread): every chain command pays its import, and
``requests`` would add ~0.15 s to each of them.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any, Sequence

from btkit.chain.errors import ChainQueryError, TransactionRejected
from btkit.chain.interface import Chain, DevChain
from btkit.chain.network import DEFAULT_URL
from btkit.chain.types import (
    GATEWAY_MARK, AxonInfo, Call, EpochSchedule, Event, Governance, Head, HotkeyInfo, Hyperparameters, Metagraph,
    Neuron, NodeInfo, PoolInfo, Proposal, Registration, SenateMember, StakeInfo, StakeQuote, SubmitResult, Subnet,
    SubnetInfo, SwapQuote, Wait, Weights,
)
from btkit.errors import BtkitError, NodeUnreachableError, UsageError
from btkit.extrinsic import build_signed, extrinsic_hash
from btkit.units import Alpha, Balance

NONCE_RETRIES = 32  # re-signings when a parallel extrinsic of the same signer took the nonce


class RpcCallError(BtkitError):
    """The node answered a JSON-RPC error that is not a chain rule (bad parameters, internal error).

    The message is the node's; the wire ``method`` is kept as an attribute (never shown to users).
    """

    code = "rpc_error"

    def __init__(self, method: str, error: dict[str, Any]) -> None:
        self.method = method
        self.rpc_code = error.get("code")
        self.data = error.get("data")
        super().__init__(f"the node refused the request: {error.get('message')}")


def _rpc_error(method: str, error: dict[str, Any]) -> BtkitError:
    data = error.get("data")
    if isinstance(data, dict) and data.get("error"):
        name = str(data["error"])
        return ChainQueryError(name if "." in name else "SubtensorModule." + name, str(error.get("message")))
    return RpcCallError(method, error)


class ChainClient:
    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10.0, local: bool = False) -> None:
        """``local``: the URL is where ``--network local`` looks, so "unreachable" means no localnet runs."""
        from urllib.parse import urlsplit

        self.url = url
        self.timeout = timeout
        self.local = local
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not a node URL: {url!r}", hint="use http://HOST:PORT")
        self._scheme, self._host = parts.scheme, parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._path = parts.path or "/"
        self._local = threading.local()
        self._ids = itertools.count(1)
        self._genesis: bytes | None = None

    # -- transport ----------------------------------------------------------------------
    def _connection(self, timeout: float):
        import http.client

        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            conn = cls(self._host, self._port, timeout=timeout)
            self._local.conn = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _post(self, payload: Any, timeout: float | None) -> Any:
        import http.client
        import socket

        wait = timeout or self.timeout
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn = self._connection(wait)
            try:
                conn.request("POST", self._path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except socket.timeout:
                self._drop()
                raise NodeUnreachableError(f"the node at {self.url} did not answer within {wait} s",
                                           hint="check `btkit localnet status` and `btkit localnet logs`") from None
            except (ConnectionRefusedError, socket.gaierror) as exc:
                self._drop()
                raise self._unreachable(exc) from None
            except (http.client.HTTPException, ConnectionError, OSError) as exc:
                self._drop()
                if attempt == 2:
                    raise self._unreachable(exc) from None
        try:
            return json.loads(raw)
        except ValueError:
            raise BtkitError(f"{self.url} did not answer JSON-RPC (HTTP {response.status})") from None

    def _unreachable(self, exc: Exception) -> NodeUnreachableError:
        import socket

        if self.local:
            return NodeUnreachableError(f"no localnet at {self.url} — run `btkit localnet up`",
                                        hint="or pass --network URL for another node")
        reason = ("the host name does not resolve" if isinstance(exc, socket.gaierror)
                  else "connection refused" if isinstance(exc, ConnectionRefusedError) else "no answer")
        return NodeUnreachableError(f"no node answers at {self.url} ({reason})",
                                    hint="check the --network URL (or `btkit config show`) and that its node runs")

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def call(self, method: str, *params: Any, timeout: float | None = None) -> Any:
        reply = self._post({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)},
                           timeout)
        if "error" in reply:
            error = reply["error"]
            if error.get("code") in (1010, 1014):
                reason = (error.get("data") or {}).get("reason")
                raise TransactionRejected(f"rejected by the node: {error.get('message')}", _reject_hint(reason),
                                          reason)
            raise _rpc_error(method, error)
        return reply.get("result")

    def batch(self, calls: list[tuple[str, list[Any]]], timeout: float | None = None) -> list[Any]:
        payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        replies = self._post(payload, timeout)
        by_id = {r.get("id"): r for r in replies}
        out = []
        for i, (method, _) in enumerate(calls):
            reply = by_id[i]
            if "error" in reply:
                raise _rpc_error(method, reply["error"])
            out.append(reply["result"])
        return out

    # -- typed queries ------------------------------------------------------------------
    @property
    def genesis_hash(self) -> bytes:
        if self._genesis is None:
            self._genesis = bytes.fromhex(self.call("chain_getBlockHash", 0)[2:])
        return self._genesis

    def head(self) -> dict[str, Any]:
        return self.call("chain_getHeader")

    def node_info(self) -> dict[str, Any]:
        return self.call("localnet_nodeInfo")

    def balance(self, address: str) -> int:
        return int(self.call("balances_account", address)["free"])

    def next_index(self, address: str) -> int:
        return int(self.call("system_accountNextIndex", address))

    def total_issuance(self) -> int:
        return int(self.call("balances_totalIssuance"))

    # -- submission ---------------------------------------------------------------------
    def sign(self, keypair: Any, call: dict[str, Any], nonce: int | None = None,
             birth: int | None = None) -> dict[str, Any]:
        if nonce is None or birth is None:
            n, head = self.batch([("system_accountNextIndex", [keypair.ss58_address]), ("chain_getHeader", [])])
            nonce = n if nonce is None else nonce
            birth = head["number"] if birth is None else birth
        return build_signed(keypair, call, nonce, self.genesis_hash, birth)

    def submit(self, keypair: Any, call: dict[str, Any], wait: str = "inclusion", timeout: float = 60,
               nonce: int | None = None) -> SubmitResult:
        """Sign and submit; ``wait="inclusion"`` returns the block, events and dispatch result.

        With ``nonce=None`` the next free nonce is used, and when another extrinsic of the same
        signer (another btkit process, say) takes it first (``Stale``/``Priority`` rejection) the
        call is signed again with a fresh nonce, up to ``NONCE_RETRIES`` times: parallel commands
        from one key all go through. An explicit ``nonce`` is never changed.
        """
        import random
        import time

        for attempt in range(NONCE_RETRIES + 1):
            xt = self.sign(keypair, call, nonce)
            try:
                return self._send(xt, wait, timeout)
            except TransactionRejected as exc:
                if nonce is not None or not exc.nonce_taken or attempt == NONCE_RETRIES:
                    raise
                time.sleep(random.uniform(0.005, 0.05))  # let the pool or the block settle, de-synchronise
        raise AssertionError("unreachable")

    def _send(self, xt: dict[str, Any], wait: str, timeout: float) -> SubmitResult:
        if wait == "none":
            return SubmitResult(hash=self.call("author_submitExtrinsic", xt), success=True)
        reply = self.call("author_submitAndWait", xt, timeout, timeout=timeout + 5)
        return SubmitResult(hash=reply["hash"], success=reply["success"], block=reply["block"],
                            block_hash=reply["block_hash"], error=reply.get("error"), message=reply.get("message"),
                            events=tuple(_event(e) for e in reply.get("events", [])), fee=Balance(0))


def _reject_hint(reason: str | None) -> str:
    return {
        "Stale": "the nonce was used already: resubmit and btkit picks the next nonce",
        "BadProof": "the signature did not verify on this chain (was the chain reset? resubmit)",
        "AncientBirthBlock": "the extrinsic's era expired: sign and submit it again",
        "PoolFull": "wait for pending extrinsics to be included, then retry",
    }.get(reason or "", "")


def _proposal_length(call: dict[str, Any]) -> int:
    """A proposal's length on btkit's localnet: its canonical JSON (``localnet.runtime.governance``)."""
    from btkit.extrinsic import canonical_json

    return len(canonical_json(call))


def _event(raw: dict[str, Any]) -> Event:
    return Event(raw["pallet"], raw["name"], raw.get("data") or {}, raw.get("extrinsic"))


def _subnet(raw: dict[str, Any]) -> Subnet:
    return Subnet(netuid=raw["netuid"], owner_coldkey=raw["owner_coldkey"], owner_hotkey=raw["owner_hotkey"],
                  registered_at=raw["registered_at"], lock=Balance(raw["lock"]), started=raw["started"],
                  started_at=raw.get("started_at"))


def _subnet_info(raw: dict[str, Any]) -> SubnetInfo:
    base = _subnet(raw)
    unit = Alpha if raw["netuid"] else Balance  # root (netuid 0) holds TAO
    return SubnetInfo(**{k: getattr(base, k) for k in base.__dataclass_fields__}, n=raw["n"], max_n=raw["max_n"],
                      tempo=raw["tempo"], burn=Balance(raw["burn"]), difficulty=raw["difficulty"],
                      total_stake=unit(raw["total_stake"]), pending_emission=unit(raw["pending_emission"]),
                      recycled=Balance(raw["recycled"]), pool=_pool(raw["pool"]) if raw.get("pool") else None)


def _pool(raw: dict[str, Any]) -> PoolInfo:
    return PoolInfo(netuid=raw["netuid"], price=raw["price"], tao_in=Balance(raw["tao_in"]),
                    alpha_in=Alpha(raw["alpha_in"]), alpha_out=Alpha(raw["alpha_out"]),
                    emission_tao=Balance(raw["emission_tao"]), emission_alpha=Alpha(raw["emission_alpha"]),
                    moving_price=raw["moving_price"], fee_rate=raw["fee_rate"],
                    pending_alpha=Alpha(raw["pending_alpha"]), stable=raw["stable"])


def _stake_quote(q: dict[str, Any], netuid: int, adding: bool, amount: int) -> StakeQuote:
    return StakeQuote(netuid=netuid, adding=adding, amount=amount, paid_in=q["paid_in"], fee=q["fee"],
                      received=q["received"], price_before=q["price_before"], price_after=q["price_after"],
                      price_impact=q["price_impact"], slippage=q["slippage"], max_at_limit=q.get("max_at_limit"))


def _neuron(raw: dict[str, Any], netuid: int) -> Neuron:
    axon = raw.get("axon")
    unit = Alpha if netuid else Balance  # a subnet's stake and epoch emission are its alpha (dynamic TAO)
    return Neuron(uid=raw["uid"], hotkey=raw["hotkey"], coldkey=raw["coldkey"], stake=unit(raw["stake"]),
                  rank=raw["rank"], trust=raw["trust"], consensus=raw["consensus"], incentive=raw["incentive"],
                  dividends=raw["dividends"], vtrust=raw["vtrust"], emission=unit(raw["emission"]),
                  validator_permit=raw["permit"], last_update=raw["last_update"], registered_at=raw["registered_at"],
                  active=raw["active"], pruning_score=raw["pruning_score"], take=raw["take"],
                  axon=AxonInfo(axon["ip"], axon["port"], axon["ip_type"], axon["protocol"], axon["version"],
                                axon["block"], axon.get("placeholder1") == GATEWAY_MARK) if axon else None)


class LocalnetChain(Chain, DevChain):
    """``Chain`` (and ``DevChain``) on btkit's node at ``url``; each operation is one JSON-RPC request."""

    kind = "localnet"

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10.0, local: bool = False) -> None:
        self.rpc = ChainClient(url, timeout, local)
        self.url = self.rpc.url

    # -- node and blocks ---------------------------------------------------------------
    def node_info(self) -> NodeInfo:
        raw, chain = self.rpc.batch([("localnet_nodeInfo", []), ("system_chain", [])])
        return NodeInfo(kind="localnet", url=self.url, chain=chain, genesis_hash=raw["genesis_hash"],
                        head=raw["head"], head_hash=raw["head_hash"], block_time=raw["block_time"],
                        version=raw["version"], mining=raw["mining"], pool=raw["pool"], profile=raw["profile"],
                        ephemeral=raw["ephemeral"], data_dir=raw["data_dir"], pid=raw["pid"])

    def head(self) -> Head:
        raw = self.rpc.head()
        return Head(raw["number"], raw["hash"])

    def finalized_head(self) -> Head:
        """btkit's node finalizes every block it commits: the best block."""
        return self.head()

    def block_events(self, block: int) -> list[Event]:
        block_hash = self.rpc.call("chain_getBlockHash", block)
        raw = self.rpc.call("chain_getBlock", block_hash) if block_hash else None
        if raw is None:
            raise UsageError(f"no block #{block} on {self.url}")
        events = [_event(e) for e in raw.get("events", [])]
        for i, result in enumerate(raw.get("results", [])):  # the extrinsics' events, by index
            events += [_event({**e, "extrinsic": i}) for e in result.get("events", [])]
        return events

    # -- accounts ----------------------------------------------------------------------
    def balance(self, address: str) -> Balance:
        return Balance(self.rpc.balance(address))

    def next_nonce(self, address: str) -> int:
        return self.rpc.next_index(address)

    def stakes_of(self, coldkey: str) -> list[StakeInfo]:
        return [StakeInfo(coldkey, s["hotkey"], s["netuid"], (Alpha if s["netuid"] else Balance)(s["stake"]),
                          Balance(s["tao_value"]), s["price"])
                for s in self.rpc.call("subtensor_stakesOf", coldkey)]

    def pool(self, netuid: int) -> PoolInfo:
        return _pool(self.rpc.call("subtensor_pool", netuid))

    def quote_stake(self, netuid: int, amount: Balance, adding: bool, limit_price: int | None = None) -> StakeQuote:
        q = self.rpc.call("subtensor_quoteStake", netuid, amount.rao, adding, limit_price)
        return _stake_quote(q, netuid, adding, amount.rao)

    def quote_swap(self, origin_netuid: int, destination_netuid: int, amount: Balance,
                   limit_price: int | None = None) -> SwapQuote:
        q = self.rpc.call("subtensor_quoteSwap", origin_netuid, destination_netuid, amount.rao, limit_price)
        sold = _stake_quote(q["sold"], origin_netuid, False, amount.rao)
        return SwapQuote(origin_netuid, destination_netuid, amount.rao, sold,
                         _stake_quote(q["bought"], destination_netuid, True, sold.received), q["ratio_before"],
                         q.get("max_at_limit"))

    def hotkey_info(self, hotkey: str) -> HotkeyInfo:
        return self.hotkey_infos([hotkey])[0]

    def hotkey_infos(self, hotkeys: Sequence[str]) -> list[HotkeyInfo]:
        if not hotkeys:
            return []
        replies = self.rpc.batch([("subtensor_hotkeyInfo", [hk]) for hk in hotkeys])
        return [HotkeyInfo(r["hotkey"], r["owner"], r["take"],
                           tuple(Registration(x["netuid"], x["uid"]) for x in r["registrations"])) for r in replies]

    # -- subnets -----------------------------------------------------------------------
    def subnets(self) -> list[SubnetInfo]:
        return [_subnet_info(s) for s in self.rpc.call("subtensor_subnets")]

    def subnet_info(self, netuid: int) -> SubnetInfo:
        return _subnet_info(self.rpc.call("subtensor_subnetInfo", netuid))

    def hyperparameters(self, netuid: int) -> Hyperparameters:
        return Hyperparameters.from_mapping(self.rpc.call("subtensor_hyperparameters", netuid))

    def metagraph(self, netuid: int) -> Metagraph:
        raw = self.rpc.call("subtensor_metagraph", netuid)
        return Metagraph(raw["netuid"], raw["block"], tuple(_neuron(n, netuid) for n in raw["neurons"]),
                         _subnet(raw["subnet"]))

    def weights(self, netuid: int) -> Weights:
        return {int(uid): [(int(j), int(w)) for j, w in row]
                for uid, row in self.rpc.call("subtensor_weights", netuid).items()}

    def governance(self) -> Governance:
        raw = self.rpc.call("subtensor_governance")
        return Governance(tuple(raw["triumvirate"]),
                          tuple(SenateMember(m["hotkey"], Balance(m["stake"])) for m in raw["senate"]),
                          raw["max_members"], raw["motion_duration"], raw["vote_weight"],
                          tuple(Proposal(p["hash"], p["index"], Call(p["call"]["pallet"], p["call"]["function"],
                                                                     p["call"]["args"]),
                                         p["threshold"], tuple(p["ayes"]), tuple(p["nays"]), p["end"],
                                         _proposal_length(p["call"])) for p in raw["proposals"]))

    def proposal_length(self, call: Call) -> int:
        return _proposal_length(call.to_json())

    def burn_cost(self, netuid: int) -> Balance:
        return Balance(self.rpc.call("subtensor_burnCost", netuid))

    def lock_cost(self) -> Balance:
        return Balance(self.rpc.call("subtensor_lockCost"))

    def next_epoch(self, netuid: int) -> EpochSchedule:
        raw = self.rpc.call("subtensor_nextEpoch", netuid)
        return EpochSchedule(raw["netuid"], raw["head"], raw["tempo"], raw["next_epoch_block"])

    def last_epoch(self, netuid: int) -> dict[str, Any] | None:
        return self.rpc.call("subtensor_lastEpoch", netuid)

    def weight_commits(self, netuid: int, hotkey: str) -> list[tuple[str, int]]:
        return [(c["hash"], c["block"]) for c in self.rpc.call("subtensor_weightCommits", netuid, hotkey)]

    # -- proofs of work and commits ----------------------------------------------------
    def pow_prefix(self, netuid: int, block_hash: bytes, hotkey_public: bytes, coldkey_public: bytes) -> bytes:
        from btkit.pow import pow_prefix

        return pow_prefix(netuid, block_hash, hotkey_public, coldkey_public)

    def faucet_difficulty(self) -> int:
        from localnet.runtime.pow import FAUCET_DIFFICULTY

        return FAUCET_DIFFICULTY

    def commit_hash(self, hotkey: str, netuid: int, uids: Sequence[int], values: Sequence[int],
                    salt: Sequence[int], version_key: int) -> str:
        from localnet.runtime.weights import commit_hash

        return commit_hash(hotkey, netuid, list(uids), list(values), list(salt), version_key)

    # -- submission --------------------------------------------------------------------
    def estimate_fee(self, signer: str, call: Call) -> Balance:
        return Balance(0)  # btkit's localnet charges no transaction fees

    def submit(self, keypair: Any, call: Call, wait: Wait = "inclusion", timeout: float = 60,
               nonce: int | None = None, dry_run: bool = False) -> SubmitResult:
        if wait not in ("none", "inclusion", "finalization"):
            raise UsageError(f"wait must be none, inclusion or finalization, not {wait!r}")
        if dry_run:
            xt = self.rpc.sign(keypair, call.to_json(), nonce)
            return SubmitResult(hash=extrinsic_hash(xt), success=True, fee=Balance(0), dry_run=True)
        # blocks are final once produced on btkit's localnet: finalization is inclusion
        return self.rpc.submit(keypair, call.to_json(), "none" if wait == "none" else "inclusion", timeout, nonce)

    # -- dev operations ----------------------------------------------------------------
    def dev(self, what: str) -> DevChain:
        return self

    def mine(self, blocks: int = 1) -> Head:
        raw = self.rpc.call("localnet_mine", blocks, timeout=max(10, blocks / 100))
        return Head(raw["head"], raw["hash"])

    def snapshot(self) -> int:
        return int(self.rpc.call("localnet_snapshot"))

    def revert(self, snapshot_id: int) -> Head:
        self.rpc.call("localnet_revert", snapshot_id)
        return self.head()

    def dump(self) -> dict[str, Any]:
        return self.rpc.call("localnet_dump", timeout=60)

    def load(self, dump: dict[str, Any]) -> Head:
        raw = self.rpc.call("localnet_load", dump, timeout=60)
        return Head(raw["head"], raw["hash"])

    def set_balance(self, address: str, amount: Balance) -> Balance:
        return Balance(self.rpc.call("localnet_setBalance", address, amount.rao)["free"])

    def close(self) -> None:
        self.rpc._drop()
