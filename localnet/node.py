"""The node process: a ``Chain``, block production by mining mode, and the RPC methods."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from btkit import __version__
from btkit.net.urls import http_url
from localnet.chain import Chain, ChainOptions
from localnet.config import MiningMode, NodeConfig
from localnet.log import NodeLog
from localnet.rpc import RpcApp, RpcError, params_error
from localnet.runtime import balances, load_modules, system
from localnet.storage import Storage


def _account(value: Any) -> str:
    from localnet.runtime.types import account

    try:
        return account(value)
    except (TypeError, ValueError) as exc:
        raise params_error(f"expected an SS58 address ({exc})") from None


def _uint(value: Any, name: str, maximum: int = 1 << 64) -> int:
    if type(value) is not int or not 0 <= value < maximum:
        raise params_error(f"{name} must be an integer from 0 to {maximum - 1}")
    return value


class Node:
    def __init__(self, config: NodeConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.storage = Storage(config.db_path)
        self.chain = Chain(self.storage, ChainOptions(profile=config.profile, vote_weight=config.vote_weight))
        self.mining = config.mining
        self.block_time = config.block_time
        self.waiters: dict[str, list[asyncio.Future]] = {}
        self._mine_task: asyncio.Task | None = None
        # Blocks are built on one worker thread so that queries keep flowing while a big block
        # executes and commits; the lock keeps production (and revert/load) one at a time.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="block")
        self._produce_lock: asyncio.Lock | None = None
        self._instant_scheduled = False
        self._wake: asyncio.Event | None = None  # created on the loop in on_startup
        self.url = ""
        self.logger = NodeLog(config.log_format)

    # -- lifecycle ----------------------------------------------------------------------
    def log(self, message: str) -> None:
        self.logger.note(message)

    def _epochs_in(self, number: int) -> list[tuple[int, dict[str, Any]]]:
        """(netuid, epoch record) of every subnet whose epoch ran in block ``number``."""
        from localnet.runtime import subnets

        view = self._view()
        return [(netuid, rec) for netuid in subnets.netuids(view)
                if (rec := view.get(f"epoch_last:{netuid}")) and rec.get("block") == number]

    def on_startup(self) -> None:
        self._wake = asyncio.Event()
        self._produce_lock = asyncio.Lock()
        self._mine_task = asyncio.get_running_loop().create_task(self._mining_loop())

    async def on_shutdown(self) -> None:
        if self._mine_task:
            self._mine_task.cancel()
        for futures in self.waiters.values():
            for f in futures:
                if not f.done():
                    f.set_exception(RpcError(-32000, "the node is shutting down"))
        self.storage.close()

    async def _mining_loop(self) -> None:
        next_tick = time.monotonic()
        while True:
            if self.mining is MiningMode.INTERVAL:
                next_tick += self.block_time
                delay = next_tick - time.monotonic()
                if delay < -self.block_time:  # fell behind (a huge block): do not burst
                    next_tick = time.monotonic()
                    delay = 0
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=max(delay, 0))
                    self._wake.clear()
                    next_tick = time.monotonic()
                    continue  # mode changed: restart the schedule
                except asyncio.TimeoutError:
                    await self.produce()
            else:
                await self._wake.wait()
                self._wake.clear()
                if self.mining is MiningMode.INSTANT and len(self.chain.pool):
                    await self.produce()
                next_tick = time.monotonic()

    async def produce(self, inherents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        async with self._produce_lock:
            loop = asyncio.get_running_loop()
            block = await loop.run_in_executor(self._executor, self.chain.produce_block, inherents)
        self.logger.block(block, self._epochs_in(block["header"]["number"]))
        for xt, result in zip(block["extrinsics"], block["results"]):
            for f in self.waiters.pop(xt["hash"], ()):
                if not f.done():
                    f.set_result({"status": "included", "block": block["header"]["number"],
                                  "block_hash": block["hash"], "hash": xt["hash"], **result})
        if self.mining is MiningMode.INSTANT and len(self.chain.pool):
            self._wake.set()  # more ready work (e.g. beyond the block limit)
        return block

    def _after_submit(self) -> None:
        if self.mining is MiningMode.INSTANT:
            self._wake.set()

    # -- RPC methods --------------------------------------------------------------------
    def methods(self) -> dict[str, Any]:
        return {name[4:]: getattr(self, name) for name in dir(self) if name.startswith("rpc_")}

    def rpc_system_health(self) -> dict[str, Any]:
        return {"peers": 0, "isSyncing": False, "shouldHavePeers": False}

    def rpc_system_name(self) -> str:
        return "btkit-localnet"

    def rpc_system_version(self) -> str:
        return __version__

    def rpc_system_chain(self) -> str:
        return f"btkit localnet ({self.chain.profile})"

    def rpc_system_accountNextIndex(self, address: Any) -> int:
        return self.chain.account_next_index(_account(address))

    def rpc_chain_getBlockHash(self, number: Any = None) -> str | None:
        if number is None:
            return self.chain.head["hash"]
        block = self.chain.block(_uint(number, "block number"))
        return block["hash"] if block else None

    def _block(self, block_hash: Any) -> dict[str, Any] | None:
        if block_hash is None:
            return self.chain.head
        if not isinstance(block_hash, str):
            raise params_error("block hash must be a 0x string")
        return self.chain.block(block_hash=block_hash)

    def rpc_chain_getHeader(self, block_hash: Any = None) -> dict[str, Any] | None:
        block = self._block(block_hash)
        return {**block["header"], "hash": block["hash"]} if block else None

    def rpc_chain_getBlock(self, block_hash: Any = None) -> dict[str, Any] | None:
        return self._block(block_hash)

    def rpc_chain_getFinalizedHead(self) -> str:
        return self.chain.head["hash"]

    def _validate(self, extrinsic: Any) -> dict[str, Any]:
        """``chain.validate``, logging a refusal (the extrinsic never reaches a block)."""
        from localnet.chain import InvalidTransaction

        try:
            return self.chain.validate(extrinsic)
        except InvalidTransaction as exc:
            self.logger.rejected(extrinsic, exc.reason)
            raise

    def _add_to_pool(self, checked: dict[str, Any]) -> None:
        from localnet.chain import InvalidTransaction

        try:
            self.chain.add_to_pool(checked)
        except InvalidTransaction as exc:
            self.logger.rejected(checked, exc.reason)
            raise

    def rpc_author_submitExtrinsic(self, extrinsic: Any) -> str:
        checked = self._validate(extrinsic)
        self._add_to_pool(checked)
        tx_hash = checked["hash"]
        self._after_submit()
        return tx_hash

    async def rpc_author_submitAndWait(self, extrinsic: Any, timeout: Any = 30) -> dict[str, Any]:
        """Submit and wait until the extrinsic is in a committed block; returns its dispatch result."""
        if not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
            raise params_error("timeout must be a number of seconds in (0, 600]")
        checked = self._validate(extrinsic)
        future = asyncio.get_running_loop().create_future()
        self.waiters.setdefault(checked["hash"], []).append(future)
        try:
            self._add_to_pool(checked)
        except Exception:
            self.waiters.pop(checked["hash"], None)
            raise
        self._after_submit()
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            raise RpcError(-32000, f"not included within {timeout} s (still pending; mining mode "
                                   f"{self.mining.value})", {"hash": checked["hash"]}) from None

    def rpc_author_pendingExtrinsics(self) -> list[dict[str, Any]]:
        return [xt for queue in self.chain.pool.by_signer.values() for xt in queue.values()]

    def rpc_author_extrinsicStatus(self, tx_hash: Any) -> dict[str, Any] | None:
        if not isinstance(tx_hash, str):
            raise params_error("hash must be a 0x string")
        return self.chain.tx_status(tx_hash)

    def rpc_balances_account(self, address: Any) -> dict[str, Any]:
        who = _account(address)
        return {"address": who, "free": balances.free(self.chain.state, who),
                "nonce": int(self.chain.state.get(system.nonce_key(who), 0))}

    def rpc_balances_totalIssuance(self) -> int:
        return int(self.chain.state.get(balances.ISSUANCE, 0))

    def rpc_balances_accounts(self) -> dict[str, int]:
        return {k[4:]: v for k, v in self.chain.state.items() if k.startswith("bal:")}

    # -- subtensor queries ---------------------------------------------------------------
    def _view(self):
        from localnet.state import Overlay

        return Overlay(self.chain.state)

    def _netuid(self, value: Any, root: bool = False, not_on_root: str = "") -> int:
        """A subnet that exists; with ``root`` also the root network (netuid 0), for the queries that show it.
        Netuid 0 otherwise fails with ``RegistrationNotPermittedOnRootSubnet`` and ``not_on_root`` as its
        message (root exists: "does not exist" would be wrong)."""
        from localnet.runtime import subnets, swap

        netuid = _uint(value, "netuid", 1 << 16)
        if netuid == swap.ROOT and not root:
            raise RpcError(-32000, not_on_root or "netuid 0 is the root network: this query does not apply to it",
                           {"error": "RegistrationNotPermittedOnRootSubnet"})
        if not (root and netuid == swap.ROOT) and not subnets.exists(self._view(), netuid):
            raise RpcError(-32000, f"subnet {netuid} does not exist", {"error": "SubNetworkDoesNotExist"})
        return netuid

    # Root (netuid 0) as subtensor shows it (``migrate_create_root_network``: tempo 100, 64 uids, owner the
    # zero account; a stable pool at 1 TAO per TAO). btkit's localnet has no ``root_register``: its
    # members are the hotkeys with root stake, most stake first (uids in that order).
    from localnet.runtime.subnets import ROOT_MAX_UIDS, ROOT_TEMPO
    ZERO_ACCOUNT = "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM"  # AccountId 0x00..00: SubnetOwner of root

    def _root_stakes(self) -> list[tuple[str, int]]:
        from localnet.runtime import swap

        prefix = f"hk_stake:{swap.ROOT}:"
        held = [(k[len(prefix):], int(v)) for k, v in self.chain.state.items() if k.startswith(prefix) and int(v) > 0]
        return sorted(held, key=lambda hs: (-hs[1], hs[0]))[:self.ROOT_MAX_UIDS]

    def _root_info(self) -> dict[str, Any]:
        return {"netuid": 0, "owner_coldkey": self.ZERO_ACCOUNT, "owner_hotkey": self.ZERO_ACCOUNT,
                "registered_at": 0, "lock": 0, "started": True, "started_at": 0}

    def _root_summary(self, view) -> dict[str, Any]:
        from localnet.runtime import staking

        stakes = self._root_stakes()
        pool = staking.pool_info(view, 0)
        return {**self._root_info(), "n": len(stakes), "max_n": self.ROOT_MAX_UIDS, "tempo": self.ROOT_TEMPO,
                "burn": 0, "difficulty": 0, "total_stake": sum(s for _, s in stakes),
                "pending_emission": pool["pending_alpha"], "recycled": 0, "pool": pool}

    def _root_metagraph(self, view) -> dict[str, Any]:
        from localnet.runtime import staking, subnets

        neurons = [{"uid": uid, "hotkey": hk, "coldkey": subnets.owner_of(view, hk), "stake": stake,
                    "take": staking.take_of(view, hk), "rank": 0, "trust": 0, "consensus": 0, "incentive": 0,
                    "dividends": 0, "vtrust": 0, "emission": 0, "permit": True, "last_update": 0,
                    "registered_at": 0, "active": True, "pruning_score": 0, "axon": None}
                   for uid, (hk, stake) in enumerate(self._root_stakes())]
        return {"netuid": 0, "block": self.chain.head_number, "n": len(neurons), "neurons": neurons,
                "subnet": self._root_info()}

    def _subnet_summary(self, view, netuid: int) -> dict[str, Any]:
        from localnet.runtime import staking, subnets

        info = subnets.info(view, netuid)
        params = subnets.hp(view, netuid)
        n = subnets.n(view, netuid)
        total_stake = sum(staking.total_hotkey_stake(view, netuid, subnets.neuron(view, netuid, u)["hotkey"])
                          for u in range(n))
        pool = staking.pool_info(view, netuid)
        return {**info, "n": n, "max_n": params["max_allowed_uids"], "tempo": params["tempo"],
                "burn": params["burn"], "difficulty": params["difficulty"], "total_stake": total_stake,
                "pending_emission": pool["pending_alpha"], "recycled": int(view.get(f"recycled:{netuid}", 0)),
                "pool": pool}

    def rpc_subtensor_subnets(self) -> list[dict[str, Any]]:
        from localnet.runtime import subnets

        view = self._view()
        return [self._root_summary(view)] + [self._subnet_summary(view, netuid) for netuid in subnets.netuids(view)]

    def rpc_subtensor_subnetInfo(self, netuid: Any) -> dict[str, Any]:
        net = self._netuid(netuid, root=True)
        return self._subnet_summary(self._view(), net) if net else self._root_summary(self._view())

    def rpc_subtensor_hyperparameters(self, netuid: Any) -> dict[str, Any]:
        from localnet.runtime import subnets

        view, net = self._view(), self._netuid(netuid, root=True)
        return subnets.hp(view, net) if net else subnets.root_hyperparameters(view)

    def rpc_subtensor_metagraph(self, netuid: Any) -> dict[str, Any]:
        from localnet.runtime import staking, subnets

        view, net = self._view(), self._netuid(netuid, root=True)
        if not net:
            return self._root_metagraph(view)
        neurons = []
        for uid in range(subnets.n(view, net)):
            nn = subnets.neuron(view, net, uid)
            neurons.append({"uid": uid, **{k: v for k, v in nn.items() if k not in ("weights", "bonds")},
                            "stake": staking.total_hotkey_stake(view, net, nn["hotkey"]),
                            "take": staking.take_of(view, nn["hotkey"])})
        return {"netuid": net, "block": self.chain.head_number, "n": len(neurons), "neurons": neurons,
                "subnet": subnets.info(view, net)}

    def rpc_subtensor_weights(self, netuid: Any) -> dict[str, Any]:
        from localnet.runtime import rows, subnets

        view, net = self._view(), self._netuid(netuid, root=True)
        if not net:  # dynamic TAO: nobody sets weights on root (CanNotSetRootNetworkWeights)
            return {}
        return {str(uid): rows.decode(subnets.neuron(view, net, uid)["weights"])
                for uid in range(subnets.n(view, net))}

    def rpc_subtensor_bonds(self, netuid: Any) -> dict[str, Any]:
        from localnet.runtime import rows, subnets

        view, net = self._view(), self._netuid(netuid, root=True)
        if not net:
            return {}
        return {str(uid): rows.decode(subnets.neuron(view, net, uid)["bonds"])
                for uid in range(subnets.n(view, net))}

    def rpc_subtensor_lastEpoch(self, netuid: Any) -> dict[str, Any] | None:
        return self._view().get(f"epoch_last:{self._netuid(netuid, root=True)}")  # None on root: no epoch

    def rpc_subtensor_nextEpoch(self, netuid: Any) -> dict[str, Any]:
        from localnet.runtime import emission, subnets

        view, net = self._view(), self._netuid(netuid, root=True)
        head = self.chain.head_number
        if not net:  # dynamic TAO runs no epoch on root
            return {"netuid": 0, "head": head, "tempo": self.ROOT_TEMPO, "next_epoch_block": None}
        tempo = subnets.hp(view, net)["tempo"]
        nxt = next((b for b in range(head + 1, head + tempo + 2) if emission.is_epoch_block(b, net, tempo)), None)
        return {"netuid": net, "head": head, "tempo": tempo, "next_epoch_block": nxt}

    def rpc_subtensor_weightCommits(self, netuid: Any, hotkey: Any) -> list[dict[str, Any]]:
        """A hotkey's unrevealed weight commits on a subnet: ``[{hash, block}]``."""
        view, net = self._view(), self._netuid(netuid, root=True)
        return [{"hash": h, "block": b} for h, b in view.get(f"commits:{net}:{_account(hotkey)}", [])]

    def rpc_subtensor_stakesOf(self, coldkey: Any) -> list[dict[str, Any]]:
        """Every stake of a coldkey: ``stake`` (alpha, rao), ``tao_value`` (alpha x price, rao), ``price``."""
        from localnet.runtime import staking, swap

        view = self._view()
        return [{"hotkey": hk, "netuid": net, "stake": amount, "tao_value": staking.tao_value(view, net, amount),
                 "price": swap.price_rao(view, net)}
                for hk, net, amount in staking.stakes_of(view, _account(coldkey))]

    def rpc_subtensor_pool(self, netuid: Any) -> dict[str, Any]:
        """A subnet's pool (root is netuid 0): reserves, price and last block's emission."""
        from localnet.runtime import staking

        net = _uint(netuid, "netuid", 1 << 16)
        if net:
            net = self._netuid(net)
        return staking.pool_info(self._view(), net)

    def rpc_subtensor_quoteStake(self, netuid: Any, amount: Any, adding: Any = True,
                                 limit_price: Any = None) -> dict[str, Any]:
        """Simulate ``add_stake`` (``adding``: ``amount`` rao of TAO) or ``remove_stake`` (``amount`` alpha)."""
        from localnet.runtime import DispatchError, staking

        net = _uint(netuid, "netuid", 1 << 16)
        if not isinstance(adding, bool):
            raise params_error("adding must be true or false")
        limit = None if limit_price is None else _uint(limit_price, "limit_price")
        try:
            return staking.quote(self._view(), net, _uint(amount, "amount"), adding, limit)
        except DispatchError as exc:
            raise RpcError(-32000, exc.message, {"error": exc.name}) from None

    def rpc_subtensor_quoteSwap(self, origin_netuid: Any, destination_netuid: Any, amount: Any,
                                limit_price: Any = None) -> dict[str, Any]:
        """Simulate ``swap_stake`` of ``amount`` alpha (rao) from one subnet to another (``staking.quote_swap``)."""
        from localnet.runtime import DispatchError, staking

        origin = _uint(origin_netuid, "origin_netuid", 1 << 16)
        dest = _uint(destination_netuid, "destination_netuid", 1 << 16)
        limit = None if limit_price is None else _uint(limit_price, "limit_price")
        try:
            return staking.quote_swap(self._view(), origin, dest, _uint(amount, "amount"), limit)
        except DispatchError as exc:
            raise RpcError(-32000, exc.message, {"error": exc.name}) from None

    def rpc_subtensor_hotkeyInfo(self, hotkey: Any) -> dict[str, Any]:
        from localnet.runtime import staking, subnets

        view, hk = self._view(), _account(hotkey)
        regs = [{"netuid": net, "uid": subnets.uid_of(view, net, hk)} for net in subnets.netuids(view)
                if subnets.uid_of(view, net, hk) is not None]
        return {"hotkey": hk, "owner": subnets.owner_of(view, hk), "take": staking.take_of(view, hk),
                "registrations": regs}

    def rpc_subtensor_governance(self) -> dict[str, Any]:
        """Triumvirate, senate (hotkey, root stake), settings and open proposals (``governance.view``)."""
        from localnet.runtime import governance

        return governance.view(self._view())

    def rpc_subtensor_burnCost(self, netuid: Any) -> int:
        from localnet.runtime import subnets

        net = self._netuid(netuid, not_on_root="neurons do not register on the root network (netuid 0): its members "
                                                "are the hotkeys with the most root stake (`btkit stake add --netuid 0`)")
        return int(subnets.hp(self._view(), net)["burn"])

    def rpc_subtensor_lockCost(self) -> int:
        from localnet.runtime import subnets

        return subnets.lock_cost(self._view(), self.chain.head_number + 1)

    def rpc_subtensor_blockEmission(self) -> int:
        return int(self.chain.state.get(system.BLOCK_EMISSION, 0))

    # -- dev methods --------------------------------------------------------------------
    def rpc_localnet_accounting(self) -> dict[str, Any]:
        """The accounting invariant (``localnet.accounting``): TAO sums, per-subnet alpha books, and
        ``violations`` (empty when free + pool TAO == issuance and every subnet's alpha adds up)."""
        from localnet import accounting

        return accounting.totals(self.chain.state)

    def rpc_localnet_nodeInfo(self) -> dict[str, Any]:
        return {"version": __version__, "pid": os.getpid(), "url": self.url, "genesis_hash": self.chain.genesis_hash_hex,
                "head": self.chain.head_number, "head_hash": self.chain.head["hash"], "mining": self.mining.value,
                "block_time": self.block_time, "data_dir": str(self.config.data_dir),
                "ephemeral": self.config.ephemeral, "profile": self.chain.profile, "pool": len(self.chain.pool)}

    async def rpc_localnet_mine(self, blocks: Any = 1) -> dict[str, Any]:
        n = _uint(blocks, "blocks", 100_001)
        for _ in range(n):
            await self.produce()
        return {"head": self.chain.head_number, "hash": self.chain.head["hash"]}

    def rpc_localnet_setMiningMode(self, mode: Any, block_time: Any = None) -> dict[str, Any]:
        try:
            self.mining = MiningMode(mode)
        except ValueError:
            raise params_error("mode must be interval, instant or manual") from None
        if block_time is not None:
            if not isinstance(block_time, (int, float)) or not 0.01 <= block_time <= 3600:
                raise params_error("block_time must be between 0.01 and 3600 seconds")
            self.block_time = float(block_time)
        self._wake.set()
        return {"mining": self.mining.value, "block_time": self.block_time}

    async def rpc_localnet_setBalance(self, address: Any, value: Any) -> dict[str, Any]:
        who, amount = _account(address), _uint(value, "value", 1 << 64)
        block = await self.produce([{"kind": "Dev.set_balance", "args": {"who": who, "value": amount}}])
        return {"address": who, "free": balances.free(self.chain.state, who), "block": block["header"]["number"]}

    async def rpc_localnet_snapshot(self) -> int:
        async with self._produce_lock:
            return self.chain.snapshot()

    async def rpc_localnet_revert(self, snapshot_id: Any) -> bool:
        sid = _uint(snapshot_id, "snapshot id")
        async with self._produce_lock:
            ok = self.chain.revert(sid)
        if not ok:
            raise RpcError(-32000, f"no snapshot {snapshot_id} (snapshots live until a revert to an earlier one "
                                   "or a node restart)")
        return True

    def rpc_localnet_dump(self) -> dict[str, Any]:
        return self.chain.dump()

    async def rpc_localnet_load(self, dump: Any) -> dict[str, Any]:
        try:
            async with self._produce_lock:
                self.chain.load(dump)
        except (ValueError, KeyError, TypeError) as exc:
            raise params_error(f"bad dump: {exc}") from None
        return {"head": self.chain.head_number, "hash": self.chain.head["hash"]}


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: without it, a keep-alive client waits ~40 ms for every
    # response (Nagle holds the body back until the client's delayed ACK of the headers).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def write_node_file(config: NodeConfig, url: str, argv: list[str]) -> dict[str, Any]:
    from keystore.fs import atomic_write

    doc = {"pid": os.getpid(), "url": url, "host": config.host, "port": int(url.rsplit(":", 1)[1].rstrip("/")),
           "data_dir": str(config.data_dir), "log": str(config.data_dir / "node.log"), "argv": argv,
           "started": time.time(), "ephemeral": config.ephemeral}
    atomic_write(config.node_file, json.dumps(doc).encode(), mode=0o644)
    return doc


