"""`btkit explain ERROR`: the long form of a chain error."""

from __future__ import annotations

from typing import Optional

import typer

from btkit.errors import UsageError
from commands._common import env
from commands._group import command_group, examples_epilog

app = command_group('Explain a chain error name.')


@app.command(epilog=examples_epilog(['btkit explain SettingWeightsTooFast', 'btkit explain']))
def explain(name: Optional[str] = typer.Argument(None, help="e.g. SettingWeightsTooFast (omit to list all).")) -> None:
    """Explain a chain error (e.g. `btkit explain TooManyRegistrationsThisInterval`)."""
    from btkit.explain import ERRORS, lookup

    if name is None:
        env().result({"errors": sorted(ERRORS)}, lambda out: [out.print(n) for n in sorted(ERRORS)])
        return
    found = lookup(name)
    if found is None:
        raise UsageError(f"unknown error {name!r}", hint="`btkit explain` lists every error btkit knows")
    full, (text, fix) = found
    env().result({"error": full, "meaning": text, "fix": fix},
                 lambda out: out.print(f"{full}\n\n  {text}.\n\n  Fix: {fix}", markup=False))
