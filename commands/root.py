"""The CLI root: lazy command groups, global flags, and the one error boundary."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from btkit import __version__
from btkit.errors import BtkitError, ExitCode, from_keystore
from btkit.output import Environment, set_env

# name -> (module, one-line help). Modules load only when their group is used.
GROUPS: dict[str, tuple[str, str]] = {
    "wallet": ("commands.wallet", "Create, import, inspect and use wallets."),
    "localnet": ("commands.localnet", "Run and inspect a local chain node."),
    "subnet": ("commands.subnet", "Create, inspect and tune subnets."),
    "register": ("commands.register", "Register a hotkey on a subnet (recycle fee)."),
    "stake": ("commands.stake", "Stake, unstake, list stakes, set a delegate's take."),
    "weights": ("commands.weights", "Set, commit, reveal and show weights."),
    "axon": ("commands.axon", "Announce a miner's endpoint on a subnet."),
    "miner": ("commands.miner", "Run miners that serve a task over signed HTTP."),
    "validator": ("commands.validator", "Run validators that score miners and set weights."),
    "explain": ("commands.explain", "Explain a chain error and how to fix it."),
    "config": ("commands.config", "Show and change btkit settings."),
}

GLOBAL_FLAGS = {"--json": "json", "--verbose": "verbose", "--no-prompt": "no_prompt", "-y": "no_prompt"}


class LazyGroup(TyperGroup):
    """Imports a command group's module only when that group is invoked."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(GROUPS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in GROUPS:
            return None
        module = importlib.import_module(GROUPS[cmd_name][0])
        command = typer.main.get_command(module.app)
        command.name = cmd_name
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in GROUPS.items()])


app = typer.Typer(
    cls=LazyGroup,
    name="btkit",
    help="btkit: wallets, a local chain, and subnet tooling for Bittensor developers.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"btkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    json_: bool = typer.Option(False, "--json", help="Print exactly one JSON document on stdout (implies --no-prompt)."),
    no_prompt: bool = typer.Option(False, "--no-prompt", "-y", help="Never ask; assume yes to confirmations."),
    verbose: bool = typer.Option(False, "--verbose", help="Show tracebacks and debug detail."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Global flags work anywhere on the command line (`btkit wallet list --json`)."""


def split_global_flags(argv: list[str]) -> tuple[dict[str, bool], list[str]]:
    """Pull the global flags out of argv wherever they are (up to a ``--``)."""
    flags = dict.fromkeys(set(GLOBAL_FLAGS.values()), False)
    rest: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg in GLOBAL_FLAGS:
            flags[GLOBAL_FLAGS[arg]] = True
        else:
            rest.append(arg)
    return flags, rest


def main(argv: list[str] | None = None) -> int:
    import keystore.errors as ks
    from click.exceptions import ClickException

    args = list(sys.argv[1:] if argv is None else argv)
    flags, args = split_global_flags(args)
    env = Environment(json=flags["json"], verbose=flags["verbose"] or bool(os.environ.get("BTKIT_VERBOSE")),
                      no_prompt=flags["no_prompt"])
    set_env(env)
    try:
        command = typer.main.get_command(app)
        result = command.main(args=args, prog_name="btkit", standalone_mode=False)
        return int(result) if isinstance(result, int) else 0
    except BtkitError as exc:
        return _fail(env, exc)
    except ks.KeystoreError as exc:
        return _fail(env, from_keystore(exc))
    except ClickException as exc:
        err = BtkitError(exc.format_message())
        err.exit_code = ExitCode(exc.exit_code) if exc.exit_code in (1, 2) else ExitCode.USAGE
        err.code = "usage"
        hint = ""
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            hint = f"see `{ctx.command_path} --help`"
        err.hint = hint
        return _fail(env, err)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err = BtkitError("interrupted")
        err.exit_code, err.code = ExitCode.INTERRUPTED, "interrupted"
        return _fail(env, err)
    except BrokenPipeError:
        return int(ExitCode.ERROR)
    except Exception as exc:  # the last line of defence: no tracebacks unless asked
        if env.verbose:
            raise
        err = BtkitError(f"internal error: {type(exc).__name__}: {exc}", hint="rerun with --verbose for the traceback")
        return _fail(env, err)


def _fail(env: Environment, exc: BtkitError) -> int:
    if env.verbose and not env.json:
        import traceback

        traceback.print_exception(exc, file=env.stderr)
    env.error(exc.code, exc.message if hasattr(exc, "message") else str(exc), exc.hint)
    return int(exc.exit_code)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
