"""The CLI root: lazy command groups, global flags, and the one error boundary."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer

from btkit import __version__
from btkit.errors import BtkitError, ExitCode, from_keystore
from btkit.output import Environment, set_env
from commands import aliases
from commands._group import BtkitGroup, click_command, examples_epilog

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
    "query": ("commands.query", "Query a subnet through a validator's gateway."),
    "gateway": ("commands.gateway", "Use validators' gateways as a client (credit)."),
    "governance": ("commands.governance", "Propose changes; senators vote; the sudo key closes."),
    "network": ("commands.network", "Which node answers at --network: kind, chain, runtime, head."),
    "explain": ("commands.explain", "Explain a chain error and how to fix it."),
    "config": ("commands.config", "Show and change btkit settings."),
}


class LazyGroup(BtkitGroup):
    """Imports a command group's module only when that group is invoked; resolves btcli's names."""

    _loaded: dict[str, Any] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*GROUPS, *aliases.ALIAS_GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        name = aliases.group_name(cmd_name)
        if name not in self._loaded:
            if name in GROUPS:
                command = click_command(importlib.import_module(GROUPS[name][0]).app)
                command.name = name
            elif name in aliases.ALIAS_GROUPS:
                help_, examples = aliases.ALIAS_GROUPS[name]
                command = BtkitGroup(name=name, help=help_, epilog=examples_epilog(examples), no_args_is_help=True,
                                     rich_markup_mode=None)
            else:
                return None
            for alias, (group, sub) in aliases.COMMAND_ALIASES.get(name, {}).items():
                target = self.get_command(ctx, group)
                command.add_command(target if sub is None else target.get_command(ctx, sub), alias)
            self._loaded[name] = command
        return self._loaded[name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in GROUPS.items()]
                               + [(name, text) for name, (text, _) in aliases.ALIAS_GROUPS.items()])


app = typer.Typer(
    cls=LazyGroup,
    name="btkit",
    help="btkit: wallets, a local chain, and subnet tooling for Bittensor developers.",
    epilog=aliases.HELP_EPILOG,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from btkit.output import get_env

        get_env().result({"version": __version__}, lambda out: out.line(f"btkit {__version__}"))
        raise typer.Exit()


@app.callback()
def root(
    json_: bool = typer.Option(False, "--json", help="Print exactly one JSON document on stdout (implies "
                               "--no-prompt; alias --json-output)."),
    no_prompt: bool = typer.Option(False, "--no-prompt", "-y", help="Never ask; assume yes to confirmations."),
    verbose: bool = typer.Option(False, "--verbose", help="Show tracebacks and debug detail."),
    quiet: bool = typer.Option(False, "--quiet", help="Print results and errors only (no progress or notes)."),
    wide: bool = typer.Option(False, "--wide", help="Tables show every column in full, whatever the width."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Global flags work anywhere on the command line (`btkit wallet list --json`)."""


def main(argv: list[str] | None = None) -> int:
    import keystore.errors as ks
    from click.exceptions import ClickException

    from btkit.signals import raise_on_termination, received_signal

    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the real process, not a test calling main()
        raise_on_termination()  # SIGINT/SIGTERM/SIGHUP unwind: children are stopped, one error line
    command = typer.main.get_command(app)
    env = Environment()
    set_env(env)
    try:
        flags, args = aliases.normalize(args, command, lambda group, name: group.get_command(None, name))
        env.json, env.quiet, env.no_prompt, env.wide = flags["json"], flags["quiet"], flags["no_prompt"], flags["wide"]
        env.verbose = flags["verbose"] or bool(os.environ.get("BTKIT_VERBOSE"))
        result = command.main(args=args, prog_name="btkit", standalone_mode=False)
        if result == ExitCode.INTERRUPTED and received_signal() is not None:  # typer's silent Exit(130)
            return _interrupted(env)
        return int(result) if isinstance(result, int) else 0
    except BtkitError as exc:
        return _fail(env, exc)
    except ks.KeystoreError as exc:
        return _fail(env, from_keystore(exc))
    except ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None and not env.json:
            env.stdout.write(ctx.get_help() + "\n")  # a group without its command: its help, exit 2
            return int(ExitCode.USAGE)
        err = BtkitError(_usage_message(exc))
        err.exit_code = ExitCode(exc.exit_code) if exc.exit_code in (1, 2) else ExitCode.USAGE
        err.code = "usage"
        hint = ""
        if ctx is not None:
            hint = f"see `{ctx.command_path} --help`"
        err.hint = hint
        return _fail(env, err)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _interrupted(env)
    except BrokenPipeError:
        return int(ExitCode.ERROR)
    except Exception as exc:  # the last line of defence: no tracebacks unless asked
        if env.verbose:
            raise
        err = BtkitError(f"internal error: {type(exc).__name__}: {exc}", hint="rerun with --verbose for the traceback")
        return _fail(env, err)


def _usage_message(exc: Any) -> str:
    """click's message, with one close suggestion for an unknown option (never a list)."""
    from click.exceptions import NoSuchOption

    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoSuchOption) and ctx is not None:
        return (f"No such option {exc.option_name!r}."
                + aliases.did_you_mean(exc.option_name, aliases.option_names(ctx.command), cutoff=0.8))
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        return f"`{ctx.command_path}` needs a command"
    return exc.format_message()


def _interrupted(env: Environment) -> int:
    """One "interrupted" line (or the JSON error document); exit 130 (Ctrl-C) or 128 + N for SIGTERM/SIGHUP."""
    import signal

    from btkit.signals import received_signal

    sig = received_signal() or signal.SIGINT
    err = BtkitError("interrupted" if sig == signal.SIGINT else f"interrupted by {signal.Signals(sig).name}")
    err.exit_code, err.code = ExitCode.INTERRUPTED, "interrupted"
    _fail(env, err)
    return 128 + int(sig)


def _fail(env: Environment, exc: BtkitError) -> int:
    if env.verbose and not env.json:
        import traceback

        traceback.print_exception(exc, file=env.stderr)
    env.error(exc.code, exc.message if hasattr(exc, "message") else str(exc), exc.hint)
    return int(exc.exit_code)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
