"""`btkit register`: put a hotkey on a subnet by recycling the burn."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import (
    Hotkey, Netuid, Network, PasswordFile, WalletName, WalletPath, client, confirm_or_abort, env, hotkey_address,
    open_wallet, submit, unlock_coldkey,
)

app = typer.Typer(help="Register a hotkey on a subnet.")


@app.command()
def register(
    netuid: int = Netuid,
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    max_cost: Optional[str] = typer.Option(None, "--max-cost", help="Refuse if the burn exceeds this (TAO)."),
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
) -> None:
    """Register the wallet's hotkey on --netuid, paying the subnet's burn from the coldkey."""
    from btkit.extrinsic import call
    from btkit.units import Balance

    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey)
    chain = client(network)
    cost = int(chain.call("subtensor_burnCost", netuid))
    if max_cost is not None and cost > Balance.from_tao(max_cost).rao:
        raise UsageError(f"the burn is {Balance(cost)}, above --max-cost {max_cost}",
                         hint="wait for the burn to adjust down, or raise --max-cost")
    confirm_or_abort(f"Register {hk} on subnet {netuid} for {Balance(cost)} (recycled)?")
    kp = unlock_coldkey(wallet, password_file)
    result = submit(chain, kp, call("SubtensorModule", "burned_register", netuid=netuid, hotkey=hk), "burned_register")
    uid = next(e["data"]["uid"] for e in result.events if e["name"] == "NeuronRegistered")
    env().result({"netuid": netuid, "uid": uid, "hotkey": hk, "cost": cost, "block": result.block},
                 lambda out: out.print(f"registered {hk} as uid {uid} on subnet {netuid} for {Balance(cost)}",
                                       markup=False))
