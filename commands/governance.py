"""`btkit governance ...`: the triumvirate proposes, the senate votes, the sudo key closes.

btcli's names work too: `sudo senate`, `sudo proposals`, `sudo senate-vote` (commands/aliases.py).
Flow and names: subtensor f5e11478a^ (docs/governance.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import (
    DryRun, Hotkey, Network, PasswordFile, WaitFor, WalletName, WalletPath, client, confirm_send, env,
    hotkey_address, hyperparameter_value, open_wallet, submit, unlock_coldkey,
)
from commands._group import command_group

app = command_group("Propose changes, vote on them as a senator, close them (triumvirate and senate).", [
    "btkit governance propose --netuid 1 --param tempo --value 50 -w alice",
    "btkit governance vote 0x1234abcd --aye -w owner -H senator",
    "btkit governance close 0x1234abcd -w alice",
])
ProposalRef = typer.Argument(None, help="The proposal: its hash (or its first 6+ hex digits) or its index.")
ProposalOpt = typer.Option(None, "--proposal", "--proposal-hash", help="btcli's spelling of PROPOSAL.")


def _ref(proposal: Optional[str], option: Optional[str]) -> str:
    if proposal and option and proposal != option:
        raise UsageError("give the proposal once: PROPOSAL or --proposal")
    ref = proposal or option
    if not ref:
        raise UsageError("which proposal? give its hash or index", hint="see `btkit governance list`")
    return ref


def _args(call) -> str:
    return ", ".join(f"{k}={v}" for k, v in call.args.items())


def _proposal_line(p) -> str:
    call = "?" if p.call is None else f"{p.call.name}({_args(p.call)})"
    return (f"#{p.index} {p.hash}\n  call      {call}\n  votes     {len(p.ayes)} aye, {len(p.nays)} nay "
            f"(threshold {p.threshold})\n  ends at   block {p.end}")


@app.command()
def propose(
    netuid: Optional[int] = typer.Option(None, "--netuid", help="With --param/--value: the subnet."),
    param: Optional[str] = typer.Option(None, "--param", help="A hyperparameter to set (`subnet hyperparameters`)."),
    value: Optional[str] = typer.Option(None, "--value", help="Its new value."),
    call: Optional[str] = typer.Option(None, "--call", help="Any call sudo could make, as Pallet.function."),
    args: str = typer.Option("{}", "--args", help="The call's arguments as a JSON object (wire values: rao, SS58)."),
    duration: Optional[int] = typer.Option(None, "--duration", help="Voting period, blocks [the motion duration]."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Propose a call (triumvirate): --netuid N --param NAME --value V, or --call Pallet.function --args JSON."""
    chain = client(network)
    if call and (param or value is not None):
        raise UsageError("propose either --call with --args or --param with --value, not both")
    if call:
        try:
            parsed = json.loads(args)
        except ValueError as exc:
            raise UsageError(f"--args is not JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise UsageError("--args takes a JSON object, e.g. '{\"netuid\": 1, \"value\": 50}'")
        inner = chain.calls.by_name(call, parsed)
    elif param and value is not None and netuid is not None:
        inner = chain.calls.set_hyperparameter(
            netuid, param, hyperparameter_value(chain.hyperparameters(netuid).to_json(), param, value))
    else:
        raise UsageError("what to propose? --netuid N --param NAME --value V, or --call Pallet.function --args JSON")
    gov = chain.governance()
    duration = gov.motion_duration if duration is None else duration
    length = chain.proposal_length(inner)
    kp = unlock_coldkey(open_wallet(wallet_path, wallet_name), password_file)
    motion = chain.calls.propose(inner, length, duration)
    confirm_send(chain, kp.ss58_address, motion, f"Propose {inner.name}({_args(inner)}) for {duration} blocks?", dry_run)
    result = submit(chain, kp, motion, "propose", dry_run, wait_for)
    ev = result.event("Proposed")
    data = {"hash": ev["proposal_hash"], "index": ev["proposal_index"], "threshold": ev["threshold"],
            "call": inner.to_json(), "duration": duration, "proposer": kp.ss58_address, "block": result.block}
    env().result(data, lambda out: out.line(
        f"proposed #{data['index']} {data['hash']} ({inner.name}); needs {data['threshold']} aye(s) within "
        f"{duration} blocks"))


@app.command()
def vote(
    proposal: Optional[str] = ProposalRef, proposal_opt: Optional[str] = ProposalOpt,
    aye: Optional[bool] = typer.Option(None, "--aye/--nay", help="Vote for (--aye) or against (--nay)."),
    hotkey: Optional[str] = Hotkey,
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Vote on a proposal with a senate hotkey (signed by its coldkey): PROPOSAL --aye or --nay."""
    if aye is None:
        raise UsageError("vote --aye or --nay")
    wallet = open_wallet(wallet_path, wallet_name)
    senator = hotkey_address(wallet, hotkey)
    chain = client(network)
    p = chain.governance().proposal(_ref(proposal, proposal_opt))
    kp = unlock_coldkey(wallet, password_file)
    ballot = chain.calls.senate_vote(senator, p.hash, p.index, aye)
    confirm_send(chain, kp.ss58_address, ballot, f"Vote {'aye' if aye else 'nay'} on #{p.index} {p.hash} as senator "
                 f"{senator}?", dry_run)
    result = submit(chain, kp, ballot, "vote", dry_run, wait_for)
    ev = result.event("Voted")
    data = {"hash": p.hash, "index": p.index, "hotkey": senator, "approve": aye, "yes": ev["yes"], "no": ev["no"],
            "block": result.block}
    env().result(data, lambda out: out.line(
        f"voted {'aye' if aye else 'nay'} on #{p.index} {p.hash}: {ev['yes']} aye, {ev['no']} nay"))


@app.command()
def close(
    proposal: Optional[str] = ProposalRef, proposal_opt: Optional[str] = ProposalOpt,
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Close a proposal (root origin: the sudo key): executes it if approved, else drops it."""
    chain = client(network)
    p = chain.governance().proposal(_ref(proposal, proposal_opt))
    kp = unlock_coldkey(open_wallet(wallet_path, wallet_name), password_file)
    closing = chain.calls.close(p.hash, p.index, p.length)
    confirm_send(chain, kp.ss58_address, closing, f"Close #{p.index} {p.hash} ({len(p.ayes)} aye, {len(p.nays)} nay)?",
                 dry_run)
    result = submit(chain, kp, closing, "close", dry_run, wait_for)
    closed = result.event("Closed")
    executed = next((e.data for e in result.events if (e.pallet, e.name) == ("Triumvirate", "Executed")), None)
    outcome = "approved" if executed is not None else "disapproved"
    execution = None if executed is None else executed.get("result")
    data = {"hash": p.hash, "index": p.index, "outcome": outcome, "yes": closed["yes"], "no": closed["no"],
            "result": execution, "call": None if p.call is None else p.call.to_json(), "block": result.block}
    env().result(data, lambda out: out.line(
        f"closed #{p.index} {p.hash}: {outcome} ({closed['yes']} aye, {closed['no']} nay)"
        + ("" if executed is None else f"; executed: {execution}")))


@app.command("list")
def list_(network: Optional[str] = Network) -> None:
    """Open proposals with their votes (btcli: sudo proposals)."""
    gov = client(network).governance()
    env().result({"proposals": [p.to_json() for p in gov.proposals], "senate_size": len(gov.senate),
                  "vote_weight": gov.vote_weight},
                 lambda out: out.line("\n".join(_proposal_line(p) for p in gov.proposals) or "no open proposals"))


@app.command()
def show(proposal: Optional[str] = ProposalRef, proposal_opt: Optional[str] = ProposalOpt,
         network: Optional[str] = Network) -> None:
    """One proposal: its call, who voted aye and nay, when voting ends."""
    p = client(network).governance().proposal(_ref(proposal, proposal_opt))
    env().result(p.to_json(), lambda out: out.line(
        _proposal_line(p) + "".join(f"\n  aye       {h}" for h in p.ayes)
        + "".join(f"\n  nay       {h}" for h in p.nays)))


@app.command()
def senate(network: Optional[str] = Network) -> None:
    """The triumvirate and the senate seats with their root stake (btcli: sudo senate)."""
    gov = client(network).governance()
    env().result(gov.to_json() | {"proposals": len(gov.proposals)}, lambda out: out.line(
        f"triumvirate  {', '.join(gov.triumvirate) or '-'}\n"
        f"senate       {len(gov.senate)}/{gov.max_members} seats, votes weighed by {gov.vote_weight}\n"
        + "\n".join(f"  {m.hotkey}  {m.stake}" for m in gov.senate)))
