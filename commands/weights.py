"""`btkit weights set | commit | reveal | show`."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import (
    DryRun, Hotkey, Netuid, Network, PasswordFile, WaitFor, WalletName, WalletPath, client, env,
    open_wallet, submit, unlock_hotkey_checked,
)
from commands._group import command_group

app = command_group('Set, commit, reveal and show weights.', [
    'btkit weights set --netuid 1 --uids 1,2 --weights 0.7,0.3 -w val',
    'btkit weights commit --netuid 1 --uids 1,2 --weights 0.7,0.3 -w val',
    'btkit weights show --netuid 1',
])
Uids = typer.Option(..., "--uids", help="Comma-separated uids, e.g. 1,2,3.")
Values = typer.Option(..., "--weights", help="Comma-separated weights (floats, normalized for you; or u16 with --raw).")
Raw = typer.Option(False, "--raw", help="Weights are u16 integers as stored.")
VersionKey = typer.Option(0, "--version-key", help="The subnet's weights_version (see `subnet hyperparameters`).")


def _ints(text: str, what: str) -> list[int]:
    try:
        return [int(x) for x in text.replace(" ", "").split(",") if x != ""]
    except ValueError:
        raise UsageError(f"{what} must be comma-separated integers") from None


def parse_weights(uids_text: str, values_text: str, raw: bool) -> tuple[list[int], list[int]]:
    """Floats -> u16 proportions (largest = 65535 after the chain's max-upscale); --raw keeps u16."""
    uids = _ints(uids_text, "--uids")
    try:
        floats = [float(x) for x in values_text.replace(" ", "").split(",") if x != ""]
    except ValueError:
        raise UsageError("--weights must be comma-separated numbers") from None
    if len(uids) != len(floats):
        raise UsageError(f"{len(uids)} uids but {len(floats)} weights")
    if any(f < 0 or f != f for f in floats):
        raise UsageError("weights must be non-negative numbers")
    if raw:
        if any(f != int(f) or f > 65535 for f in floats):
            raise UsageError("--raw weights are integers from 0 to 65535")
        return uids, [int(f) for f in floats]
    top = max(floats, default=0)
    if top == 0:
        raise UsageError("at least one weight must be positive")
    return uids, [round(f / top * 65535) for f in floats]


def _signer(network, netuid: int, wallet_path, wallet_name, hotkey, password_file):
    """(chain, unlocked hotkey) once the chain would take weights from it: the subnet exists, is not root,
    and the hotkey holds a uid there (subtensor's set_weights / commit_weights checks; exit 4 before
    unlocking, nothing sent)."""
    from btkit.chain.preflight import check_registered, check_subnet

    chain = client(network)
    check_subnet(chain, netuid, on_root="SubtensorModule.CanNotSetRootNetworkWeights")
    return chain, unlock_hotkey_checked(open_wallet(wallet_path, wallet_name), hotkey, password_file,
                                        lambda ss58: check_registered(chain, netuid, ss58))


@app.command("set")
def set_(netuid: int = Netuid, uids: str = Uids, weights: str = Values,
         raw: bool = Raw, version_key: int = VersionKey,
         wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
         hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
         network: Optional[str] = Network, dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Set the hotkey's weights on a subnet."""
    dests, values = parse_weights(uids, weights, raw)
    chain, kp = _signer(network, netuid, wallet_path, wallet_name, hotkey, password_file)
    result = submit(chain, kp, chain.calls.set_weights(netuid, dests, values, version_key), "set_weights",
                    dry_run, wait_for)
    env().result({"netuid": netuid, "hotkey": kp.ss58_address, "uids": dests, "weights": values,
                  "block": result.block},
                 lambda out: out.print(f"weights set on subnet {netuid} in block #{result.block}", markup=False))


@app.command()
def commit(netuid: int = Netuid, uids: str = Uids, weights: str = Values,
           raw: bool = Raw, version_key: int = VersionKey,
           wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
           network: Optional[str] = Network, dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Commit to weights; prints the salt you need for `weights reveal`."""
    dests, values = parse_weights(uids, weights, raw)
    chain, kp = _signer(network, netuid, wallet_path, wallet_name, hotkey, password_file)
    salt = [secrets.randbelow(65536) for _ in range(8)]
    digest = chain.commit_hash(kp.ss58_address, netuid, dests, values, salt, version_key)
    result = submit(chain, kp, chain.calls.commit_weights(netuid, digest), "commit_weights", dry_run, wait_for)
    salt_text = ",".join(map(str, salt))
    data = {"netuid": netuid, "hash": digest, "uids": dests, "weights": values, "salt": salt,
            "version_key": version_key, "block": result.block}
    if result.block is None:  # --dry-run: nothing was committed
        env().result(data, lambda out: out.print(f"would commit {digest}", markup=False))
        return
    window, block_time = _reveal_window(chain, netuid, result.block)
    data["reveal_window"] = window.to_json(result.block, block_time)
    env().result(data, lambda out: out.print(
        f"committed {digest} in block #{result.block}\nreveal in {window.describe(result.block, block_time)} with:\n"
        f"  btkit weights reveal --netuid {netuid} --uids {','.join(map(str, dests))} "
        f"--weights {','.join(map(str, values))} --raw --salt {salt_text}"
        + (f" --version-key {version_key}" if version_key else ""), markup=False))


def _reveal_window(chain, netuid: int, commit_block: int):
    """(the reveal window of a commit in ``commit_block``, seconds per block or None when blocks come
    only on demand: instant or manual mining)."""
    from btkit.commit_reveal import reveal_window

    info = chain.node_info()
    block_time = info.block_time if info.mining in (None, "interval") else None
    return reveal_window(commit_block, netuid, chain.hyperparameters(netuid).tempo), block_time


@app.command()
def reveal(netuid: int = Netuid, uids: str = Uids, weights: str = Values,
           salt: str = typer.Option(..., "--salt", help="The salt `weights commit` printed."),
           raw: bool = Raw, version_key: int = VersionKey,
           wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           hotkey: Optional[str] = Hotkey, password_file: Optional[str] = PasswordFile,
           network: Optional[str] = Network, dry_run: bool = DryRun, wait_for: str = WaitFor) -> None:
    """Reveal committed weights (in the epoch after the commit)."""
    dests, values = parse_weights(uids, weights, raw)
    salt_values = _ints(salt, "--salt")
    chain, kp = _signer(network, netuid, wallet_path, wallet_name, hotkey, password_file)
    _check_reveal_window(chain, netuid, kp.ss58_address,
                         chain.commit_hash(kp.ss58_address, netuid, dests, values, salt_values, version_key))
    result = submit(chain, kp, chain.calls.reveal_weights(netuid, dests, values, salt_values, version_key),
                    "reveal_weights", dry_run, wait_for)
    env().result({"netuid": netuid, "uids": dests, "weights": values, "block": result.block},
                 lambda out: out.print(f"revealed weights on subnet {netuid} in block #{result.block}", markup=False))


def _check_reveal_window(chain, netuid: int, hotkey: str, digest: str) -> None:
    """Refuse before signing, with the error subtensor would dispatch (exit 4, nothing paid), when no
    commit matches (``NoWeightsCommitFound``) or its window is not open at the next block
    (``RevealTooEarly`` / ``ExpiredWeightCommit``)."""
    from btkit.chain import Unsupported
    from btkit.errors import ChainRejectedError

    try:
        commits = chain.weight_commits(netuid, hotkey)
    except Unsupported:
        return  # the chain checks it (RevealTooEarly / ExpiredWeightCommit)
    block = next((b for h, b in commits if h == digest), None)
    if block is None:
        err = ChainRejectedError(f"SubtensorModule.NoWeightsCommitFound: no commit of {hotkey} on subnet {netuid} matches these uids, weights, salt and version key",
                         hint="pass exactly what `weights commit` printed" if commits else
                         "commit first with `btkit weights commit`")
        err.code = "no_commit"
        raise err
    window, block_time = _reveal_window(chain, netuid, block)
    head = chain.block_number()
    where = window.where(head + 1)
    if where != "open":
        err = ChainRejectedError(f"SubtensorModule.RevealTooEarly: the commit of block {block} may be revealed in "
                         f"{window.describe(head, block_time)}; the head is block {head}" if where == "early" else
                         f"SubtensorModule.ExpiredWeightCommit: the commit of block {block} could be revealed in blocks "
                         f"{window.first}-{window.last}; the head is block {head}",
                         hint="wait, then run the same command again" if where == "early" else
                         "commit again with `btkit weights commit`")
        err.code = "reveal_too_early" if where == "early" else "commit_expired"
        raise err


@app.command()
def show(netuid: int = Netuid, network: Optional[str] = Network) -> None:
    """Every uid's stored weights on a subnet."""
    from btkit.chain import weights_to_json

    weights = client(network).weights(netuid)

    def human(out) -> None:
        from btkit.tables import print_lines

        print_lines(out, [f"uid {uid:>4}: " + ", ".join(f"{j}:{w / 65535:.3f}" for j, w in row)
                          for uid, row in weights.items() if row], hang=10)

    env().result({"netuid": netuid, "weights": weights_to_json(weights)}, human)
