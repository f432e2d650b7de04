"""`btkit miner run | stop | ps`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from commands._common import (
    Hotkey, Netuid, Network, PasswordFile, WalletName, WalletPath, check_announced_ip, following_client, hotkey_name,
    open_wallet, unlock_hotkey,
)
from commands._group import command_group

app = command_group('Run miners that serve a task over signed HTTP.', [
    'btkit miner run --netuid 1 -w alice -H miner1 --port 8091',
    'btkit miner run --netuid 1 -w alice -H miner2 --port 0 --detach',
    'btkit miner ps',
])


@app.command()
def run(netuid: int = Netuid,
        wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
        hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
        network: Optional[str] = Network,
        port: int = typer.Option(8091, "--port", min=0, max=65535, help="Listen port (0 = any free port)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Listen address."),
        external_ip: Optional[str] = typer.Option(None, "--external-ip", help="IP announced on chain."),
        task: Optional[str] = typer.Option(None, "--task", help="package.module:Class (default: built-in forecast)."),
        allow_unregistered: bool = typer.Option(False, "--allow-unregistered", help="Serve callers not on the subnet."),
        no_permit_required: bool = typer.Option(False, "--no-permit-required", help="Serve callers without a permit."),
        min_stake: float = typer.Option(0.0, "--min-stake", help="Refuse callers below this stake (TAO)."),
        timeout: float = typer.Option(5.0, "--timeout", help="Per-request task timeout (s)."),
        log_format: str = typer.Option("text", "--log-format", help="text or json."),
        detach: bool = typer.Option(False, "--detach", help="Run in the background (see `miner ps`, `miner stop`)."),
        ) -> None:
    """Serve the task on --netuid: checks registration, announces the axon, answers validators."""
    from commands import _neuron

    wallet = open_wallet(wallet_path, wallet_name)
    name = _neuron.record_name("miner", netuid, wallet.name, hotkey_name(hotkey))
    check_announced_ip(host, external_ip, "--host", "--external-ip")
    if detach:
        _neuron.detach("miner", name, _neuron.foreground_argv(_neuron.raw_argv()))
        return
    from btkit.net.axon import Policy
    from btkit.neurons import miner
    from btkit.neurons.runtime import Log, StopFlag

    kp = unlock_hotkey(wallet, hotkey, password_file)
    policy = Policy(require_registered=not allow_unregistered, require_permit=not no_permit_required,
                    min_stake=int(min_stake * 1e9), timeout_s=timeout)
    cfg = miner.MinerConfig(netuid=netuid, host=host, port=port, external_ip=external_ip, task=task, policy=policy)
    stop = StopFlag()
    miner.run(following_client(network), kp, cfg, Log(log_format, name), stop)
    if stop.exit_code:  # stopped by a signal: "stopped" is logged; exit 130 (Ctrl-C) or 128 + N
        raise typer.Exit(stop.exit_code)


@app.command()
def stop(name: Optional[str] = typer.Argument(None, help="One miner (see `miner ps`); default all.")) -> None:
    """Stop background miners."""
    from commands import _neuron

    _neuron.stop("miner", name)


@app.command()
def ps() -> None:
    """List background miners."""
    from commands import _neuron

    _neuron.ps("miner")
