"""The typer app every command group is made with.

Plain click help (no rich markup that would swallow ``[config wallet.path]``; option names are
never cut at 80 columns), two or three examples under each group's help, no shell-completion
options inside groups, and one "did you mean" for an unknown command.
"""

from __future__ import annotations

from typing import Any

import click
import typer
from typer.core import TyperCommand, TyperGroup


class BtkitCommand(TyperCommand):
    """typer lists the arguments under "Arguments"; click 8.5's own "Positional arguments" would repeat them."""

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        return None


class _GroupApp(typer.Typer):
    """A typer app whose commands are ``BtkitCommand``s."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", BtkitCommand)
        return super().command(*args, **kwargs)


class BtkitGroup(TyperGroup):
    """A group whose unknown commands get one suggestion (typer's and click's are not used)."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from commands.aliases import did_you_mean

            raise click.UsageError(f"No such command {name!r}." + did_you_mean(name, self.list_commands(ctx)), ctx)
        return click.Group.resolve_command(self, ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command's whole first sentence, wrapped (click would cut it with '...')."""
        rows = [(name, command.get_short_help_str(limit=200)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def examples_epilog(examples: list[str]) -> str:
    """``Examples:`` and one command per line, kept as written (click's ``\\b`` marker)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in examples)


def command_group(help: str, examples: list[str] | None = None, **kwargs: Any) -> typer.Typer:
    """A command group's typer app: ``help`` on top, ``examples`` below the options.

    A module with a single command (``register``, ``explain``) passes no examples: typer makes that
    command the group, and the command carries its own ``epilog=examples_epilog(...)``.
    """
    kwargs.setdefault("no_args_is_help", examples is not None)
    return _GroupApp(cls=BtkitGroup, help=help, epilog=examples_epilog(examples) if examples else None,
                       add_completion=False,
                       rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]}, **kwargs)


def click_command(app: typer.Typer) -> click.Command:
    """The click command of a group's typer app, with its arguments' help text.

    typer 0.24 sets an argument's help before calling click 8.5's ``Argument.__init__``, which
    resets it to None; the help is put back from the typer declarations.
    """
    import inspect

    command = typer.main.get_command(app)
    subcommands = getattr(command, "commands", None) or {None: command}
    for info in app.registered_commands:
        target = subcommands.get(info.name or info.callback.__name__.replace("_", "-")) if len(subcommands) > 1 \
            else next(iter(subcommands.values()))
        if target is None:
            continue
        declared = inspect.signature(info.callback).parameters
        for param in target.params:
            default = declared[param.name].default if param.name in declared else None
            if param.param_type_name == "argument" and getattr(default, "help", None):
                param.help = default.help
    return command
