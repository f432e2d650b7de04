"""`btkit localnet ...`: run and inspect local chain nodes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from btkit.errors import BtkitError, UsageError
from commands._common import confirm_or_abort, env, settings
from commands._group import command_group

app = command_group('Run and inspect local chain nodes.', [
    'btkit localnet up --port 0 --mining instant',
    'btkit localnet logs -f',
    'btkit localnet mine 10 && btkit localnet down',
])

DataDir = typer.Option(None, "--data-dir", help="The node's data directory [config localnet.data_dir].")


def _data_dir(value: Optional[Path]) -> Path:
    return (value or settings().path_value("localnet.data_dir")).expanduser().resolve()


def _chain(data_dir: Optional[Path]):
    """The localnet of a data directory (a ``btkit.chain.Chain``)."""
    from btkit.chain import connect

    return connect("local", _data_dir(data_dir), cfg=settings())


def _dev(data_dir: Optional[Path], what: str):
    """Its dev operations (``btkit.chain.DevChain``), on either engine."""
    from localnet import subtensor_control

    return subtensor_control.dev_chain(_data_dir(data_dir)) or _chain(data_dir).dev(what)


def _dev_accounts() -> list[dict[str, Any]]:
    """The funded dev accounts both engines start with (//Alice is sudo)."""
    from btkit.units import Balance
    from localnet.genesis import DEV_ACCOUNTS, SUDO_URI

    return [{"uri": uri, "ss58_address": addr, "balance": Balance(amount), "sudo": uri == SUDO_URI}
            for uri, addr, amount in DEV_ACCOUNTS]


def _banner(info: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    accounts = _dev_accounts()
    return {"url": info["url"], "pid": info["pid"], "data_dir": info["data_dir"], "log": info["log"],
            "ready_s": info.get("ready_s"), "genesis_hash": node["genesis_hash"], "head": node["head"],
            "mining": node["mining"], "block_time": node["block_time"], "profile": node["profile"],
            "ephemeral": node["ephemeral"], "accounts": accounts}


def _print_banner(data: dict[str, Any]) -> None:
    from btkit.units import Balance

    def human(out) -> None:
        engine = " (engine subtensor: the real runtime under chopsticks)" if data.get("engine") == "subtensor" else ""
        out.print(f"[bold]btkit localnet[/] is running{engine}\n")
        out.print("Dev accounts (secret URIs: use `--uri //Name` with `btkit wallet regen-coldkey`)")
        for i, a in enumerate(data["accounts"]):
            sudo = "  [sudo]" if a["sudo"] else ""
            out.print(f"  ({i}) {a['uri']:<9} {a['ss58_address']}  {a['balance']}{sudo}", markup=False)
        out.print(f"\nRPC        {data['url']}", markup=False)
        if data.get("ws_url"):
            out.print(f"WebSocket  {data['ws_url']}   (bittensor SDK: bt.Subtensor(network=...))", markup=False)
        out.print(f"Genesis    {data['genesis_hash']}", markup=False)
        if data.get("source"):
            out.print(f"Runs       {data['source']}", markup=False)
        out.print(f"Head       #{data['head']}   mining {data['mining']}"
                  + (f" every {data['block_time']} s" if data["mining"] == "interval" else ""), markup=False)
        out.print(f"Data dir   {data['data_dir']}{'  (ephemeral chain)' if data['ephemeral'] else ''}", markup=False)
        out.print(f"Log        {data['log']}   pid {data['pid']}   ready in {data['ready_s']} s", markup=False)
        out.print("\nStop it with `btkit localnet down`.")

    env().result(data, human)


@app.command()
def up(
    data_dir: Optional[Path] = DataDir,
    port: int = typer.Option(9944, "--port", help="RPC port; 0 picks a free one."),
    host: str = typer.Option("127.0.0.1", "--host", help="Listen address (0.0.0.0 to serve other machines)."),
    block_time: Optional[float] = typer.Option(
        None, "--block-time", help="Seconds between blocks in interval mode (default 0.25; subtensor 1)."),
    mining: Optional[str] = typer.Option(
        None, "--mining", help="interval, instant or manual (default interval; subtensor instant)."),
    ephemeral: bool = typer.Option(False, "--ephemeral", help="Keep the chain in memory only."),
    profile: str = typer.Option("dev", "--profile", help="Hyperparameter defaults: dev or mainnet."),
    foreground: bool = typer.Option(False, "--foreground", help="Stay attached; Ctrl-C stops the node."),
    log_format: str = typer.Option("text", "--log-format", help="Node log lines: text or json (one object a line)."),
    engine: str = typer.Option("btkit", "--engine", help="btkit (btkit's own node) or subtensor (the real runtime "
                               "under chopsticks; needs Node.js >= 20)."),
    chain_spec: Optional[Path] = typer.Option(None, "--chain-spec", help="subtensor engine: a raw chain spec to run."),
    fork: Optional[str] = typer.Option(None, "--fork", help="subtensor engine: fork a live network (URL, finney, test)."),
    at: Optional[str] = typer.Option(None, "--at", help="subtensor engine: the block (number or hash) to fork at."),
    mainnet_limits: bool = typer.Option(False, "--mainnet-limits",
                                        help="subtensor engine: keep the runtime's rate limits."),
    vote_weight: str = typer.Option("seat", "--vote-weight", help="Governance votes: seat (one per senator, "
                                    "subtensor's rule) or stake (weighed by root stake); set when the chain is new."),
) -> None:
    """Start a local chain node; returns once it answers (detached unless --foreground)."""
    from localnet import control

    if not 0 <= port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    if vote_weight not in ("seat", "stake"):
        raise UsageError(f"--vote-weight must be seat or stake, not {vote_weight!r}")
    if engine == "subtensor":
        if vote_weight != "seat":
            raise UsageError("--vote-weight is a btkit-engine flag; the subtensor engine's runtime counts seats")
        _up_subtensor(_data_dir(data_dir), host, port, block_time, mining, ephemeral, profile, log_format, foreground,
                      chain_spec, fork, at, mainnet_limits)
        return
    if engine != "btkit":
        raise UsageError(f"--engine must be btkit or subtensor, not {engine!r}")
    if chain_spec or fork or at or mainnet_limits:
        raise UsageError("--chain-spec, --fork, --at and --mainnet-limits go with --engine subtensor")
    mining = mining or "interval"
    block_time = 0.25 if block_time is None else block_time
    if mining not in ("interval", "instant", "manual"):
        raise UsageError(f"--mining must be interval, instant or manual, not {mining!r}")
    if profile not in ("dev", "mainnet"):
        raise UsageError(f"--profile must be dev or mainnet, not {profile!r}")
    if not 0.01 <= block_time <= 3600:
        raise UsageError("--block-time must be between 0.01 and 3600 seconds")
    if log_format not in ("text", "json"):
        raise UsageError(f"--log-format must be text or json, not {log_format!r}")
    options = control.UpOptions(_data_dir(data_dir), host, port, mining, block_time, ephemeral, profile, log_format,
                                vote_weight)
    info, proc = control.up(options, detached=not foreground)
    _print_banner(_banner(info, info["node"]))
    if foreground:
        _follow_until_interrupted(proc, Path(info["log"]))


def _up_subtensor(dd: Path, host, port, block_time, mining, ephemeral, profile, log_format, foreground, chain_spec,
                  fork, at, mainnet_limits) -> None:
    from localnet import subtensor_control
    from localnet.genesis import DEV_ACCOUNTS, SUDO_URI

    if profile != "dev" or ephemeral or log_format != "text":
        raise UsageError("--profile, --ephemeral and --log-format are btkit-engine flags; the subtensor engine keeps "
                         "its chain in memory, logs chopsticks' lines and takes --mainnet-limits")
    if block_time is not None and not 0.1 <= block_time <= 3600:
        raise UsageError("--block-time must be between 0.1 and 3600 seconds")
    config = subtensor_control.config(dd, chain_spec, fork, at, host, port, mining, block_time, mainnet_limits)
    info, proc = subtensor_control.up(config, detached=not foreground)
    node = info["node"]
    accounts = _dev_accounts()
    source = info["source"]
    _print_banner({"engine": "subtensor", "url": info["url"], "ws_url": info["ws_url"], "pid": info["pid"],
                   "data_dir": info["data_dir"], "log": info["log"], "ready_s": info.get("ready_s"),
                   "genesis_hash": node["genesis_hash"], "head": node["head"], "mining": node["mining"],
                   "block_time": node["block_time"], "mainnet_limits": info["mainnet_limits"], "ephemeral": True,
                   "source": f"chain spec {source['spec']}" if source["spec"]
                   else f"fork of {source['fork']}" + (f" at {source['at']}" if source["at"] else ""),
                   "accounts": accounts})
    if foreground:
        _follow_until_interrupted(proc, Path(info["log"]))


def _follow(log: Path, out, alive=lambda: True) -> None:
    """Print what is appended to ``log`` while ``alive()``; Ctrl-C ends it quietly."""
    try:
        with open(log, "rb") as fh:
            fh.seek(0, 2)
            while alive():
                chunk = fh.read()
                if chunk:
                    out.write(chunk.decode(errors="replace"))
                    out.flush()
                time.sleep(0.2)
    except KeyboardInterrupt:
        pass


def _follow_until_interrupted(proc, log: Path) -> None:
    from btkit import process

    try:
        _follow(log, sys.stderr, lambda: proc.poll() is None)
    finally:
        process.stop(proc.pid, marker=None)


@app.command()
def down(data_dir: Optional[Path] = DataDir,
         stop_neurons: bool = typer.Option(False, "--stop-neurons", help="Also stop the background miners and "
                                           "validators attached to this node."),
         ) -> None:
    """Stop the node of a data directory (SIGTERM, then SIGKILL after 10 s); says which background
    miners and validators are still attached (they reconnect when a localnet is up again)."""
    from commands import _neuron
    from localnet import control

    dd = _data_dir(data_dir)
    info = control.down(dd)
    data: dict[str, Any] = {"stopped": info is not None, "pid": info["pid"] if info else None, "data_dir": str(dd)}
    neurons = _neuron.attached(info["url"], dd == _data_dir(None)) if info else []
    data["attached_neurons"] = [{"name": r["name"], "pid": r["pid"]} for r in neurons]
    data["stopped_neurons"] = _neuron.stop_records(neurons) if stop_neurons else []

    def human(out) -> None:
        out.print(f"stopped the node (pid {info['pid']})" if info else f"no node running for {dd}", markup=False)
        if data["stopped_neurons"]:
            out.print(f"stopped {', '.join(data['stopped_neurons'])}", markup=False)
        elif neurons:
            out.print("still attached (they reconnect when a localnet is up again; `btkit localnet down "
                      "--stop-neurons` stops them too): " + ", ".join(f"{r['name']} (pid {r['pid']})" for r in neurons),
                      markup=False)

    env().result(data, human)


@app.command()
def status(data_dir: Optional[Path] = DataDir) -> None:
    """Pid, URL, head and data dir of the node (exit 3 when none runs)."""
    from btkit.errors import NodeUnreachableError
    from localnet import control, subtensor_control

    dd = _data_dir(data_dir)
    info = control.running(dd)
    if info is None:
        raise NodeUnreachableError(f"no localnet running for {dd} — run `btkit localnet up`")
    if subtensor_control.is_subtensor(info):
        data = subtensor_control.status(info)
        env().result(data, lambda out: out.print(
            f"running  pid {data['pid']}  {data['url']}  (engine subtensor, chopsticks {data['chopsticks']})\n"
            f"head     #{data['head']} {data['head_hash']}\nmining   {data['mining']}\ndata dir {dd}", markup=False))
        return
    node = _chain(data_dir).node_info()
    data = {"running": True, "engine": "btkit", "pid": info["pid"], "url": info["url"], "data_dir": str(dd), "head": node.head,
            "head_hash": node.head_hash, "mining": node.mining, "pool": node.pool,
            "genesis_hash": node.genesis_hash, "log": info["log"]}
    env().result(data, lambda out: out.print(
        f"running  pid {data['pid']}  {data['url']}  (engine btkit)\nhead     #{data['head']} {data['head_hash']}\n"
        f"mining   {data['mining']}   pool {data['pool']}\ndata dir {dd}", markup=False))


@app.command()
def logs(data_dir: Optional[Path] = DataDir,
         follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing new lines."),
         lines: int = typer.Option(50, "--lines", "-n", help="How many lines to show first.")) -> None:
    """Print the node's log: one line per extrinsic (signer, call, result, block), one per epoch.

    With --json: {"log", "lines", "records"}, each record a line read back as an object
    (event, block, signer, call, result, error, ...; see docs/localnet.md).
    """
    from localnet.config import LOG_FILE
    from localnet.log import parse_line

    log = _data_dir(data_dir) / LOG_FILE
    if not log.exists():
        raise BtkitError(f"no log at {log}", hint="start a node with `btkit localnet up`")
    if env().json and follow:
        raise UsageError("--json prints one document; it cannot follow the log",
                         hint="start the node with `--log-format json` and follow it with `localnet logs -f`")
    text = log.read_text(errors="replace").splitlines()[-lines:] if lines > 0 else []
    if env().json:
        env().result({"log": str(log), "lines": text, "records": [parse_line(line) for line in text]})
        return
    sys.stdout.write("".join(line + "\n" for line in text))
    sys.stdout.flush()
    if follow:
        _follow(log, sys.stdout)


@app.command()
def reset(data_dir: Optional[Path] = DataDir) -> None:
    """Wipe the chain back to a new genesis (a running node is restarted with its settings)."""
    from localnet import control, subtensor_control

    dd = _data_dir(data_dir)
    confirm_or_abort(f"Delete the chain in {dd}?")
    info = control.down(dd)
    removed = control.wipe(dd)
    data: dict[str, Any] = {"data_dir": str(dd), "removed": removed, "restarted": False}
    if info is not None:
        parse = subtensor_control.parse_argv if subtensor_control.is_subtensor(info) else control.parse_argv
        new, _ = control.up(parse(info["argv"]))
        data.update(restarted=True, url=new["url"], pid=new["pid"], genesis_hash=new["node"]["genesis_hash"])
    env().result(data, lambda out: out.print(
        f"reset {dd}" + (f"; node restarted at {data.get('url')}" if data["restarted"] else "")))


@app.command()
def mine(blocks: int = typer.Argument(1, help="How many blocks."), data_dir: Optional[Path] = DataDir) -> None:
    """Produce N blocks now (any mining mode)."""
    if not 1 <= blocks <= 100_000:
        raise UsageError("N must be between 1 and 100000")
    head = _dev(data_dir, "localnet mine").mine(blocks)
    env().result({"head": head.number, "hash": head.hash}, lambda out: out.print(f"head #{head.number} {head.hash}",
                                                                                 markup=False))


@app.command()
def jump(blocks: int = typer.Argument(..., help="How many blocks to advance."),
         data_dir: Optional[Path] = DataDir) -> None:
    """Advance the block number by N (one block on the subtensor engine; N blocks built on btkit's node)."""
    if not 1 <= blocks <= 10_000_000:
        raise UsageError("N must be between 1 and 10000000")
    head = _dev(data_dir, "localnet jump").jump(blocks)
    env().result({"head": head.number, "hash": head.hash}, lambda out: out.print(f"head #{head.number} {head.hash}",
                                                                                 markup=False))


@app.command()
def snapshot(data_dir: Optional[Path] = DataDir) -> None:
    """Remember the current state; `revert ID` returns to it (snapshots live until the node stops)."""
    sid = _dev(data_dir, "localnet snapshot").snapshot()
    env().result({"snapshot": sid}, lambda out: out.print(str(sid)))


@app.command()
def revert(snapshot_id: int = typer.Argument(..., metavar="ID", help="A snapshot id from `localnet snapshot`."),
           data_dir: Optional[Path] = DataDir) -> None:
    """Return to a snapshot: state, head and blocks after it are dropped."""
    head = _dev(data_dir, "localnet revert").revert(snapshot_id)
    env().result({"reverted": snapshot_id, "head": head.number, "hash": head.hash},
                 lambda out: out.print(f"reverted to snapshot {snapshot_id}: head #{head.number}"))


@app.command()
def dump(file: Path = typer.Argument(..., help="Where to write the state (JSON)."),
         data_dir: Optional[Path] = DataDir) -> None:
    """Write the node's state and head to FILE."""
    from keystore.fs import atomic_write

    doc = _dev(data_dir, "localnet dump").dump()
    atomic_write(file, json.dumps(doc).encode(), mode=0o644)
    env().result({"file": str(file), "head": doc["head"]["header"]["number"], "keys": len(doc["state"])},
                 lambda out: out.print(f"dumped head #{doc['head']['header']['number']} to {file}"))


@app.command()
def load(file: Path = typer.Argument(..., help="A file written by `localnet dump`."),
         data_dir: Optional[Path] = DataDir) -> None:
    """Replace the node's state and head with a dump."""
    try:
        doc = json.loads(file.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read dump {file}: {exc}") from None
    head = _dev(data_dir, "localnet load").load(doc)
    env().result({"head": head.number, "hash": head.hash}, lambda out: out.print(f"loaded {file}: head #{head.number}"))


@app.command()
def verify(data_dir: Optional[Path] = DataDir) -> None:
    """Replay every block from genesis (or the last load) and compare roots and state."""
    from localnet.config import DB_FILE
    from localnet.verify import VerifyError, verify as run_verify

    dd = _data_dir(data_dir)
    started = time.monotonic()
    with env().status("Replaying blocks..."):
        try:
            report = run_verify(dd / DB_FILE)
        except VerifyError as exc:
            err = BtkitError(f"verification failed: {exc}")
            err.code = "verify_failed"
            raise err from None
    report["seconds"] = round(time.monotonic() - started, 3)
    env().result(report, lambda out: out.print(
        f"ok: replayed {report['blocks_replayed']} blocks ({report['extrinsics_replayed']} extrinsics) "
        f"from #{report['base']} to #{report['head']}; state matches ({report['state_keys']} keys)"))
