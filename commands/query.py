"""`btkit query`: ask a subnet through a validator's gateway (signed, verified, optionally paid)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from commands._common import (
    DryRun, Netuid, Network, PasswordFile, WaitFor, WalletName, WalletPath, client, confirm_send, env, open_wallet,
    submit, unlock_coldkey,
)
from commands._group import command_group, examples_epilog

app = command_group("Query a subnet through a validator's gateway.")

Validator = typer.Option(None, "--validator", help="The gateway's validator: hotkey SS58 or http(s)://URL "
                                                   "[default: the highest-staked gateway on the metagraph].")


def read_input(value: str):
    """``--input``: inline JSON, or ``@FILE`` holding it."""
    import json

    from btkit.errors import UsageError

    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).expanduser().read_text()
        except OSError as exc:
            raise UsageError(f"cannot read --input file {value[1:]!r}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--input is not JSON: {exc}", hint="pass JSON, or @FILE with JSON in it") from None


@app.command(epilog=examples_epilog([
    """btkit query --netuid 1 --input '{"series": [0.1, ...], "horizon": 8}' -w me""",
    "btkit query --netuid 1 --input @request.json --pay 0.01 -y -w me --json",
    "btkit query --netuid 1 --input @req.json --validator http://203.0.113.9:8100",
]))
def query(
    netuid: int = Netuid,
    input_: str = typer.Option(..., "--input", help="The request as JSON, or @FILE (see the gateway's request schema)."),
    validator: Optional[str] = Validator,
    pay: Optional[str] = typer.Option(None, "--pay", help="First pay this much TAO to the gateway (asks to confirm "
                                                          "unless -y), wait for the credit, then query."),
    deadline: Optional[float] = typer.Option(None, "--deadline", help="Seconds the gateway may take [its default]."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Send --input to a gateway of --netuid, signed by the wallet's coldkey (the account that pays);
    print the answer once the validator's signature (and the receipt, when paid) verify. With --pay,
    --dry-run shows the payment (call, signer, fee) and stops: nothing is paid or asked."""
    from btkit.chain.preflight import check_free_balance
    from btkit.client import open_gateway
    from btkit.errors import UsageError
    from btkit.units import Balance

    request = read_input(input_)
    amount = Balance.from_tao(pay) if pay is not None else None
    if amount is not None and amount.rao <= 0:
        raise UsageError("--pay must be positive")
    wallet = open_wallet(wallet_path, wallet_name)
    chain = client(network)
    if amount is not None:  # before unlocking and finding the gateway: a fee to an account like it
        coldkey = wallet.coldkeypub().ss58_address
        check_free_balance(chain, coldkey, amount, "the payment", chain.calls.transfer(coldkey, amount),
                           keep_alive=True, error="Balances.KeepAlive")
    kp = unlock_coldkey(wallet, password_file)
    gw = open_gateway(chain, kp, netuid, validator)
    paid = None
    if amount is not None:
        pay_to = gw.pay_to()
        transfer = chain.calls.transfer(pay_to, amount)
        confirm_send(chain, kp.ss58_address, transfer,
                     f"Pay {amount} from {kp.ss58_address} to the gateway of {gw.hotkey} "
                     f"(account {pay_to}, {Balance(gw.info.get('price_rao') or 0)} per query)?", dry_run)
        if dry_run:
            gw.close()
            submit(chain, kp, transfer, "transfer", dry_run=True)  # prints the call, signer and fee; exits 0
        with env().status("Paying and waiting for the gateway to credit it..."):
            paid = {"amount": amount, "credit": Balance(gw.pay(chain, amount.rao, wait=wait_for))}
    with env().status("Querying..."):
        answer = gw.query(request, deadline)
    gw.close()

    def human(out) -> None:
        import json

        out.print(json.dumps(answer.answer), markup=False)
        by = ", ".join(f"uid {m['uid']} ({m['hotkey'][:8]}, score {m['score']})" for m in answer.answered_by)
        e = env()
        e.info(f"answered by {by} via the gateway of {answer.gateway} in {answer.timings.get('total_ms')} ms; "
               "signature verified")
        if answer.fallback:
            e.info(answer.note)
        if answer.receipt:
            e.info(f"paid {Balance(answer.receipt['price_rao'])}; credit left "
                   f"{Balance(answer.receipt['credit_rao'])} (receipt verified)")

    env().result({**answer.to_json(), "paid": paid}, human)
