"""`btkit wallet ...`: create, import, inspect and use wallets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from btkit.errors import UsageError
from btkit.tables import Column
from keystore.errors import KeystoreError
from commands._common import (
    DryRun, Hotkey, Network, Overwrite, PasswordFile, PowDevice, PowProcesses, PowTimeout, WaitFor, WalletName,
    WalletPath, address, client, confirm_or_abort, confirm_send, env, hotkey_name, open_wallet, password_source,
    pow_submit, submit, unlock_coldkey, unlock_hotkey,
)
from commands._group import command_group

app = command_group('Create, import, inspect and use wallets.', [
    'btkit wallet create -w alice -H miner1',
    'btkit wallet regen-coldkey -w dev --uri //Alice --no-use-password',
    'btkit wallet overview -w alice',
])

NWords = typer.Option(12, "--n-words", help="Mnemonic length: 12, 15, 18, 21 or 24 words.")
CryptoTypeOpt = typer.Option("sr25519", "--crypto-type", help="sr25519 (default) or ed25519.")
ShowMnemonic = typer.Option(False, "--show-mnemonic", help="Include the mnemonic in --json output.")
Mnemonic = typer.Option(None, "--mnemonic", help="Mnemonic words (prefer --mnemonic-file: argv is visible to other users).")
MnemonicFile = typer.Option(None, "--mnemonic-file", help="Read the mnemonic from FILE ('-' = stdin).")
Seed = typer.Option(None, "--seed", help="0x-prefixed 32-byte seed.")
Uri = typer.Option(None, "--uri", help="Secret URI such as //Alice (dev keys).")


def _crypto(value: str):
    from keystore.keys import CryptoType

    return CryptoType.parse(value)


def _key_json(kp, encrypted: Optional[bool] = None) -> dict[str, Any]:
    data: dict[str, Any] = {"ss58_address": kp.ss58_address, "public_key": "0x" + kp.public_key.hex(),
                            "crypto_type": kp.crypto_type.name.lower()}
    if encrypted is not None:
        data["encrypted"] = encrypted
    return data


def _announce_mnemonic(what: str, mnemonic: str, show_in_json: bool, result: dict[str, Any]) -> None:
    e = env()
    if e.json:
        if show_in_json:
            result.setdefault("mnemonics", {})[what] = mnemonic
        else:  # the one chance to see it has passed: say so, on stderr and in the document
            result.setdefault("mnemonics_not_shown", []).append(what)
            e.warn(f"the new {what}'s mnemonic was not shown (--json without --show-mnemonic) and cannot be "
                   "shown later: the key file is its only copy; back it up now (keys made with --show-mnemonic "
                   "include their mnemonic in the JSON).")
        return
    e.console().print(
        f"\n[bold yellow]The mnemonic of the new {what}[/] (shown once; write it down, keep it secret):\n"
        f"[bold]{mnemonic}[/]\n"
        f"Restore with: btkit wallet regen-{what} --mnemonic-file FILE\n"
    )


def _new_keypair(n_words: int, crypto: str):
    from keystore.keys import Keypair
    from keystore.mnemonic import generate_mnemonic

    return Keypair.from_mnemonic(generate_mnemonic(n_words), _crypto(crypto))


def _save_coldkey(wallet, kp, use_password: bool, password_file: Optional[str], overwrite: bool) -> None:
    """Write a new coldkey. Replacing one needs --overwrite and a confirmation naming the address
    that is given up (asked on a terminal; -y or --json answer it), before any password is asked."""
    e = env()
    if wallet.has_coldkey:
        wallet.check_free(wallet.coldkey_file if wallet.coldkey_file.exists else wallet.coldkeypub_file, overwrite)
        try:
            old = wallet.coldkeypub().ss58_address
        except KeystoreError:
            old = f"the coldkey in {wallet.coldkey_file.path}"
        confirm_or_abort(f"Replace the coldkey {old} of wallet {wallet.name!r} with {kp.ss58_address}? Without the "
                         f"old key's mnemonic, what {old} holds is lost to you")
    password = password_source(password_file).new(keyfile_path=wallet.coldkey_file.path) if use_password else None
    with e.status("Encrypting the coldkey (Argon2i, a few seconds)..."):
        wallet.save_coldkey(kp, password, overwrite=True)


def _secret_keypair(mnemonic: Optional[str], mnemonic_file: Optional[str], seed: Optional[str],
                    uri: Optional[str], crypto: str):
    """The one keypair the user gave by --mnemonic, --mnemonic-file, --seed or --uri (or a prompt)."""
    from keystore.keys import Keypair

    given = [x for x in (mnemonic, mnemonic_file, seed, uri) if x]
    if len(given) > 1:
        raise UsageError("give only one of --mnemonic, --mnemonic-file, --seed, --uri")
    ct = _crypto(crypto)
    if uri:
        return Keypair.from_uri(uri, ct)
    if seed:
        return Keypair.from_seed_hex(seed, ct)
    if mnemonic_file:
        import sys

        text = sys.stdin.read() if mnemonic_file == "-" else _read(Path(mnemonic_file))
        return Keypair.from_mnemonic(text, ct)
    if mnemonic:
        return Keypair.from_mnemonic(mnemonic, ct)
    e = env()
    if not e.interactive:
        raise UsageError("no key material given", hint="pass --mnemonic-file FILE, --seed 0x..., or --uri //Name")
    import getpass

    return Keypair.from_mnemonic(getpass.getpass("Mnemonic (hidden): "), ct)


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


# -- creation -------------------------------------------------------------------------
@app.command()
def create(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    n_words: int = NWords, crypto_type: str = CryptoTypeOpt,
    use_password: bool = typer.Option(True, "--use-password/--no-use-password", help="Encrypt the coldkey."),
    password_file: Optional[str] = PasswordFile,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing hotkey of that name (the old "
                                   "hotkey is lost). An existing coldkey is always kept: see `new-coldkey`."),
    show_mnemonic: bool = ShowMnemonic,
) -> None:
    """Create a wallet: an encrypted coldkey and a plaintext hotkey (an existing coldkey is kept)."""
    wallet, hk = open_wallet(wallet_path, wallet_name), hotkey_name(hotkey)
    wallet.check_free(wallet.hotkey_file(hk), overwrite)
    hot = _new_keypair(n_words, crypto_type)
    result: dict[str, Any] = {"wallet": wallet.name, "path": str(wallet.path)}
    if wallet.has_coldkey:  # create only what is missing: a coldkey is never replaced here
        try:
            result["coldkey"] = {**_key_json(wallet.coldkeypub()), "created": False}
        except KeystoreError as exc:
            result["coldkey"] = {"created": False, "error": str(exc)}
        cold = None
    else:
        cold = _new_keypair(n_words, crypto_type)
        _save_coldkey(wallet, cold, use_password, password_file, overwrite=False)
        result["coldkey"] = {**_key_json(cold, use_password), "created": True}
    wallet.save_hotkey(hk, hot, overwrite=overwrite)
    result["hotkey"] = {"name": hk, **_key_json(hot, False)}
    if cold is not None:
        _announce_mnemonic("coldkey", cold.mnemonic, show_mnemonic, result)
    _announce_mnemonic("hotkey", hot.mnemonic, show_mnemonic, result)

    def human(out) -> None:
        c = result["coldkey"]
        if cold is not None:
            out.print(f"Created wallet [bold]{wallet.name}[/] at {wallet.path}\n"
                      f"  coldkey {cold.ss58_address}{' (encrypted)' if use_password else ''}")
        else:
            out.print(f"Wallet [bold]{wallet.name}[/] already has a coldkey: kept "
                      f"{c.get('ss58_address') or c.get('error')}")
        out.print(f"  hotkey  {hk} {hot.ss58_address} (created)")

    env().result(result, human)


@app.command("new-coldkey")
def new_coldkey(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    n_words: int = NWords, crypto_type: str = CryptoTypeOpt,
    use_password: bool = typer.Option(True, "--use-password/--no-use-password", help="Encrypt the coldkey."),
    password_file: Optional[str] = PasswordFile, overwrite: bool = Overwrite, show_mnemonic: bool = ShowMnemonic,
) -> None:
    """Create a new coldkey in a wallet."""
    wallet = open_wallet(wallet_path, wallet_name)
    kp = _new_keypair(n_words, crypto_type)
    _save_coldkey(wallet, kp, use_password, password_file, overwrite)
    result: dict[str, Any] = {"wallet": wallet.name, "coldkey": _key_json(kp, use_password)}
    _announce_mnemonic("coldkey", kp.mnemonic, show_mnemonic, result)
    env().result(result, lambda out: out.print(f"New coldkey {kp.ss58_address} in wallet {wallet.name}"))


@app.command("new-hotkey")
def new_hotkey(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    n_words: int = NWords, crypto_type: str = CryptoTypeOpt,
    use_password: bool = typer.Option(False, "--use-password/--no-use-password", help="Encrypt the hotkey."),
    password_file: Optional[str] = PasswordFile, overwrite: bool = Overwrite, show_mnemonic: bool = ShowMnemonic,
) -> None:
    """Create a new hotkey in a wallet."""
    wallet, hk = open_wallet(wallet_path, wallet_name), hotkey_name(hotkey)
    wallet.check_free(wallet.hotkey_file(hk), overwrite)
    kp = _new_keypair(n_words, crypto_type)
    password = password_source(password_file).new(keyfile_path=wallet.hotkey_file(hk).path) if use_password else None
    with env().status("Encrypting the hotkey..."):
        wallet.save_hotkey(hk, kp, password, overwrite=overwrite)
    result: dict[str, Any] = {"wallet": wallet.name, "hotkey": {"name": hk, **_key_json(kp, use_password)}}
    _announce_mnemonic("hotkey", kp.mnemonic, show_mnemonic, result)
    env().result(result, lambda out: out.print(f"New hotkey {hk} {kp.ss58_address} in wallet {wallet.name}"))


@app.command("regen-coldkey")
def regen_coldkey(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    mnemonic: Optional[str] = Mnemonic, mnemonic_file: Optional[str] = MnemonicFile, seed: Optional[str] = Seed,
    uri: Optional[str] = Uri, crypto_type: str = CryptoTypeOpt,
    use_password: bool = typer.Option(True, "--use-password/--no-use-password", help="Encrypt the coldkey."),
    password_file: Optional[str] = PasswordFile, overwrite: bool = Overwrite,
) -> None:
    """Restore a coldkey from a mnemonic, seed or URI."""
    wallet = open_wallet(wallet_path, wallet_name)
    kp = _secret_keypair(mnemonic, mnemonic_file, seed, uri, crypto_type)
    _save_coldkey(wallet, kp, use_password, password_file, overwrite)
    env().result({"wallet": wallet.name, "coldkey": _key_json(kp, use_password)},
                 lambda out: out.print(f"Restored coldkey {kp.ss58_address} in wallet {wallet.name}"))


@app.command("regen-coldkeypub")
def regen_coldkeypub(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    ss58: Optional[str] = typer.Option(None, "--ss58", "--ss58-address", help="The coldkey's SS58 address."),
    public_key: Optional[str] = typer.Option(None, "--public-key", help="The coldkey's 0x public key."),
    crypto_type: str = CryptoTypeOpt, password_file: Optional[str] = PasswordFile, overwrite: bool = Overwrite,
) -> None:
    """Write coldkeypub.txt: from --ss58/--public-key (watch-only), or derived from the wallet's coldkey
    (asks its password) when neither is given."""
    from keystore.keys import Keypair

    if ss58 and public_key:
        raise UsageError("give only one of --ss58 or --public-key")
    wallet = open_wallet(wallet_path, wallet_name)
    if ss58 or public_key:
        kp = Keypair.public_only(address(ss58, "--ss58") if ss58 else address(public_key, "--public-key"),
                                 _crypto(crypto_type))
        wallet.save_coldkeypub(kp, overwrite=overwrite)
    elif wallet.coldkey_file.exists:
        wallet.check_free(wallet.coldkeypub_file, overwrite)
        source = password_source(password_file)
        with env().status("Unlocking the coldkey..."):
            kp = wallet.coldkey_file.load(lambda kf: source.existing(kf.path))
        wallet.save_coldkeypub(kp, overwrite=overwrite)
    else:
        raise UsageError(f"wallet {wallet.name!r} has no coldkey to derive the public half from",
                         hint="give the address: --ss58 ADDRESS (or --public-key 0x...)")
    env().result({"wallet": wallet.name, "coldkeypub": _key_json(kp)},
                 lambda out: out.print(f"Wrote coldkeypub {kp.ss58_address} in wallet {wallet.name}"))


@app.command("regen-hotkey")
def regen_hotkey(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    mnemonic: Optional[str] = Mnemonic, mnemonic_file: Optional[str] = MnemonicFile, seed: Optional[str] = Seed,
    uri: Optional[str] = Uri, crypto_type: str = CryptoTypeOpt,
    use_password: bool = typer.Option(False, "--use-password/--no-use-password", help="Encrypt the hotkey."),
    password_file: Optional[str] = PasswordFile, overwrite: bool = Overwrite,
) -> None:
    """Restore a hotkey from a mnemonic, seed or URI."""
    wallet, hk = open_wallet(wallet_path, wallet_name), hotkey_name(hotkey)
    wallet.check_free(wallet.hotkey_file(hk), overwrite)
    kp = _secret_keypair(mnemonic, mnemonic_file, seed, uri, crypto_type)
    password = password_source(password_file).new(keyfile_path=wallet.hotkey_file(hk).path) if use_password else None
    wallet.save_hotkey(hk, kp, password, overwrite=overwrite)
    env().result({"wallet": wallet.name, "hotkey": {"name": hk, **_key_json(kp, use_password)}},
                 lambda out: out.print(f"Restored hotkey {hk} {kp.ss58_address} in wallet {wallet.name}"))


# -- inspection -----------------------------------------------------------------------
def _describe(wallet) -> dict[str, Any]:

    item: dict[str, Any] = {"name": wallet.name, "path": str(wallet.path)}
    try:
        cold = wallet.coldkeypub()
        item["coldkey"] = _key_json(cold, wallet.coldkey_file.is_encrypted if wallet.coldkey_file.exists else None)
    except KeystoreError as exc:
        item["coldkey"] = None
        item["coldkey_error"] = str(exc)
    hotkeys = []
    for name in wallet.hotkey_names():
        try:
            hotkeys.append({"name": name, **_key_json(wallet.hotkeypub(name))})
        except KeystoreError as exc:
            hotkeys.append({"name": name, "error": str(exc)})
    item["hotkeys"] = hotkeys
    return item


@app.command("list")
def list_(wallet_path: Optional[Path] = WalletPath) -> None:
    """All wallets and their hotkeys, with SS58 addresses (no password needed)."""
    from keystore.wallet import list_wallets

    root = open_wallet(wallet_path, "default").root
    data = {"path": str(root), "wallets": [_describe(w) for w in list_wallets(root)]}

    def human(out) -> None:
        from rich.tree import Tree

        tree = Tree(f"Wallets in {root}")
        for w in data["wallets"]:
            cold = w["coldkey"]["ss58_address"] if w["coldkey"] else f"[red]{w.get('coldkey_error')}[/]"
            branch = tree.add(f"[bold]{w['name']}[/] (coldkey {cold})")
            for h in w["hotkeys"]:
                branch.add(f"{h['name']} ({h.get('ss58_address') or h.get('error')})")
        if not data["wallets"]:
            tree.add("(none: create one with `btkit wallet create`)")
        out.print(tree)

    env().result(data, human)


@app.command()
def show(wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName) -> None:
    """One wallet's public keys and file details."""
    from keystore.errors import KeyNotFoundError

    wallet = open_wallet(wallet_path, wallet_name)
    if not wallet.exists:
        raise KeyNotFoundError(f"no wallet {wallet.name!r} in {wallet.root}",
                               hint="see `btkit wallet list`, or create it with `btkit wallet create`")
    data = _describe(wallet)
    if wallet.coldkey_file.exists:
        data["coldkey_encryption"] = wallet.coldkey_file.scheme.value

    def human(out) -> None:
        cold = data["coldkey"]
        out.print(f"[bold]{wallet.name}[/]  {wallet.path}")
        out.print(f"  coldkey  {cold['ss58_address'] if cold else data.get('coldkey_error')}"
                  f"  ({data.get('coldkey_encryption', 'public only')})", markup=False)
        for h in data["hotkeys"]:
            out.print(f"  hotkey   {h['name']}  {h.get('ss58_address') or h.get('error')}")

    env().result(data, human)


