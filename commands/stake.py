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

app = command_group("Stake, unstake, move and list stakes (alpha, through each subnet's pool); set a delegate's take.", [
    'btkit stake add --netuid 1 --amount 100 --tolerance 0.01 --partial -w owner',
    'btkit stake swap --origin-netuid 1 --dest-netuid 2 --amount 5',
    'btkit stake list -w owner',
])
HotkeySS58 = typer.Option(None, "--hotkey-ss58", "--delegate", help="Stake to this hotkey address instead (nominate).")
Tolerance = typer.Option(0.005, "--tolerance", "--rate-tolerance", min=0.0,
                         help="Largest price move accepted, as a fraction (0.005 = 0.5%): the limit price.")
Partial = typer.Option(False, "--partial", "--allow-partial", "--allow-partial-stake",
                       help="Fill what fits within the limit price instead of failing.")
Unsafe = typer.Option(False, "--unsafe", help="No limit price: take any price.")


def _quote_text(q, tolerance: float | None, partial: bool, limit: int | None) -> str:
    from btkit.units import Alpha, Balance, price_str

    got = Alpha(q.received) if q.adding else Balance(q.received)
    fee = Balance(q.fee) if q.adding else Alpha(q.fee)
    text = (f"receive ~{got} at {price_str(q.price_before)} -> {price_str(q.price_after)} "
            f"(price impact {q.price_impact:+.3%}, slippage {q.slippage:.3%}, fee {fee})")
    if limit is not None:
        text += f"; limit {price_str(limit)} (tolerance {tolerance:.2%}, partial fills {'on' if partial else 'off'})"
        if q.max_at_limit is not None and q.max_at_limit < q.amount:
            most = Balance(q.max_at_limit) if q.adding else Alpha(q.max_at_limit)
            text += f"; only {most} fills within it" + ("" if partial else ": the call would fail SlippageTooHigh")
    return text


