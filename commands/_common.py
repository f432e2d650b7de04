"""Options and helpers shared by command modules (kept tiny: commands stay thin)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

import typer

from btkit import config
from btkit.output import Environment, get_env


def env() -> Environment:
    return get_env()


# btcli's other spellings (--wallet.name, --wallet_hotkey, ...) are mapped in commands/aliases.py
WalletPath = typer.Option(None, "--wallet-path", "-p", help="Wallets directory [config wallet.path].")
WalletName = typer.Option(None, "--wallet-name", "--name", "-w", help="Wallet name [config wallet.name].")
Hotkey = typer.Option(None, "--hotkey", "-H", help="Hotkey name [config wallet.hotkey].")
PasswordFile = typer.Option(
    None, "--password-file", help="Read the password from FILE ('-' = first line of stdin)."
)
Overwrite = typer.Option(False, "--overwrite", help="Replace existing keyfiles (the old keys are lost).")


@functools.lru_cache(maxsize=1)
def settings() -> config.Config:
    """The settings, read once per command (wallet, hotkey and network all consult them)."""
    return config.load()


def open_wallet(path: Optional[Path], name: Optional[str]):  # -> keystore.wallet.Wallet
    from keystore.wallet import Wallet

    cfg = settings()
    return Wallet(path or cfg.path_value("wallet.path"), name or cfg["wallet.name"])


def hotkey_name(hotkey: Optional[str]) -> str:
    return hotkey or settings()["wallet.hotkey"]


def password_source(password_file: Optional[str], new_env_var: bool = False):
    import os

    from keystore.passwords import ENV_PASSWORD, PasswordSource

    e = env()
    environ = dict(os.environ)
    if new_env_var:  # a new password comes from BTKIT_NEW_PASSWORD, never from the old one's vars
        environ = {ENV_PASSWORD: os.environ.get("BTKIT_NEW_PASSWORD", "")}
    return PasswordSource(password_file=password_file, interactive=not (e.json or e.no_prompt), env=environ)


Network = typer.Option(None, "--network", "--subtensor.network",
                       help="local, finney, test, archive, or a node URL: ws(s):// or http(s):// [config network].")


def client(network: Optional[str]):
    """The ``btkit.chain.Chain`` for --network (``local`` finds the default localnet's port);
    ``--verbose`` says which kind of node answers there."""
    from btkit.chain import open_endpoint, resolve
    from btkit.chain.network import detect

    endpoint = resolve(network, cfg=settings())
    if endpoint.kind == "auto":
        endpoint = detect(endpoint.url)
    if env().verbose:
        env().info(f"network: {endpoint.describe()}")
    return open_endpoint(endpoint)


def following_client(network: Optional[str]):
    """The chain for a long-running process: with ``--network local`` it follows the localnet across
    `localnet down`/`up` and `reset` (``btkit.chain.follow``)."""
    from btkit.chain.follow import connect_following

    return connect_following(network, cfg=settings())


def unlock_coldkey(wallet, password_file: Optional[str]):
    """Decrypt the coldkey once (one Argon2 derivation; a mistyped password may be typed again)."""
    source = password_source(password_file)
    return source.unlock(wallet.unlock_coldkey)


def confirm_or_abort(question: str) -> None:
    """Ask; a "no" raises ``Cancelled`` (exit 1), no terminal to ask on is a usage error (pass -y)."""
    from btkit.errors import Cancelled, UsageError

    e = env()
    if e.confirm(question, default=False):
        return
    if not e.interactive:
        raise UsageError("this needs confirmation and there is no terminal to ask on", hint="pass -y to confirm")
    raise Cancelled()


def _check_wait(value: str) -> str:
    if value not in ("inclusion", "finalization"):
        raise typer.BadParameter("takes inclusion or finalization")
    return value


DryRun = typer.Option(False, "--dry-run", help="Sign and show the call, signer and estimated fee; submit nothing.")
WaitFor = typer.Option("inclusion", "--wait-for", callback=_check_wait,
                       help="Return once the extrinsic is in a block (inclusion) or in a final one (finalization).")


def confirm_send(chain, signer: str, call, question: str, dry_run: bool = False) -> None:
    """Ask ``question`` with the network, the signer and the fee the node estimates. A dry run asks
    nothing (it sends nothing): ``question`` (the quote, where there is one) goes to stderr instead."""
    e = env()
    if dry_run:
        e.info(question.rstrip("?"))
        return
    if e.json or e.no_prompt:
        return  # -y and --json answer yes without asking
    fee = chain.estimate_fee(signer, call)
    confirm_or_abort(f"{question}\n  network {chain.url}  signer {signer}  fee {fee} (estimated)")


def submit(chain, keypair, call, what: str, dry_run: bool = False, wait: str = "inclusion"):
    """Submit a ``btkit.chain.Call``, wait for ``wait``, raise the dispatch error if the call failed.

    ``dry_run``: sign it, print the call, signer, fee and hash (one JSON document with --json) and
    end the command with exit 0; nothing is sent, the signer's nonce does not move.
    """
    if dry_run:
        result = chain.submit(keypair, call, dry_run=True)
        data = {"dry_run": True, "network": chain.url, "signer": keypair.ss58_address, "call": call.to_json(),
                "fee": result.fee, "hash": result.hash}
        env().result(data, lambda out: out.print(
            f"dry run (nothing submitted) on {chain.url}\n  call    {call.name}({_args(call)})\n"
            f"  signer  {keypair.ss58_address}\n  fee     {result.fee} (estimated)", markup=False))
        raise typer.Exit(0)
    with env().status(f"{what}: submitting and waiting for {wait}..."):
        return chain.submit(keypair, call, wait=wait).raise_for_error()


def _args(call) -> str:
    return ", ".join(f"{k}={v}" for k, v in call.args.items())


def confirm_quote(quote, chain, signer: str, call, question: str, dry_run: bool = False) -> None:
    """``confirm_send``; a price agreed to on a terminal becomes the most the command will pay
    (see ``btkit.quotes``)."""
    on_terminal = env().interactive and not dry_run
    confirm_send(chain, signer, call, question, dry_run)
    quote.agreed(on_terminal)


def max_cost(value: Optional[str]):
    """--max-cost as a Balance (None when not given)."""
    from btkit.units import Balance

    return None if value is None else Balance.from_tao(value)


def address(value: str, option: str, any_prefix: bool = False) -> str:
    """A user-given SS58 address (or 0x public key) on this network's prefix (42); errors name ``option``."""
    from keystore.ss58 import DEFAULT_PREFIX, parse_address

    return parse_address(value, option, None if any_prefix else DEFAULT_PREFIX)


def check_announced_ip(host: str, external_ip: Optional[str], host_option: str, ip_option: str) -> None:
    """The IP a server on ``host`` will announce on chain (``btkit.net.urls.announced_ip``) must be an
    IP address; checked before a neuron detaches, which could only fail in the background."""
    import ipaddress

    from btkit.errors import UsageError
    from btkit.net.urls import announced_ip

    ip = announced_ip(host, external_ip)
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise UsageError(f"{ip_option if external_ip else host_option} {ip!r} is not an IP address to announce "
                         "on chain", hint=f"pass {ip_option} with the IP clients reach") from None


def hotkey_address(wallet, hotkey: Optional[str], ss58: Optional[str] = None, option: str = "--hotkey-ss58") -> str:
    """An explicit --hotkey-ss58, else the wallet hotkey's address (no password needed)."""
    if ss58:
        return address(ss58, option)
    return wallet.hotkeypub(hotkey_name(hotkey)).ss58_address


def unlock_hotkey(wallet, hotkey: Optional[str], password_file: Optional[str] = None):
    source = password_source(password_file)
    return source.unlock(lambda password: wallet.unlock_hotkey(hotkey_name(hotkey), password))


def unlock_hotkey_checked(wallet, hotkey: Optional[str], password_file: Optional[str], check) -> object:
    """The unlocked hotkey, once ``check(ss58_address)`` passed: before unlocking when the hotkey's public
    half reads without a password (``<name>pub.txt`` or a plaintext key), after unlocking otherwise (an
    encrypted hotkey with no public file). ``check`` raises to refuse."""
    from keystore.errors import KeyNotFoundError

    try:
        ss58 = hotkey_address(wallet, hotkey)
    except KeyNotFoundError:
        kp = unlock_hotkey(wallet, hotkey, password_file)
        check(kp.ss58_address)
        return kp
    check(ss58)
    return unlock_hotkey(wallet, hotkey, password_file)


Netuid = typer.Option(..., "--netuid", min=0, max=65535, help="Subnet id (0-65535; 0 is the root network).")


def hyperparameter_value(current: dict, name: str, value: str):
    """``value`` (text) parsed for hyperparameter ``name`` of a subnet whose ``Hyperparameters.to_json()``
    is ``current``: true/false for flags, else an integer; ``UsageError`` otherwise."""
    from btkit.errors import UsageError

    if name not in current:
        from commands.aliases import did_you_mean

        raise UsageError(f"unknown hyperparameter {name!r}." + did_you_mean(name, sorted(current)),
                         hint="see `btkit subnet hyperparameters --netuid N`")
    if isinstance(current[name], bool):
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise UsageError(f"{name} takes true or false")
        return value.lower() in ("true", "1", "yes")
    try:
        return int(value)
    except ValueError:
        unit = " of rao (1 τ = 1000000000 rao)" if name.endswith("burn") else ""
        raise UsageError(f"{name} takes an integer{unit}") from None


def pow_progress():
    """A callback that keeps one status line on stderr (TTY only, never with --json)."""
    import sys

    e = env()
    if e.json or not e.stderr.isatty():
        return None
    last = [0.0]

    def show(p) -> None:
        import time

        if time.monotonic() - last[0] < 0.2:
            return
        last[0] = time.monotonic()
        eta = f"{p.expected_s:.1f} s" if p.expected_s != float("inf") else "?"
        sys.stderr.write(f"\r  solving: {p.hashrate / 1e6:6.2f} MH/s  difficulty {p.difficulty:,}  expected {eta}  "
                         f"block #{p.block}  attempts {p.attempts:,}  refreshes {p.refreshes}   ")
        sys.stderr.flush()

    return show


PowProcesses = typer.Option(None, "--processes", help="CPU worker processes [all cores].")
PowDevice = typer.Option("native", "--device", help="native (C kernel on all cores), cpu, cuda or cuda:N (torch).")
PowTimeout = typer.Option(600.0, "--timeout", help="Give up after S seconds.")


POW_TRIES = 3


def pow_submit(chain, keypair, prefix_for, difficulty_for, call_for, what: str, device: str, processes,
               timeout: float, dry_run: bool = False, wait: str = "inclusion"):
    """Solve a proof of work and submit ``call_for(solution)``; solve again (up to ``POW_TRIES`` times)
    when the seal's window closed before inclusion.

    A seal is only valid for a few blocks after its work block (subtensor's ``do_registration``:
    ``InvalidWorkBlock``); a solve that ends late, or a slow inclusion, would otherwise waste the work.
    The window is checked again right before signing, so a stale seal is never sent.
    Returns ``(SubmitResult, Solution, solver name)``; raises ``DispatchFailed`` for any other error.
    """
    from btkit.chain import DispatchFailed

    for attempt in range(POW_TRIES):
        solution, solver_name = run_pow(chain, prefix_for, difficulty_for, device, processes, timeout)
        if chain.block_number() - solution.work_block > chain.pow_refresh_after and attempt < POW_TRIES - 1:
            env().info(f"the seal's window closed while the solver stopped; solving again "
                       f"(try {attempt + 2} of {POW_TRIES})")
            continue
        try:
            return submit(chain, keypair, call_for(solution), what, dry_run, wait), solution, solver_name
        except DispatchFailed as exc:
            if exc.result.error != "SubtensorModule.InvalidWorkBlock" or attempt == POW_TRIES - 1:
                raise
            env().info(f"the seal's window closed before inclusion; solving again (try {attempt + 2} of {POW_TRIES})")
    raise AssertionError("unreachable")


def run_pow(chain, prefix_for, difficulty_for, device: str, processes, timeout: float):
    """Solve with the chosen solver; always stops the workers (Ctrl-C included)."""
    import sys

    from btkit.pow import make_solver

    e = env()
    if device == "native":
        from btkit.pow import native

        if not native.library_path().exists() and not e.json:
            e.info("compiling the PoW kernel (once; cached)...")
    solver = make_solver(device, processes)
    progress = pow_progress()
    try:
        from btkit.pow.mine import solve

        solution = solve(chain, solver, prefix_for, difficulty_for, timeout, progress,
                         refresh_after=chain.pow_refresh_after)
    finally:
        solver.close()
        if progress is not None:
            sys.stderr.write("\n")
    return solution, getattr(solver, "name", device)
