"""`btkit stake ...`: stake, unstake, list stakes, set a delegate's take."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import (
    DryRun, Hotkey, Netuid, Network, PasswordFile, WaitFor, WalletName, WalletPath, address, client, confirm_send, env,
    hotkey_address, open_wallet, submit, unlock_coldkey,
)
from commands._group import command_group

app = command_group("Stake, unstake, list stakes, set a delegate's take.", [
    'btkit stake add --netuid 1 --amount 10 -w owner -H default',
    'btkit stake list -w owner',
    'btkit stake remove --netuid 1 --amount 2.5 -y',
])
HotkeySS58 = typer.Option(None, "--hotkey-ss58", "--delegate", help="Stake to this hotkey address instead (nominate).")


def _move(op: str, netuid: int, amount: Optional[str], wallet_path, wallet_name, hotkey, hotkey_ss58, password_file,
          network, dry_run: bool, wait_for: str, whole: bool = False):
    from btkit.stakes import unstake_amount
    from btkit.units import Balance

    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey, hotkey_ss58)
    if whole and amount is not None:
        raise UsageError("give --amount or --all, not both")
    value = Balance.from_tao(amount) if amount is not None else None
    if value is not None and value.rao <= 0:
        raise UsageError("--amount must be positive")
    if op == "add" and value is None:
        raise UsageError("--amount is required")
    chain = client(network)
    coldkey = wallet.coldkeypub().ss58_address
    what = f"{hk} in subnet {netuid}"

    def held() -> Balance:
        return Balance(sum(s.stake.rao for s in chain.stakes_of(coldkey) if s.hotkey == hk and s.netuid == netuid))

    if op == "remove":
        value = unstake_amount(held(), value, whole, what)
    build = chain.calls.add_stake if op == "add" else chain.calls.remove_stake
    confirm_send(chain, coldkey, build(hk, netuid, value),
                 f"{'Stake' if op == 'add' else 'Unstake'} {'all ' if whole else ''}{value} "
                 f"{'to' if op == 'add' else 'from'} {hk} on subnet {netuid}?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    if whole:  # right before signing: the position may have grown (emission) since it was shown
        value = unstake_amount(held(), None, True, what)
    result = submit(chain, kp, build(hk, netuid, value), f"{op}_stake", dry_run, wait_for)
    event = result.event("StakeAdded" if op == "add" else "StakeRemoved") or {}
    moved = Balance(int(event["tao"])) if "tao" in event else value  # the TAO the chain took or paid out
    now = held()
    env().result({"op": op, "hotkey": hk, "netuid": netuid, "amount": moved, "alpha": event.get("alpha"),
                  "stake_now": now, "block": result.block},
                 lambda out: out.print(f"{'staked' if op == 'add' else 'unstaked'} {moved}; stake on {hk} in subnet "
                                       f"{netuid} is now {now}", markup=False))


@app.command()
def add(netuid: int = Netuid, amount: str = typer.Option(..., "--amount", "-a", help="TAO."),
        wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
        hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
        password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
        dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Stake TAO from the coldkey to a hotkey on a subnet."""
    _move("add", netuid, amount, wallet_path, wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run,
          wait_for)


@app.command()
def remove(netuid: int = Netuid,
           amount: Optional[str] = typer.Option(None, "--amount", "-a", help="TAO (or --all)."),
           all_: bool = typer.Option(False, "--all", help="Unstake the whole position, whatever its size."),
           wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
           password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
           dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Unstake TAO back to the coldkey; a partial unstake may not leave less than the minimum stake."""
    _move("remove", netuid, amount, wallet_path, wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run,
          wait_for, all_)


@app.command("list")
def list_(wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
          ss58: Optional[str] = typer.Option(None, "--ss58", help="Any coldkey address."),
          network: Optional[str] = Network) -> None:
    """Stakes held by the wallet's coldkey."""
    coldkey = address(ss58, "--ss58") if ss58 else open_wallet(wallet_path, wallet_name).coldkeypub().ss58_address
    stakes = client(network).stakes_of(coldkey)
    from btkit.units import Balance

    def human(out) -> None:
        from btkit.tables import Column, print_table, tao

        if not stakes:
            out.print(f"no stakes for {coldkey}", markup=False)
            return
        print_table(out, [Column("netuid", "net", align="right"), Column("stake", align="right"),
                          Column("hotkey", kind="address")],
                    [[str(s.netuid), tao(s.stake), s.hotkey] for s in stakes])

    env().result({"coldkey": coldkey, "stakes": [s.to_json() for s in stakes],
                  "total": Balance(sum(s.stake.rao for s in stakes))}, human)


@app.command("set-take")
def set_take(take: float = typer.Option(..., "--take", help="Delegate take in percent (0-18)."),
             wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
             hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
             network: Optional[str] = Network, dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Raise or lower the take of the wallet's hotkey as a delegate."""
    if not 0 <= take <= 18:
        raise UsageError("--take is a percentage between 0 and 18")
    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey)
    chain = client(network)
    current = chain.hotkey_info(hk).take
    new = round(take / 100 * 65535)
    if new == current:
        env().result({"hotkey": hk, "take": new, "changed": False}, lambda out: out.print("take unchanged"))
        return
    kp = unlock_coldkey(wallet, password_file)
    take_call = chain.calls.set_take(hk, new, current)
    submit(chain, kp, take_call, take_call.function, dry_run, wait_for)
    env().result({"hotkey": hk, "take": new, "previous": current, "changed": True},
                 lambda out: out.print(f"take of {hk}: {current / 655.35:.2f}% -> {new / 655.35:.2f}%", markup=False))
