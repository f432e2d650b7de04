"""`btkit config show | set | path`."""

from __future__ import annotations

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
def set_(key: str = typer.Argument(..., help=f"One of: {', '.join(config.KEYS)}"),
         value: str = typer.Argument(..., help="The new value (checked before it is written).")) -> None:
    """Write KEY = VALUE into the config file."""
    path = config.set_value(key, value)
    env().result({"key": key, "value": value, "path": str(path)},
                 lambda out: out.print(f"{key} = {value}  ({path})"))


@app.command()
def path() -> None:
    """Print the config file's path."""
    p = config.config_path()
    env().result({"path": str(p), "exists": p.exists()}, lambda out: out.print(str(p)))
