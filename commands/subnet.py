"""`btkit subnet ...`: create, inspect and tune subnets."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from btkit.net.urls import host_port
from commands._common import (
    DryRun, Hotkey, Netuid, Network, PasswordFile, WaitFor, WalletName, WalletPath, client, confirm_quote, env,
    hotkey_address, hyperparameter_value, open_wallet, submit, unlock_coldkey,
)
from btkit.tables import Column
from commands._group import command_group
from commands._common import max_cost as parse_max_cost

app = command_group('Create, inspect and tune subnets.', [
    'btkit subnet create -w owner -y',
    'btkit subnet metagraph --netuid 1',
    'btkit subnet set tempo 50 --netuid 1 -w owner',
])


@app.command()
def create(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    no_start: bool = typer.Option(False, "--no-start", help="Do not call start_call (emission and staking stay off)."),
    max_cost: Optional[str] = typer.Option(None, "--max-cost", help="Refuse if the lock cost exceeds this (TAO)."),
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Create a subnet owned by the wallet's coldkey; the wallet's hotkey becomes uid 0."""
    from btkit.chain.preflight import check_free_balance
    from btkit.quotes import Quote

    wallet = open_wallet(wallet_path, wallet_name)
    owner_hotkey = hotkey_address(wallet, hotkey)
    chain = client(network)
    quote = Quote("the lock cost", chain.lock_cost, parse_max_cost(max_cost))
    create_call = chain.calls.register_network(owner_hotkey)
    check_free_balance(chain, wallet.coldkeypub().ss58_address, quote.amount, "creating a subnet (the lock cost)",
                       create_call)
    confirm_quote(quote, chain, wallet.coldkeypub().ss58_address, create_call,
                  f"Create a subnet for a lock cost of {quote.amount} (recycled)?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    quote.recheck()
    result = submit(chain, kp, create_call, "register_network", dry_run, wait_for)
    netuid = result.event("NetworkAdded")["netuid"]
    started = False
    if not no_start:
        start = chain.calls.start_call(netuid)
        if start is not None:  # None: this runtime starts subnets at creation
            submit(chain, kp, start, "start_call", wait=wait_for)
        started = True
    cost = quote.settle(result.event("NetworkAdded"), "lock",
                        done=f"created subnet {netuid} in block #{result.block}{' and started it' if started else ''}")
    data = {"netuid": netuid, "owner_coldkey": kp.ss58_address, "owner_hotkey": owner_hotkey, "lock_cost": cost,
            "started": started, "block": result.block}
    env().result(data, lambda out: out.print(
        f"created subnet {netuid} (lock {cost}){' and started it' if started else ''}", markup=False))


SUBNET_COLUMNS = [Column("netuid", "net", align="right"), Column("n", align="right", drop=3),
                  Column("price", align="right"), Column("TAO in", align="right"),
                  Column("alpha in", "α in", align="right", drop=4), Column("emission/block", "emis", align="right"),
                  Column("tempo", align="right", drop=5), Column("burn", align="right", drop=6),
                  Column("stake", align="right", drop=7), Column("started", drop=1),
                  Column("owner", kind="address", drop=2)]


def _sym(subnet) -> str:
    """A subnet's stake is its alpha; root's (netuid 0) is TAO."""
    return "α" if subnet.netuid else "τ"


@app.command("list")
def list_(network: Optional[str] = Network) -> None:
    """All subnets: price, TAO and alpha in the pool, emission per block."""
    subnets = client(network).subnets()

    def human(out) -> None:
        from btkit.tables import print_table, tao
        from btkit.units import price_str

        if not subnets:
            out.line("no subnets yet: create one with `btkit subnet create`")
            return
        print_table(out, SUBNET_COLUMNS, [
            [str(s.netuid), f"{s.n}/{s.max_n}", price_str(s.pool.price) if s.pool else "-",
             tao(s.pool.tao_in) if s.pool else "-", tao(s.pool.alpha_in, symbol=_sym(s)) if s.pool else "-",
             tao(s.pool.emission_tao) if s.pool else "-", str(s.tempo), tao(s.burn), tao(s.total_stake, symbol=_sym(s)),
             "yes" if s.started else "no", s.owner_coldkey] for s in subnets])

    env().result({"subnets": [s.to_json() for s in subnets]}, human)


@app.command()
def show(netuid: int = Netuid, network: Optional[str] = Network) -> None:
    """One subnet's info, with its pool (price, TAO and alpha in it, emission per block)."""
    from btkit.units import price_str

    subnet = client(network).subnet_info(netuid)
    info = subnet.to_json()

    def human(out) -> None:
        for k, v in info.items():
            if k != "pool":
                out.print(f"{k:<18} {v}", markup=False)
        p = subnet.pool
        if p is not None:
            for k, v in (("price", price_str(p.price)), ("moving price", price_str(p.moving_price)),
                         ("TAO in pool", p.tao_in), ("alpha in pool", p.alpha_in), ("alpha outside", p.alpha_out),
                         ("emission/block", f"{p.emission_tao} + {p.emission_alpha}"),
                         ("pending alpha", p.pending_alpha), ("swap fee", f"{p.fee_rate / 65535:.3%}")):
                out.print(f"{k:<18} {v}", markup=False)

    env().result(info, human)


@app.command()
def hyperparameters(netuid: int = Netuid, network: Optional[str] = Network) -> None:
    """A subnet's hyperparameters."""
    hp = client(network).hyperparameters(netuid).to_json()
    env().result({"netuid": netuid, "hyperparameters": hp},
                 lambda out: [out.print(f"{k:<32} {v}", markup=False) for k, v in hp.items()])


@app.command("set")
def set_(
    name: Optional[str] = typer.Argument(None, help="Hyperparameter name (see `subnet hyperparameters`)."),
    value: Optional[str] = typer.Argument(None, help="New value: an integer, or true/false."),
    netuid: int = Netuid,
    param: Optional[str] = typer.Option(None, "--param", help="btcli's spelling of NAME (sudo set --param X)."),
    param_value: Optional[str] = typer.Option(None, "--value", help="btcli's spelling of VALUE."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Set a hyperparameter (subnet owner or sudo): NAME VALUE, or --param NAME --value VALUE."""
    if (name and param) or (value is not None and param_value is not None):
        raise UsageError("give the hyperparameter as NAME VALUE or as --param NAME --value VALUE, not both")
    name, value = name or param, value if value is not None else param_value
    if not name or value is None:
        raise UsageError("missing the hyperparameter or its value", hint="btkit subnet set tempo 50 --netuid 1")

    chain = client(network)
    current = chain.hyperparameters(netuid).to_json()
    parsed = hyperparameter_value(current, name, value)
    kp = unlock_coldkey(open_wallet(wallet_path, wallet_name), password_file)
    result = submit(chain, kp, chain.calls.set_hyperparameter(netuid, name, parsed), f"set {name}", dry_run, wait_for)
    env().result({"netuid": netuid, "name": name, "value": parsed, "previous": current[name], "block": result.block},
                 lambda out: out.print(f"{name}: {current[name]} -> {parsed} on subnet {netuid}", markup=False))


@app.command("burn-cost")
def burn_cost(netuid: Optional[int] = typer.Option(
        None, "--netuid", min=0, max=65535,
        help="Subnet id: its neuron registration burn [none: the subnet creation cost, as btcli]."),
        network: Optional[str] = Network) -> None:
    """What registering a neuron by burn costs now (--netuid N); without --netuid, what creating a subnet
    locks, as btcli's `subnets burn-cost` shows."""
    chain = client(network)
    if netuid is None:
        cost = chain.lock_cost()
        env().result({"lock_cost": cost}, lambda out: out.print(
            f"creating a subnet locks {cost} now (a neuron's registration burn: add --netuid N)", markup=False))
        return
    cost = chain.burn_cost(netuid)
    env().result({"netuid": netuid, "burn": cost}, lambda out: out.print(str(cost)))


@app.command("create-cost")
def create_cost(network: Optional[str] = Network) -> None:
    """What creating a subnet locks now."""
    cost = client(network).lock_cost()
    env().result({"lock_cost": cost}, lambda out: out.print(str(cost)))


METAGRAPH_COLUMNS = [
    Column("uid", align="right"), Column("stake", align="right"), Column("incentive", "incent", align="right"),
    Column("dividends", "divs", align="right"), Column("emission", "emiss", align="right"),
    Column("consensus", "cons", align="right", drop=3), Column("trust", align="right", drop=4),
    Column("vtrust", align="right", drop=5), Column("rank", align="right", drop=7),
    Column("permit", "P", drop=2), Column("updated", "upd", align="right", drop=6),
    Column("axon", drop=8), Column("hotkey", kind="address", drop=1),
]


@app.command()
def metagraph(netuid: int = Netuid, network: Optional[str] = Network) -> None:
    """Every uid of a subnet: stake, consensus outputs, axon (a validator's gateway shows as `gateway IP:PORT`)."""
    chain = client(network)
    mg = chain.metagraph(netuid)

    def human(out) -> None:
        from btkit.tables import print_lines, print_table, tao, u16

        rows = []
        for nn in mg.neurons:
            axon = (("gateway " if nn.axon.gateway else "") + host_port(nn.axon.ip, nn.axon.port)) if nn.axon else "-"
            rows.append([str(nn.uid), tao(nn.stake), u16(nn.incentive), u16(nn.dividends), tao(nn.emission),
                         u16(nn.consensus), u16(nn.trust), u16(nn.vtrust), u16(nn.rank),
                         "*" if nn.validator_permit else "", str(nn.last_update), axon, nn.hotkey])
        print_table(out, METAGRAPH_COLUMNS, rows, title=f"subnet {netuid} at block {mg.block}")
        note = _first_epoch_note(chain, mg)
        if note:
            print_lines(out, [note])

    env().result(mg.to_json(), human)


EPOCH_COLUMNS = [Column("uid", align="right"), Column("stake", align="right"),
                 Column("consensus", "cons", align="right"), Column("incentive", "incent", align="right"),
                 Column("dividends", "divs", align="right"), Column("emission", "emiss", align="right")]


def _first_epoch_note(chain, mg) -> str:
    """For uids registered since the last epoch: when the next epoch fills their numbers (block, seconds)."""
    schedule = chain.next_epoch(mg.netuid)
    if schedule.next_epoch_block is None:
        return ""
    previous = schedule.next_epoch_block - (schedule.tempo + 1)
    fresh = [nn.uid for nn in mg.neurons if nn.registered_at >= previous]
    if not fresh:
        return ""
    info = chain.node_info()
    blocks = schedule.next_epoch_block - schedule.head
    when = (f" (in ~{blocks * info.block_time:.1f} s)" if info.mining in (None, "interval") and info.block_time
            else f" ({blocks} blocks from now)")
    who = f"uid {fresh[0]}" if len(fresh) == 1 else f"uids {', '.join(map(str, fresh))}"
    return (f"{who} registered since the last epoch: incentive, dividends, trust and emission stay 0 until the "
            f"epoch at block {schedule.next_epoch_block}{when}")


@app.command()
def epoch(netuid: int = Netuid, network: Optional[str] = Network) -> None:
    """Explain the subnet's last epoch: weights, consensus, who earned what, and why not."""
    from btkit.chain import weights_to_json

    chain = client(network)
    record = chain.last_epoch(netuid)
    nxt = chain.next_epoch(netuid).to_json()
    if record is None:
        why = (f"no epoch yet on subnet {netuid}; the next is at block {nxt['next_epoch_block']}"
               if nxt["next_epoch_block"] is not None else
               f"subnet {netuid} runs no epoch" + (" (the root network: under dynamic TAO its stakers earn root "
                                                   "dividends from each subnet's epoch)" if netuid == 0 else
                                                   " (tempo 0)"))
        env().result({"netuid": netuid, "last_epoch": None, **nxt}, lambda out: out.print(why, markup=False))
        return
    weights = chain.weights(netuid)
    data = {"netuid": netuid, "last_epoch": record, "weights": weights_to_json(weights), **nxt}

    def human(out) -> None:
        from btkit.tables import SYMBOLS, print_lines, print_table, tao, u16

        sym = SYMBOLS[record.get("unit", "tao")]
        amount = lambda rao: tao(rao, symbol=sym)  # noqa: E731
        print_lines(out, [f"epoch at block {record['block']}: {amount(record['rao_emission'])} to miners and "
                          f"validators, {amount(record['owner_cut'])} owner cut, {amount(record['recycled'])} "
                          f"recycled; next epoch at block {nxt['next_epoch_block']}"])
        rows = {uid: row for uid, row in weights.items() if row}
        if rows:
            out.line("\nweights (validator uid -> uid:weight)")
            print_lines(out, [f"{uid:>4} -> " + ", ".join(f"{j}:{w / 65535:.3f}" for j, w in row)
                              for uid, row in sorted(rows.items())], indent="  ", hang=10)
        out.line()
        print_table(out, EPOCH_COLUMNS, [
            [str(r["uid"]), amount(r["stake"]), u16(r["consensus"]), u16(r["incentive"]), u16(r["dividends"]),
             amount(r["emission"])] for r in record["explain"]])
        why = [f"uid {r['uid']:>4}: " + "; ".join(r["reasons"]) for r in record["explain"] if r["reasons"]]
        if why:
            out.line("\nwhy nothing")
            print_lines(out, why, indent="  ", hang=12)

    env().result(data, human)
