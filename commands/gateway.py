"""`btkit gateway credit`: a client's credit at a validator's gateway."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from commands._common import Netuid, Network, PasswordFile, WalletName, WalletPath, client, env, open_wallet, unlock_coldkey
from commands._group import command_group
from commands.query import Validator

app = command_group("Use validators' gateways as a client.", [
    "btkit gateway credit --netuid 1 -w me",
    "btkit query --netuid 1 --input @request.json --pay 0.01 -w me",
])


@app.callback()
def _group() -> None:
    """Use validators' gateways as a client."""


@app.command()
def credit(netuid: int = Netuid, validator: Optional[str] = Validator,
           wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           password_file: Optional[str] = PasswordFile, network: Optional[str] = Network) -> None:
    """The wallet coldkey's credit at a gateway of --netuid (the request is signed: only you see it)."""
    from btkit.client import open_gateway
    from btkit.units import Balance

    chain = client(network)
    kp = unlock_coldkey(open_wallet(wallet_path, wallet_name), password_file)
    gw = open_gateway(chain, kp, netuid, validator)
    account = gw.account()
    gw.close()
    credit_rao = int(account["credit_rao"])
    price = int(gw.info.get("price_rao") or 0)
    data = {"account": kp.ss58_address, "gateway": gw.hotkey, "url": gw.url, "credit": Balance(credit_rao),
            "paid": Balance(int(account["paid_rao"])), "price": Balance(price), "pay_to": gw.info.get("pay_to"),
            "queries_left": credit_rao // price if price else None}
    env().result(data, lambda out: out.print(
        f"credit {Balance(credit_rao)} at the gateway of {gw.hotkey} ({gw.url}); price {Balance(price)} per query"
        + (f", {credit_rao // price} queries left" if price else " (free)"), markup=False))
