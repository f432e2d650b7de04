"""`btkit register`: put a hotkey on a subnet by recycling the burn."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from commands._common import (
    DryRun, Hotkey, Netuid, Network, PasswordFile, PowDevice, PowProcesses, PowTimeout, WaitFor, WalletName, WalletPath,
    client, confirm_quote, env, hotkey_address, open_wallet, pow_submit, submit, unlock_coldkey, unlock_hotkey,
)
from commands._group import command_group, examples_epilog
from commands._common import max_cost as parse_max_cost

app = command_group('Register a hotkey on a subnet.')


@app.command(epilog=examples_epilog(['btkit register --netuid 1 -w alice -H miner1', 'btkit register --netuid 1 -w alice -H miner2 --pow', 'btkit subnets register --netuid 1 --max-cost 1.5']))
def register(
    netuid: int = Netuid,
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    max_cost: Optional[str] = typer.Option(None, "--max-cost", help="Refuse if the burn exceeds this (TAO)."),
    pow_: bool = typer.Option(False, "--pow", help="Register by proof of work (free) instead of the burn."),
    processes: Optional[int] = PowProcesses, device: str = PowDevice, timeout: float = PowTimeout,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Register the wallet's hotkey on --netuid: pay the subnet's burn from the coldkey, or --pow."""
    from btkit.chain.preflight import check_registration
    from btkit.quotes import Quote

    wallet = open_wallet(wallet_path, wallet_name)
    hk = hotkey_address(wallet, hotkey)
    chain = client(network)
    if pow_:
        _register_pow(chain, wallet, hotkey, netuid, processes, device, timeout, password_file, dry_run, wait_for)
        return
    coldkey = wallet.coldkeypub().ss58_address
    quote = Quote(f"the burn of subnet {netuid}", lambda: chain.burn_cost(netuid), parse_max_cost(max_cost))
    check_registration(chain, netuid, hk, coldkey, pow_=False, burn=quote.amount)
    register_call = chain.calls.burned_register(netuid, hk)
    confirm_quote(quote, chain, coldkey, register_call,
                  f"Register {hk} on subnet {netuid} for {quote.amount} (recycled)?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    quote.recheck()
    result = submit(chain, kp, register_call, "burned_register", dry_run, wait_for)
    uid = result.event("NeuronRegistered")["uid"]
    cost = quote.settle(result.event("NeuronRegistered"), "burn",
                        done=f"registered {hk} as uid {uid} on subnet {netuid} in block #{result.block}")
    env().result({"netuid": netuid, "uid": uid, "hotkey": hk, "cost": cost, "block": result.block},
                 lambda out: out.print(f"registered {hk} as uid {uid} on subnet {netuid} for {cost}", markup=False))


def _register_pow(chain, wallet, hotkey, netuid: int, processes, device: str, timeout: float, password_file,
                  dry_run: bool, wait_for: str) -> None:
    from btkit.chain.preflight import check_registration

    hot = unlock_hotkey(wallet, hotkey, password_file)
    cold = wallet.coldkeypub()
    check_registration(chain, netuid, hot.ss58_address, cold.ss58_address, pow_=True)  # before hours of work

    def difficulty() -> int:
        return chain.pow_difficulty(netuid)

    def prefix_for(block_hash: bytes) -> bytes:
        return chain.pow_prefix(netuid, block_hash, hot.public_key, cold.public_key)

    result, solution, solver_name = pow_submit(
        chain, hot, prefix_for, difficulty,
        lambda sol: chain.calls.register(netuid, sol.work_block, sol.nonce, sol.work, hot.ss58_address,
                                         cold.ss58_address),
        "register", device, processes, timeout, dry_run, wait_for)
    uid = result.event("NeuronRegistered")["uid"]
    data = {"netuid": netuid, "uid": uid, "hotkey": hot.ss58_address, "coldkey": cold.ss58_address,
            "method": "pow", "nonce": solution.nonce, "work_block": solution.work_block,
            "difficulty": solution.difficulty, "attempts": solution.attempts, "seconds": round(solution.seconds, 3),
            "hashrate": round(solution.hashrate), "refreshes": solution.refreshes, "solver": solver_name,
            "block": result.block}
    env().result(data, lambda out: out.print(
        f"registered {hot.ss58_address} as uid {uid} on subnet {netuid} by proof of work "
        f"({solution.attempts:,} hashes in {solution.seconds:.1f} s, {solution.hashrate / 1e6:.2f} MH/s)",
        markup=False))
