"""btcli's names for btkit's commands and options, in one place.

btcli users type what their fingers know: group aliases (`subnets`, `s`, `st`, `w`, `wt`, `su`),
btcli's command shapes (`sudo set --param X --value Y`, `sudo get`, `subnets register`),
underscore and dotted option spellings (`--wallet_name`, `--wallet.name`, `--wallet_hotkey`,
`regen_coldkey`) and `--json-output`. :func:`normalize` rewrites argv into btkit's canonical
spellings before click parses it, and pulls out the global flags; it walks the command tree and
knows which options take a value, so the value of an option is never read as a flag
(`wallet sign -m -y` signs the message "-y").

Source of the names: btcli 9.23.2, ``bittensor_cli/cli.py`` (``Options`` and the ``add_typer``
aliases of ``CLIManager.__init__``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

# alias -> btkit group (btcli: `subnets`/`s`/`subnet`, `stake`/`st`, `wallet`/`wallets`/`w`,
# `weights`/`wt`/`weight`, `sudo`/`su`, `config`/`conf`/`c`)
GROUP_ALIASES: dict[str, str] = {
    "subnets": "subnet", "s": "subnet", "st": "stake", "wallets": "wallet", "w": "wallet",
    "wt": "weights", "weight": "weights", "su": "sudo", "conf": "config", "c": "config",
}

# btcli's command shapes that btkit files elsewhere: group -> {command: (group, command or None)}.
# A group that is only in this table (``sudo``) is built from its entries.
COMMAND_ALIASES: dict[str, dict[str, tuple[str, str | None]]] = {
    "subnet": {"register": ("register", None)},
    "sudo": {"set": ("subnet", "set"), "get": ("subnet", "hyperparameters"), "set-take": ("stake", "set-take"),
             "senate": ("governance", "senate"), "proposals": ("governance", "list"),
             "senate-vote": ("governance", "vote")},
}
ALIAS_GROUPS: dict[str, tuple[str, list[str]]] = {
    "sudo": ("btcli's sudo: set and get subnet hyperparameters, a delegate's take; senate, proposals, senate-vote.", [
        "btkit sudo get --netuid 1",
        "btkit sudo set --netuid 1 --param tempo --value 50 -w owner",
        "btkit sudo set-take --take 10 -w owner -H default",
    ]),
}

# other spellings -> btkit's option (underscores become dashes by the general rule)
FLAG_ALIASES: dict[str, str] = {
    "--wallet.name": "--wallet-name", "--wallet.path": "--wallet-path",
    "--wallet.hotkey": "--hotkey", "--wallet-hotkey": "--hotkey", "--wallet_hotkey": "--hotkey",
    "--subtensor.network": "--network", "--subtensor.chain_endpoint": "--network", "--chain": "--network",
    "--json-output": "--json", "--json-out": "--json", "--yes": "--no-prompt",
    "--parameter": "--param", "--ss58-address": "--ss58", "--vote-aye": "--aye", "--vote-nay": "--nay",
}

# flags that work anywhere on the command line -> Environment field
GLOBAL_FLAGS: dict[str, str] = {
    "--json": "json", "--verbose": "verbose", "--quiet": "quiet", "--no-prompt": "no_prompt", "-y": "no_prompt",
    "--wide": "wide",
}

HELP_EPILOG = ("btcli's names work too: subnets/s, st, w/wallets, wt, su, c/conf; sudo set --param X --value Y; "
               "subnets register; --wallet_name, --wallet.name, --wallet_hotkey, --json-output.")


def group_name(name: str) -> str:
    return GROUP_ALIASES.get(name, name)


def did_you_mean(typo: str, candidates: list[str], cutoff: float = 0.75) -> str:
    """`` Did you mean 'x'?`` for the one closest candidate, or ``""`` when none is close.

    Options use a higher ``cutoff`` (0.8): ``--netid`` finds ``--netuid``, while ``--wallet-name``
    on a command without one must not suggest ``--wallet-path``, an option of another meaning.
    """
    match = difflib.get_close_matches(typo, candidates, n=1, cutoff=cutoff)
    return f" Did you mean {match[0]!r}?" if match else ""


def option_names(command: Any) -> list[str]:
    """Every option name of ``command`` and the global flags, which work anywhere (for suggestions)."""
    return sorted(_options(command)[0] | set(GLOBAL_FLAGS))


def _options(command: Any) -> tuple[set[str], set[str]]:
    """(every option name of ``command``, the names that take a value)."""
    known, valued = {"-h", "--help"}, set()
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "option":
            continue
        names = set(param.opts) | set(param.secondary_opts)
        known |= names
        if not (param.is_flag or param.count):
            valued |= set(param.opts)
    return known, valued


def spell(name: str, known: set[str]) -> str:
    """btkit's spelling of option ``name`` for a command whose options are ``known``."""
    if name in known or not name.startswith("--"):
        return name
    dashed = name.replace("_", "-")
    for candidate in (FLAG_ALIASES.get(name), FLAG_ALIASES.get(dashed, dashed)):
        if candidate and (candidate in known or candidate in GLOBAL_FLAGS):
            return candidate
    return name


def normalize(argv: list[str], root: Any,
              subcommand: Callable[[Any, str], Any]) -> tuple[dict[str, bool], list[str]]:
    """Rewrite ``argv`` to btkit's spellings and pull out the global flags (up to a ``--``).

    ``root`` is the click root command, ``subcommand(group, name)`` a group's command (or None).
    Returns ``(flags, args)``; unknown names are left as typed, for click to report.
    """
    flags = dict.fromkeys(set(GLOBAL_FLAGS.values()), False)
    out: list[str] = []
    command, depth = root, 0
    known, valued = _options(command)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            name = spell(name, known)
            if name in GLOBAL_FLAGS and (depth == 0 or name not in known) and not eq:
                flags[GLOBAL_FLAGS[name]] = True
            else:
                out.append(name + eq + value)
                if name in valued and not eq and i + 1 < len(argv):
                    i += 1
                    out.append(argv[i])
        elif hasattr(command, "list_commands"):  # a group: this token names one of its commands
            if depth == 0:
                arg = group_name(arg)
            elif "_" in arg and subcommand(command, arg) is None \
                    and subcommand(command, arg.replace("_", "-")) is not None:  # btcli's regen_coldkey, burn_cost
                arg = arg.replace("_", "-")
            found = subcommand(command, arg)
            if found is not None:
                command, depth = found, depth + 1
                known, valued = _options(command)
            out.append(arg)
        else:
            out.append(arg)
        i += 1
    return flags, out