# -- signatures -----------------------------------------------------------------------
def _message_bytes(message: str, hex_: bool) -> bytes:
    if not hex_:
        return message.encode()
    try:
        return bytes.fromhex(message[2:] if message.startswith("0x") else message)
    except ValueError:
        raise UsageError("--hex was given but the message is not hex") from None


@app.command()
def sign(
    message: str = typer.Option(..., "--message", "-m", help="The message to sign (UTF-8 text)."),
    hex_: bool = typer.Option(False, "--hex", help="The message is hex-encoded bytes."),
    use_hotkey: bool = typer.Option(False, "--use-hotkey", help="Sign with the hotkey instead of the coldkey."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
    password_file: Optional[str] = PasswordFile,
) -> None:
    """Sign a message; prints the 0x signature."""
    wallet = open_wallet(wallet_path, wallet_name)
    kp = unlock_hotkey(wallet, hotkey, password_file) if use_hotkey else unlock_coldkey(wallet, password_file)
    signature = "0x" + kp.sign(_message_bytes(message, hex_)).hex()
    env().result({"signer": kp.ss58_address, "crypto_type": kp.crypto_type.name.lower(), "signature": signature},
                 lambda out: out.print(signature))


@app.command()
def verify(
    message: str = typer.Option(..., "--message", "-m", help="The signed message (UTF-8 text)."),
    signature: str = typer.Option(..., "--signature", "-s", help="0x-hex signature."),
    address: Optional[str] = typer.Option(None, "--address", "--ss58", help="Signer's SS58 address or 0x public key."),
    hex_: bool = typer.Option(False, "--hex", help="The message is hex-encoded bytes."),
    crypto_type: str = CryptoTypeOpt,
    use_hotkey: bool = typer.Option(False, "--use-hotkey", help="Verify against the wallet's hotkey."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName, hotkey: Optional[str] = Hotkey,
) -> None:
    """Verify a signature (exit 1 when it does not verify)."""
    from btkit.errors import BtkitError
    from keystore.keys import Keypair

    if address:
        from commands._common import address as parse_address

        kp = Keypair.public_only(parse_address(address, "--address", any_prefix=True), _crypto(crypto_type))
    else:
        wallet = open_wallet(wallet_path, wallet_name)
        kp = wallet.hotkeypub(hotkey_name(hotkey)) if use_hotkey else wallet.coldkeypub()
    try:
        sig = bytes.fromhex(signature[2:] if signature.startswith("0x") else signature)
    except ValueError:
        raise UsageError("--signature must be hex") from None
    ok = kp.verify(_message_bytes(message, hex_), sig)
    if not ok:
        err = BtkitError(f"the signature does not verify for {kp.ss58_address}")
        err.code = "invalid_signature"
        raise err
    env().result({"valid": True, "signer": kp.ss58_address}, lambda out: out.print(f"valid signature by {kp.ss58_address}"))


# -- passwords and encryption --------------------------------------------------------
@app.command("change-password")
def change_password(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile,
    new_password_file: Optional[str] = typer.Option(None, "--new-password-file",
                                                    help="Read the new password from FILE (or BTKIT_NEW_PASSWORD)."),
) -> None:
    """Re-encrypt the coldkey under a new password (also encrypts a plaintext coldkey)."""
    wallet = open_wallet(wallet_path, wallet_name)
    kp = unlock_coldkey(wallet, password_file)
    new = password_source(new_password_file, new_env_var=True).new(keyfile_path=wallet.coldkey_file.path)
    with env().status("Encrypting the coldkey..."):
        wallet.coldkey_file.save(kp, new, overwrite=True)
    env().result({"wallet": wallet.name, "coldkey": _key_json(kp, True)},
                 lambda out: out.print(f"Changed the password of wallet {wallet.name}'s coldkey"))


@app.command("upgrade-encryption")
def upgrade_encryption(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile,
) -> None:
    """Re-encrypt a legacy (Ansible Vault or Fernet) coldkey as $NACL, keeping its password."""
    wallet = open_wallet(wallet_path, wallet_name)
    scheme = wallet.coldkey_file.scheme
    data: dict[str, Any] = {"wallet": wallet.name, "from": scheme.value}
    if not scheme.is_legacy:
        data.update(to=scheme.value, changed=False)
        env().result(data, lambda out: out.print(
            f"The coldkey is {scheme.value}; nothing to upgrade"
            + (" (use `btkit wallet change-password` to encrypt it)" if scheme.value == "plaintext" else "")))
        return
    env().info(f"Decrypting the {scheme.value} coldkey (legacy formats are slow)...")
    kp, password = password_source(password_file).unlock(wallet.coldkey_file.unlock)
    wallet.check_coldkey(kp)
    with env().status("Encrypting the coldkey as $NACL..."):
        wallet.coldkey_file.save(kp, password, overwrite=True)
    data.update(to="nacl", changed=True, coldkey=_key_json(kp, True))
    env().result(data, lambda out: out.print(f"Upgraded the coldkey of {wallet.name} from {scheme.value} to $NACL"))


# -- chain ----------------------------------------------------------------------------
@app.command()
def balance(
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    ss58: Optional[str] = typer.Option(None, "--ss58", "--address", help="Any address instead of the wallet's coldkey."),
    network: Optional[str] = Network,
) -> None:
    """Free balance of the wallet's coldkey (or of --ss58)."""
    who = address(ss58, "--ss58") if ss58 else open_wallet(wallet_path, wallet_name).coldkeypub().ss58_address
    chain = client(network)
    free = chain.balance(who)
    env().result({"address": who, "free": free, "network": chain.url},
                 lambda out: out.print(f"{who}  {free}", markup=False))


@app.command()
def transfer(
    destination: str = typer.Option(..., "--destination", "--dest", "-d", help="SS58 address to pay."),
    amount: str = typer.Option(..., "--amount", "-a", help="TAO to send (up to 9 decimals)."),
    allow_death: bool = typer.Option(False, "--allow-death", help="Allow the sender to drop below the existential deposit."),
    wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
    password_file: Optional[str] = PasswordFile, network: Optional[str] = Network,
    dry_run: bool = DryRun, wait_for: str = WaitFor,
) -> None:
    """Send TAO from the wallet's coldkey (asks to confirm unless -y); more than the free balance (with
    the fee, and the existential deposit unless --allow-death) is refused before asking."""
    from btkit.chain.preflight import check_free_balance
    from btkit.units import Balance

    dest = address(destination, "--destination")
    value = Balance.from_tao(amount)
    if value.rao <= 0:
        raise UsageError("--amount must be positive")
    wallet = open_wallet(wallet_path, wallet_name)
    sender = wallet.coldkeypub().ss58_address
    chain = client(network)
    transfer_call = chain.calls.transfer(dest, value, keep_alive=not allow_death)
    free = check_free_balance(chain, sender, value, "the transfer", transfer_call, keep_alive=not allow_death,
                              error="Balances.KeepAlive" if not allow_death else "Balances.InsufficientBalance")
    confirm_send(chain, sender, transfer_call, f"Transfer {value} from {sender} (balance {free}) to {dest}?", dry_run)
    kp = unlock_coldkey(wallet, password_file)
    result = submit(chain, kp, transfer_call, "transfer", dry_run, wait_for)
    after = chain.balance(sender)
    env().result({"from": sender, "to": dest, "amount": value, "balance_after": after, "extrinsic": result},
                 lambda out: out.print(f"sent {value} to {dest} in block #{result.block}; balance now {after}",
                                       markup=False))


# `wallet overview`: alpha per subnet gives way first, then full addresses, then the registrations
OVERVIEW_COLUMNS = [Column("hotkey"), Column("registered (netuid:uid)", "regs", drop=1),
                    Column("alpha (netuid: amount)", "alpha", drop=3), Column("TAO value", "value", align="right"),
                    Column("address", kind="address", drop=2)]


@app.command()
def overview(wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
             network: Optional[str] = Network) -> None:
    """Balance, stakes and registrations of the wallet's coldkey and every hotkey."""
    from btkit.units import Balance

    wallet = open_wallet(wallet_path, wallet_name)
    cold = wallet.coldkeypub().ss58_address
    chain = client(network)
    names = wallet.hotkey_names()
    hotkeys = {name: wallet.hotkeypub(name).ss58_address for name in names}
    free = chain.balance(cold).rao
    stakes = chain.stakes_of(cold)

    def value(s) -> int:  # TAO value at the pool price (alpha x price); stable chains: the stake itself
        return (s.tao_value if s.tao_value is not None else s.stake).rao

    infos = chain.hotkey_infos(list(hotkeys.values()))
    rows = []
    for (name, addr), info in zip(hotkeys.items(), infos):
        staked = [s for s in stakes if s.hotkey == addr]
        rows.append({"name": name, "ss58_address": addr, "registrations": [r.to_json() for r in info.registrations],
                     "stake": Balance(sum(value(s) for s in staked)), "stakes": [s.to_json() for s in staked]})
    total_stake = sum(value(s) for s in stakes)
    data = {"wallet": wallet.name, "coldkey": cold, "free": Balance(free), "staked": Balance(total_stake),
            "total": Balance(free + total_stake), "hotkeys": rows, "stakes": stakes}

    def human(out) -> None:
        from btkit.tables import print_lines, print_table, tao

        print_lines(out, [f"{wallet.name}  coldkey {cold}"])
        print_lines(out, [f"free {tao(free)}   staked {tao(total_stake)} (TAO value)   total {tao(free + total_stake)}"],
                    indent="  ")
        print_table(out, OVERVIEW_COLUMNS,
                    [[r["name"], ", ".join(f"{x['netuid']}:{x['uid']}" for x in r["registrations"]) or "-",
                      ", ".join(f"{x['netuid']}: {tao(x['stake'], symbol='α' if x['netuid'] else 'τ')}"
                                for x in r["stakes"]) or "-", tao(r["stake"]), r["ss58_address"]] for r in rows])

    env().result(data, human)


@app.command()
def faucet(wallet_path: Optional[Path] = WalletPath, wallet_name: Optional[str] = WalletName,
           processes: Optional[int] = PowProcesses, device: str = PowDevice, timeout: float = PowTimeout,
           password_file: Optional[str] = PasswordFile, network: Optional[str] = Network) -> None:
    """Localnet: solve a proof of work to mint 1,000 TAO to the wallet's coldkey."""
    from btkit.units import Balance

    wallet = open_wallet(wallet_path, wallet_name)
    chain = client(network)
    difficulty = chain.faucet_difficulty()  # before unlocking: a chain without a faucet says so first
    kp = unlock_coldkey(wallet, password_file)
    result, solution, solver_name = pow_submit(
        chain, kp, lambda bh: chain.pow_prefix(0, bh, kp.public_key, kp.public_key), lambda: difficulty,
        lambda sol: chain.calls.faucet(sol.work_block, sol.nonce, sol.work), "faucet claim", device, processes,
        timeout)
    after = chain.balance(kp.ss58_address)
    minted = Balance(int((result.event("Faucet") or {}).get("amount", 0)))  # what the chain minted
    env().result({"address": kp.ss58_address, "minted": minted, "balance": after,
                  "attempts": solution.attempts, "seconds": round(solution.seconds, 3),
                  "hashrate": round(solution.hashrate), "solver": solver_name, "block": result.block},
                 lambda out: out.print(f"minted {minted} to {kp.ss58_address} (balance {after}) after "
                                       f"{solution.attempts:,} hashes in {solution.seconds:.1f} s", markup=False))
