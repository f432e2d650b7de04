"""Options and helpers shared by command modules (kept tiny: commands stay thin)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from btkit import config
from btkit.output import Environment, get_env


def env() -> Environment:
    return get_env()


WalletPath = typer.Option(None, "--wallet-path", "--wallet.path", "-p", help="Wallets directory [config wallet.path].")
WalletName = typer.Option(None, "--wallet-name", "--wallet.name", "--name", "-w", help="Wallet name [config wallet.name].")
Hotkey = typer.Option(None, "--hotkey", "--wallet.hotkey", "-H", help="Hotkey name [config wallet.hotkey].")
PasswordFile = typer.Option(
    None, "--password-file", help="Read the password from FILE ('-' = first line of stdin)."
)
Overwrite = typer.Option(False, "--overwrite", help="Replace existing keyfiles (the old keys are lost).")


def settings() -> config.Config:
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
