"""`btkit validator run | stop | ps`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import (
    Hotkey, Netuid, Network, PasswordFile, WalletName, WalletPath, address, check_announced_ip, following_client,
    hotkey_name, open_wallet, unlock_hotkey,
)
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
        gateway_port: Optional[int] = typer.Option(None, "--gateway-port", min=0, max=65535,
                                                   help="Serve client requests (the gateway) on this port "
                                                   "(0 = any free port) and announce it [off]."),
        gateway_host: str = typer.Option("127.0.0.1", "--gateway-host", help="Gateway listen address."),
        gateway_external_ip: Optional[str] = typer.Option(None, "--gateway-external-ip", help="IP announced on chain."),
        gateway_top_k: int = typer.Option(3, "--gateway-top-k", help="Best-scored miners asked at once per request."),
        gateway_mode: str = typer.Option("best", "--gateway-mode", help="best (the best-scored usable answer) or "
                                                                      "combine (the task's aggregate)."),
        gateway_price: int = typer.Option(0, "--gateway-price", help="Price per answered query in rao (0 = free)."),
        gateway_pay_to: Optional[str] = typer.Option(None, "--gateway-pay-to", help="SS58 account clients pay "
                                                     "[the wallet's coldkey]."),
        gateway_rate: float = typer.Option(20.0, "--gateway-rate", help="Requests/s per client (burst: twice that)."),
        gateway_concurrency: int = typer.Option(8, "--gateway-concurrency", help="Requests in flight per client."),
        gateway_max_body: int = typer.Option(64 * 1024, "--gateway-max-body", help="Largest request body (bytes)."),
        ) -> None:
    """Query the subnet's miners, score them, and set weights within the rate limit; with --gateway-port,
    also answer clients' requests from the best-scored miners (see `btkit query`)."""
    from commands import _neuron

    wallet = open_wallet(wallet_path, wallet_name)
    name = _neuron.record_name("validator", netuid, wallet.name, hotkey_name(hotkey))
    # the gateway's flags are checked here, before --detach: a background validator cannot say "usage"
    if gateway_port is None and gateway_price:
        raise UsageError("--gateway-price needs --gateway-port (the gateway is off)")
    if gateway_port is not None and (gateway_mode not in ("best", "combine") or gateway_price < 0
                                     or gateway_top_k < 1):
        raise UsageError("--gateway-mode is best or combine; --gateway-price >= 0; --gateway-top-k >= 1")
    pay_to = address(gateway_pay_to, "--gateway-pay-to") if gateway_pay_to else None
    if gateway_port is not None:
        check_announced_ip(gateway_host, gateway_external_ip, "--gateway-host", "--gateway-external-ip")
    if detach:
        _neuron.detach("validator", name, _neuron.foreground_argv(_neuron.raw_argv()))
        return
    from btkit.neurons import validator
    from btkit.neurons.runtime import Log, StopFlag, neurons_dir

    gateway = None
    if gateway_port is not None:
        from btkit.gateway.limits import Limits
        from btkit.gateway.server import GatewayConfig
        pay_to = pay_to or wallet.coldkeypub().ss58_address
        gateway = GatewayConfig(netuid=netuid, host=gateway_host, port=gateway_port, external_ip=gateway_external_ip,
                                top_k=gateway_top_k, mode=gateway_mode, price_rao=gateway_price, pay_to=pay_to,
                                max_body=gateway_max_body, miner_timeout_s=timeout,
                                limits=Limits(gateway_rate, max(1, int(2 * gateway_rate)), gateway_concurrency))
    kp = unlock_hotkey(wallet, hotkey, password_file)
    cfg = validator.ValidatorConfig(netuid=netuid, task=task, interval_s=interval, timeout_s=timeout,
                                    state_path=neurons_dir() / f"{name}.scores.json", gateway=gateway,
                                    ledger_path=neurons_dir() / f"{name}.ledger.sqlite")
    stop = StopFlag()
    validator.run(following_client(network), kp, cfg, Log(log_format, name), stop)
    if stop.exit_code:  # stopped by a signal: "stopped" is logged; exit 130 (Ctrl-C) or 128 + N
        raise typer.Exit(stop.exit_code)


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
