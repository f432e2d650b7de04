"""`btkit config show | set | path`."""

from __future__ import annotations

from typing import Optional

import typer

from btkit import config
from commands._common import env
from commands._group import command_group

app = command_group('Show and change btkit settings.', [
    'btkit config show',
    'btkit config set network http://10.0.0.5:9944',
    'btkit config set wallet.name alice',
])


@app.command()
def show() -> None:
    """Every setting, its value and where the value came from."""
    cfg = config.load()
    data = {k: {"value": cfg.values[k], "source": cfg.sources[k]} for k in config.KEYS}

    def human(out) -> None:
        from btkit.tables import Column, print_table

        print_table(out, [Column("key"), Column("value"), Column("source", drop=1)],
                    [[key, item["value"], item["source"]] for key, item in data.items()])

    env().result({"path": str(cfg.path), "settings": data}, human)


@app.command("set")
def set_(key: Optional[str] = typer.Argument(None, help=f"One of: {', '.join(config.KEYS)}"),
         value: Optional[str] = typer.Argument(None, help="The new value (checked before it is written)."),
         wallet_name: Optional[str] = typer.Option(None, "--wallet-name", help="btcli's spelling: wallet.name."),
         wallet_path: Optional[str] = typer.Option(None, "--wallet-path", help="btcli's spelling: wallet.path."),
         hotkey: Optional[str] = typer.Option(None, "--hotkey", help="btcli's spelling: wallet.hotkey."),
         network: Optional[str] = typer.Option(None, "--network", help="btcli's spelling: network.")) -> None:
    """Write KEY = VALUE into the config file, or btcli's `--wallet-name X --network Y ...`
    (every value is checked before any is written).

    With --json: {"settings": {KEY: VALUE, ...}, "path"}, and "key"/"value" when one is set.
    """
    from btkit.errors import UsageError

    if (key is None) != (value is None):
        raise UsageError("give KEY and VALUE", hint="btkit config set network http://10.0.0.5:9944")
    settings = {} if key is None else {key: value}
    flags = {"wallet.name": wallet_name, "wallet.path": wallet_path, "wallet.hotkey": hotkey, "network": network}
    settings.update((k, v) for k, v in flags.items() if v is not None)
    if not settings:
        raise UsageError("nothing to set: give KEY VALUE (or --wallet-name, --wallet-path, --hotkey, --network)",
                         hint="btkit config set wallet.name alice")
    path = config.set_values(settings)
    data = {"settings": settings, "path": str(path)}
    if len(settings) == 1:
        data.update(key=next(iter(settings)), value=next(iter(settings.values())))
    env().result(data, lambda out: [out.print(f"{k} = {v}  ({path})", markup=False) for k, v in settings.items()])


@app.command()
def path() -> None:
    """Print the config file's path."""
    p = config.config_path()
    env().result({"path": str(p), "exists": p.exists()}, lambda out: out.print(str(p)))
