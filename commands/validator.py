"""`btkit validator run | stop | ps`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from commands._common import Hotkey, Netuid, Network, PasswordFile, WalletName, WalletPath, client, hotkey_name, open_wallet, unlock_hotkey
from commands._group import command_group

app = command_group('Run validators that score miners and set weights.', [
    'btkit validator run --netuid 1 -w owner -H default',
    'btkit validator run --netuid 1 -w owner --detach',
    'btkit validator stop',
])


@app.command()
def run(netuid: int = Netuid,
        wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
        hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
        network: Optional[str] = Network,
        task: Optional[str] = typer.Option(None, "--task", help="package.module:Class (default: built-in forecast)."),
        interval: float = typer.Option(1.0, "--interval", help="Seconds between query rounds."),
        timeout: float = typer.Option(2.0, "--timeout", help="Per-request timeout (s)."),
        log_format: str = typer.Option("text", "--log-format", help="text or json."),
        detach: bool = typer.Option(False, "--detach", help="Run in the background."),
        ) -> None:
    """Query the subnet's miners, score them, and set weights within the rate limit."""
    from commands import _neuron

    wallet = open_wallet(wallet_path, wallet_name)
    name = _neuron.record_name("validator", netuid, wallet.name, hotkey_name(hotkey))
    if detach:
        _neuron.detach("validator", name, _neuron.foreground_argv(_neuron.raw_argv()))
        return
    from btkit.neurons import validator
    from btkit.neurons.runtime import Log, neurons_dir

    kp = unlock_hotkey(wallet, hotkey, password_file)
    cfg = validator.ValidatorConfig(netuid=netuid, task=task, interval_s=interval, timeout_s=timeout,
                                    state_path=neurons_dir() / f"{name}.scores.json")
    validator.run(client(network), kp, cfg, Log(log_format, name))


@app.command()
def stop(name: Optional[str] = typer.Argument(None, help="One validator (see `validator ps`); default all.")) -> None:
    """Stop background validators."""
    from commands import _neuron

    _neuron.stop("validator", name)


@app.command()
def ps() -> None:
    """List background validators."""
    from commands import _neuron

    _neuron.ps("validator")
