"""Every command's --help: each option explained, defaults and [config ...] hints intact, 80 columns."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
import typer

from commands.root import GROUPS, app
from tests.conftest import ROOT


def _commands() -> list[tuple[list[str], click.Command]]:
    """(path, command) for the root, every group and every command (aliases included once)."""
    root = typer.main.get_command(app)
    found: list[tuple[list[str], click.Command]] = []

    def walk(cmd: click.Command, path: list[str]) -> None:
        found.append((path, cmd))
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(None):
                walk(cmd.get_command(None, name), [*path, name])

    walk(root, [])
    return found


COMMANDS = _commands()


def _help(path: list[str], cmd: click.Command) -> str:
    ctx = click.Context(cmd, info_name=" ".join(["btkit", *path]), terminal_width=80, max_content_width=80)
    return cmd.get_help(ctx)


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) or "btkit" for p, _ in COMMANDS])
def test_every_option_has_help_and_hints_survive(path, cmd):
    text = _help(path, cmd)
    flat = " ".join(text.split())  # a hint may wrap onto the next line
    for param in cmd.params:
        if param.param_type_name == "option" and "--help" not in param.opts:
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"
            for hint in re.findall(r"\[config [^\]]+\]", param.help):
                assert hint in flat, f"{hint} lost from {' '.join(path)} --help"
            if param.default not in (None, False) and not param.is_flag and param.show_default is not False:
                record = " ".join(param.get_help_record(click.Context(cmd))[1].split())
                assert f"[default: {param.default}" in record and record in flat, \
                    f"{' '.join(path)} {param.opts[0]} hides its default"
        if param.param_type_name == "argument":
            assert (getattr(param, "help", None) or "").strip(), f"{' '.join(path)} {param.name} has no help"
    assert "--install-completion" not in text and "--show-completion" not in text
    assert "…" not in text
    for line in text.splitlines():
        long_words = [w for w in line.split() if len(w) > 40]  # a path or URL may not wrap
        assert len(line) <= 80 or long_words, f"{' '.join(path)}: {line!r}"
    if isinstance(cmd, click.Group) and path:
        examples = text.split("Examples:", 1)
        assert len(examples) == 2, f"btkit {' '.join(path)} --help has no examples"
        assert 2 <= sum(line.strip().startswith("btkit ") for line in examples[1].splitlines()) <= 3


def test_group_and_single_commands_help_at_80_columns_through_the_cli():
    """The real process, for each group: exit 0, examples, nothing cut, `[config ...]` intact."""
    env = {"COLUMNS": "80", "PATH": "/usr/bin:/bin"}
    for group in [*GROUPS, "sudo"]:
        out = subprocess.run([sys.executable, "-m", "btkit", group, "--help"], capture_output=True, text=True,
                             cwd=ROOT, env=env, timeout=30)
        assert out.returncode == 0, out.stderr
        assert "Examples:" in out.stdout
        assert max(len(line) for line in out.stdout.splitlines()) <= 80
    out = subprocess.run([sys.executable, "-m", "btkit", "wallet", "create", "--help"], capture_output=True,
                         text=True, cwd=ROOT, env=env, timeout=30)
    assert "[config wallet.path]" in out.stdout and "[config wallet.name]" in out.stdout
    assert "[default: 12]" in out.stdout and "--install-completion" not in out.stdout