def signal_ready(fd: int | None, record: dict[str, Any]) -> None:
    """Write ``record`` as one JSON line to the parent's ready pipe and close it (no-op without one)."""
    if fd is None:
        return
    try:
        os.write(fd, json.dumps(record).encode() + b"\n")
    except OSError:  # the parent is gone: keep serving
        pass
    finally:
        os.close(fd)


def run(config: NodeConfig, argv: list[str] | None = None) -> int:
    """Serve until SIGINT/SIGTERM. Once serving: writes ``node.json``, then the ready line on
    ``config.ready_fd``; removes ``node.json`` on exit."""
    try:
        sock = bind(config.host, config.port)
    except OSError as exc:
        sys.stderr.write(f"error: cannot listen on {config.host}:{config.port}: {exc.strerror}\n")
        return 1
    # Short GIL slices: a query waits at most ~1 ms for the block-building thread.
    sys.setswitchinterval(0.001)
    node = Node(config)

    port = sock.getsockname()[1]
    node.url = http_url(config.host, port)

    def on_started() -> None:
        record = write_node_file(config, node.url, argv or [])
        node.log(f"listening on {node.url} (genesis {node.chain.genesis_hash_hex[:18]}..., "
                 f"head {node.chain.head_number}, mining {node.mining.value})")
        signal_ready(config.ready_fd, {**record, "node": node.rpc_localnet_nodeInfo()})
        # The pallets load after the first answer, on the block thread (before any block it builds);
        # a submission that comes first loads them itself (validate_call).
        asyncio.get_running_loop().run_in_executor(node._executor, load_modules)

    try:
        asyncio.run(_server(node, on_started).serve(sockets=[sock]))
    finally:
        try:
            current = json.loads(config.node_file.read_text())
            if current.get("pid") == os.getpid():
                config.node_file.unlink()
        except (OSError, ValueError):
            pass
    node.log("stopped")
    return 0


def _server(node: Node, on_started: Any):
    """A uvicorn server for the node's RPC app that calls ``on_started()`` once it accepts requests."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                on_started()

    return Server(uvicorn.Config(RpcApp(node, node.methods()), loop="asyncio", http="httptools", ws="none",
                                 lifespan="on", log_level="warning", access_log=False, timeout_graceful_shutdown=5))
