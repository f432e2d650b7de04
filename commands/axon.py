"""`btkit axon serve`: announce a miner's endpoint on a subnet."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from btkit.net.urls import host_port
from commands._common import (
    DryRun, Hotkey, Netuid, Network, PasswordFile, WaitFor, WalletName, WalletPath, client, env,
    open_wallet, submit, unlock_hotkey_checked,
)
from commands._group import command_group

app = command_group('Announce axon endpoints.', [
    'btkit axon serve --netuid 1 --ip 203.0.113.7 --port 8091 -w alice -H miner1',
    'btkit subnet metagraph --netuid 1',
])


@app.callback()
def _group() -> None:
    """Announce axon endpoints."""


@app.command()
def serve(netuid: int = Netuid, ip: str = typer.Option(..., "--ip", help="Public IPv4 or IPv6 address of the miner."),
          port: int = typer.Option(..., "--port", min=1, max=65535, help="Port the miner's axon listens on."),
          protocol: int = typer.Option(4, "--protocol", help="Axon protocol number stored on chain."),
          version: int = typer.Option(1, "--version-key", help="Axon version stored on chain."),
          wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
          hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
          network: Optional[str] = Network, dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Sign serve_axon with the hotkey: IP and port of its miner on --netuid."""
    if not 1 <= port <= 65535:
        raise UsageError("--port must be between 1 and 65535")
    from btkit.chain.preflight import check_registered, check_subnet

    chain = client(network)
    serve_call = chain.calls.serve_axon(netuid, ip, port, protocol, version)  # checks the IP before unlocking
    check_subnet(chain, netuid)
    kp = unlock_hotkey_checked(open_wallet(wallet_path, wallet_name), hotkey, password_file, lambda ss58: (
        check_registered(chain, netuid, ss58, "SubtensorModule.HotKeyNotRegisteredInNetwork")))
    result = submit(chain, kp, serve_call, "serve_axon", dry_run, wait_for)
    env().result({"netuid": netuid, "hotkey": kp.ss58_address, "ip": ip, "port": port, "block": result.block},
                 lambda out: out.print(f"serving {host_port(ip, port)} for {kp.ss58_address} on subnet {netuid}",
                                       markup=False))