def _stake_op(adding: bool, netuid: int, amount: Optional[str], tolerance: float, partial: bool, unsafe: bool,
              wallet_path, wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run: bool, wait_for: str,
              whole: bool = False) -> None:
    from btkit.chain import Unsupported
    from btkit.chain.preflight import check_free_balance, check_hotkey_exists, check_subnet, position
    from btkit.stakes import unstake_amount
    from btkit.units import Alpha, Balance

    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey, hotkey_ss58)
    if whole and amount is not None:
        raise UsageError("give --amount or --all, not both")
    if amount is None and not whole:
        raise UsageError("--amount is required" if adding else "give --amount, or --all to unstake the whole position")
    unit = Alpha if netuid else Balance
    value = (Balance.from_tao(amount) if adding else unit(Alpha.from_alpha(amount).rao)) if amount is not None else None
    if value is not None and value.rao <= 0:
        raise UsageError("--amount must be positive")
    chain = client(network)
    check_subnet(chain, netuid)
    coldkey = wallet.coldkeypub().ss58_address

    def held():
        return position(chain, coldkey, hk, netuid)

    if adding:  # before quoting, in validate_add_stake's order (stake_utils.rs): the balance, then the hotkey
        check_free_balance(chain, coldkey, value, "the stake", chain.calls.add_stake(hk, netuid, value))
        check_hotkey_exists(chain, hk)
    else:
        value = unit(unstake_amount(held(), value, whole, f"{hk} in subnet {netuid}").rao)
    try:
        q = chain.quote_stake(netuid, value, adding)
    except Unsupported:  # a chain without pools: plain 1:1 staking
        q = None
    limit = None
    if q is not None and not unsafe:
        factor = 1 + tolerance if adding else 1 - tolerance
        limit = max(int(q.price_before * factor), 0)
        q = chain.quote_stake(netuid, value, adding, limit)
        if not partial and q.max_at_limit is not None and q.max_at_limit < value.rao:
            most = Balance(q.max_at_limit) if adding else Alpha(q.max_at_limit)
            raise UsageError(f"only {most} of {value} fills within the limit price ({tolerance:.2%} from "
                             f"{Balance(q.price_before)}/α); the call would fail SlippageTooHigh",
                             hint="raise --tolerance, pass --partial to fill what fits, or --unsafe for any price")
    if limit is None:
        c = chain.calls.add_stake(hk, netuid, value) if adding else chain.calls.remove_stake(hk, netuid, value)
    elif adding:
        c = chain.calls.add_stake_limit(hk, netuid, value, limit, partial)
    else:
        c = chain.calls.remove_stake_limit(hk, netuid, value, limit, partial)
    verb = f"Stake {value} to" if adding else f"Unstake {'all ' if whole else ''}{value} from"
    confirm_send(chain, coldkey, c,
                 f"{verb} {hk} on subnet {netuid}" + (f": {_quote_text(q, tolerance, partial, limit)}" if q else "")
                 + "?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    if whole:  # right before signing: the position may have grown (emission) since it was shown
        value = unit(unstake_amount(held(), None, True, f"{hk} in subnet {netuid}").rao)
        c = chain.calls.remove_stake(hk, netuid, value) if limit is None else \
            chain.calls.remove_stake_limit(hk, netuid, value, limit, partial)
    result = submit(chain, kp, c, c.function, dry_run, wait_for)
    event = result.event("StakeAdded" if adding else "StakeRemoved") or {}
    now = held().rao
    tao_moved = Balance(int(event["tao"])) if "tao" in event else value  # the TAO the chain took or paid out
    data = {"op": "add" if adding else "remove", "hotkey": hk, "netuid": netuid, "amount": tao_moved,
            "requested": value, "quote": q.to_json() if q else None, "limit_price": limit,
            "tolerance": None if limit is None else tolerance, "partial": partial, "tao": tao_moved,
            "alpha": unit(event.get("alpha", 0)), "fee": (Balance if adding else unit)(event.get("fee", 0)),
            "price_after": event.get("price"),
            "stake_now": unit(now), "block": result.block}

    def human(out) -> None:
        moved = (f"staked {data['tao']} for {data['alpha']}" if adding
                 else f"unstaked {data['alpha']} for {data['tao']}")
        out.print(f"{moved}; stake on {hk} in subnet {netuid} is now {unit(now)}", markup=False)

    env().result(data, human)


@app.command()
def add(netuid: int = Netuid, amount: str = typer.Option(..., "--amount", "-a", help="TAO to stake."),
        tolerance: float = Tolerance, partial: bool = Partial, unsafe: bool = Unsafe,
        wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
        hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
        password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
        dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Stake TAO to a hotkey on a subnet: it buys the subnet's alpha at the pool (quoted first)."""
    _stake_op(True, netuid, amount, tolerance, partial, unsafe, wallet_path, wallet_name, hotkey, hotkey_ss58,
              password_file, network, dry_run, wait_for)


@app.command()
def remove(netuid: int = Netuid,
           amount: Optional[str] = typer.Option(None, "--amount", "-a", help="Alpha to unstake (or --all)."),
           all_: bool = typer.Option(False, "--all", help="Unstake the whole position, whatever its size."),
           tolerance: float = Tolerance, partial: bool = Partial, unsafe: bool = Unsafe,
           wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
           password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
           dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Unstake alpha from a hotkey on a subnet: it sells at the pool for TAO (quoted first); a partial
    unstake may not leave less than the minimum stake."""
    _stake_op(False, netuid, amount, tolerance, partial, unsafe, wallet_path, wallet_name, hotkey, hotkey_ss58,
              password_file, network, dry_run, wait_for, all_)


def _transition(kind: str, origin_netuid: int, dest_netuid: int, amount: str, dest: Optional[str], wallet_path,
                wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run: bool, wait_for: str,
                tolerance: float | None = None, partial: bool = False) -> None:
    """move (another hotkey), transfer (another coldkey) or swap (another subnet) of alpha."""
    from btkit.chain import Unsupported
    from btkit.chain.preflight import check_hotkey_exists, check_position, check_subnet
    from btkit.units import Alpha, Balance

    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey, hotkey_ss58)
    value = Alpha.from_alpha(amount)
    if value.rao <= 0:
        raise UsageError("--amount must be positive")
    target = address(dest, "--dest") if dest else None
    chain = client(network)
    for netuid in dict.fromkeys((origin_netuid, dest_netuid)):
        check_subnet(chain, netuid)
    coldkey = wallet.coldkeypub().ss58_address
    check_position(chain, coldkey, hk, origin_netuid, value)  # the chain would move all there is instead
    if kind == "move" and target:
        check_hotkey_exists(chain, target)
    estimate, q, limit = "", None, None
    if origin_netuid != dest_netuid:
        try:
            q = chain.quote_swap(origin_netuid, dest_netuid, value)
        except Unsupported:  # e.g. the subtensor backend: sent unquoted, and said so (also under -y)
            estimate = f": unquoted, this {chain.kind} node gives no swap quote" + \
                (" (so no limit price: --tolerance is not applied)" if kind == "swap" and tolerance is not None
                 else "")
            env().info(f"note{estimate[1:]}")
    if kind == "swap" and tolerance is not None and q is not None:  # a limit on the ratio origin / destination
        limit = int(q.ratio_before * (1 - tolerance))
        q = chain.quote_swap(origin_netuid, dest_netuid, value, limit)
        if not partial and q.max_at_limit is not None and q.max_at_limit < value.rao:
            raise UsageError(f"only {(Alpha if origin_netuid else Balance)(q.max_at_limit)} of {value} moves within the limit ratio ({tolerance:.2%} "
                             f"under {q.ratio_before / 1e9:.6f}); the call would fail SlippageTooHigh",
                             hint="raise --tolerance, pass --partial to move what fits, or --unsafe for any price")
    if q is not None:
        unit = Alpha if dest_netuid else Balance
        estimate = (f": ~{Balance(q.sold.received)} from subnet {origin_netuid}, buying ~{unit(q.bought.received)} "
                    f"on subnet {dest_netuid} (price impacts {q.sold.price_impact:+.3%} / "
                    f"{q.bought.price_impact:+.3%})")
        if limit is not None:
            estimate += (f"; limit ratio {limit / 1e9:.6f} (tolerance {tolerance:.2%}, partial fills "
                         f"{'on' if partial else 'off'})")
    where = f"subnet {origin_netuid}" + (f" -> {dest_netuid}" if dest_netuid != origin_netuid else "")
    who = {"move": f"hotkey {hk} -> {target}", "transfer": f"coldkey -> {target} (hotkey {hk})",
           "swap": f"hotkey {hk}"}[kind]
    if kind == "move":
        c = chain.calls.move_stake(hk, target, origin_netuid, dest_netuid, value)
    elif kind == "transfer":
        c = chain.calls.transfer_stake(target, hk, origin_netuid, dest_netuid, value)
    elif limit is not None:
        c = chain.calls.swap_stake_limit(hk, origin_netuid, dest_netuid, value, limit, partial)
    else:
        c = chain.calls.swap_stake(hk, origin_netuid, dest_netuid, value)
    confirm_send(chain, coldkey, c, f"{kind.capitalize()} {value} ({who}, {where}){estimate}?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    result = submit(chain, kp, c, c.function, dry_run, wait_for)
    event = result.event({"move": "StakeMoved", "transfer": "StakeTransferred", "swap": "StakeSwapped"}[kind]) or {}
    added = result.event("StakeAdded") or {}
    data = {"op": kind, "hotkey": hk, "destination": target, "origin_netuid": origin_netuid,
            "dest_netuid": dest_netuid, "amount": value, "quote": q.to_json() if q else None, "limit_ratio": limit,
            "tao": Balance(event.get("tao", 0)),
            "received": (Alpha if dest_netuid else Balance)(added.get("alpha", value.rao)), "block": result.block}
    env().result(data, lambda out: out.print(f"{kind}: {value} -> {data['received']} ({where})", markup=False))


OriginNetuid = typer.Option(..., "--origin-netuid", help="Subnet the stake is in.")
DestNetuid = typer.Option(None, "--dest-netuid", help="Subnet it goes to (default: the same).")
AlphaAmount = typer.Option(..., "--amount", "-a", help="Alpha to move.")


@app.command()
def move(origin_netuid: int = OriginNetuid, dest_netuid: Optional[int] = DestNetuid, amount: str = AlphaAmount,
         dest: str = typer.Option(..., "--dest", "--dest-hotkey", help="Destination hotkey address."),
         wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
         hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
         password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
         dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Move stake to another hotkey (and/or subnet: sold there, bought here)."""
    _transition("move", origin_netuid, origin_netuid if dest_netuid is None else dest_netuid, amount, dest,
                wallet_path, wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run, wait_for)


@app.command()
def transfer(origin_netuid: int = OriginNetuid, dest_netuid: Optional[int] = DestNetuid, amount: str = AlphaAmount,
             dest: str = typer.Option(..., "--dest", "--dest-coldkey", help="Destination coldkey address."),
             wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
             hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
             password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
             dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Give stake to another coldkey (same hotkey; optionally into another subnet)."""
    _transition("transfer", origin_netuid, origin_netuid if dest_netuid is None else dest_netuid, amount, dest,
                wallet_path, wallet_name, hotkey, hotkey_ss58, password_file, network, dry_run, wait_for)


@app.command()
def swap(origin_netuid: int = OriginNetuid, dest_netuid: int = typer.Option(..., "--dest-netuid",
                                                                            help="Subnet it goes to."),
         amount: str = AlphaAmount, tolerance: float = Tolerance, partial: bool = Partial, unsafe: bool = Unsafe,
         wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
         hotkey: Optional[str] = Hotkey, hotkey_ss58: Optional[str] = HotkeySS58,
         password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
         dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Swap stake from one subnet to another (same hotkey): sold on one pool, bought on the other."""
    _transition("swap", origin_netuid, dest_netuid, amount, None, wallet_path, wallet_name, hotkey, hotkey_ss58,
                password_file, network, dry_run, wait_for, None if unsafe else tolerance, partial)


@app.command("list")
def list_(wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
          ss58: Optional[str] = typer.Option(None, "--ss58", help="Any coldkey address."),
          network: Optional[str] = Network) -> None:
    """Stakes held by the wallet's coldkey: alpha per subnet, with its TAO value at the pool price."""
    coldkey = address(ss58, "--ss58") if ss58 else open_wallet(wallet_path, wallet_name).coldkeypub().ss58_address
    stakes = client(network).stakes_of(coldkey)
    from btkit.units import Balance

    value = Balance(sum((s.tao_value if s.tao_value is not None else s.stake).rao for s in stakes))

    def human(out) -> None:
        from btkit.tables import Column, print_table, tao
        from btkit.units import price_str

        if not stakes:
            out.print(f"no stakes for {coldkey}", markup=False)
            return
        print_table(out, [Column("netuid", "net", align="right"), Column("stake", align="right"),
                          Column("price", align="right", drop=2), Column("TAO value", "value", align="right"),
                          Column("hotkey", kind="address", drop=1)],
                    [[str(s.netuid), tao(s.stake, symbol="α" if s.netuid else "τ"),
                      price_str(s.price) if s.price is not None else "-",
                      tao(s.tao_value if s.tao_value is not None else s.stake), s.hotkey] for s in stakes])
        out.print(f"total TAO value {tao(value)}", markup=False)

    env().result({"coldkey": coldkey, "stakes": [s.to_json() for s in stakes], "total_tao_value": value}, human)


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
