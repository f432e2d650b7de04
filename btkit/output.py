"""Where output goes: results to stdout (one JSON document with ``--json``), all else to stderr.

``Environment`` is injectable (httpie style): the CLI root builds one per run and tests
can build their own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any


def _json_default(obj: Any) -> Any:
    to_json = getattr(obj, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(obj, (bytes, bytearray)):
        return "0x" + bytes(obj).hex()
    if hasattr(obj, "__fspath__"):
        return str(obj)
    raise TypeError(f"cannot serialize {type(obj).__name__}")


def dumps(data: Any) -> str:
    return json.dumps(data, default=_json_default, ensure_ascii=False)


@dataclass
class Environment:
    json: bool = False
    verbose: bool = False
    no_prompt: bool = False
    quiet: bool = False
    wide: bool = False  # tables show every column in full (btkit.tables)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    _consoles: dict[str, Any] = field(default_factory=dict, repr=False)
    emitted: bool = field(default=False, repr=False)

    @property
    def interactive(self) -> bool:
        """True when we may ask questions: a terminal, and neither --json nor --no-prompt."""
        return not (self.json or self.no_prompt) and self.stdin.isatty() and self.stderr.isatty()

    def console(self, stream: str = "stderr") -> Any:
        if stream not in self._consoles:
            from rich.console import Console

            target = self.stdout if stream == "stdout" else self.stderr
            width = None if target.isatty() else 160  # pipes and files get whole tables, not 80 columns
            self._consoles[stream] = Console(file=target, highlight=False, soft_wrap=stream == "stdout", width=width)
        return self._consoles[stream]

    # -- results ------------------------------------------------------------
    def result(self, data: Any, human: Callable[[Any], None] | None = None) -> None:
        """Emit the command's result: ``data`` as JSON, or ``human(Output)``."""
        self.emitted = True
        if self.json:
            self.stdout.write(dumps(data) + "\n")
            self.stdout.flush()
        elif human is not None:
            human(Output(self))
        else:
            self.console("stdout").print(dumps(data), markup=False)

    def error(self, code: str, message: str, hint: str = "") -> None:
        if self.json:
            if not self.emitted:
                err = {"code": code, "message": message, "hint": hint}
                self.stdout.write(dumps({"error": err}) + "\n")
                self.stdout.flush()
            else:
                self.stderr.write(f"error: {message}\n")
            return
        self.stderr.write(f"error: {message}\n")
        if hint:
            self.stderr.write(f"hint: {hint}\n")
        self.stderr.flush()

    # -- chatter on stderr -------------------------------------------------------
    def info(self, message: str) -> None:
        if not (self.json or self.quiet):
            self.console().print(message)

    def warn(self, message: str) -> None:
        self.console().print(f"[yellow]warning:[/] {message}")

    def confirm(self, question: str, default: bool = False) -> bool:
        """Ask yes/no on stderr. --no-prompt/-y and --json answer yes without asking."""
        if self.json or self.no_prompt:
            return True
        if not self.interactive:
            return False
        from rich.prompt import Confirm

        return Confirm.ask(question, default=default, console=self.console())

    @contextmanager
    def status(self, message: str) -> Iterator[None]:
        """A spinner on stderr while something slow runs (plain line when not a TTY)."""
        if self.stderr.isatty() and not (self.json or self.quiet):
            with self.console().status(message):
                yield
        else:
            yield


class Output:
    """What a command's human renderer writes to: ``line`` for plain text (tables: no rich import,
    ~0.08 s of a command's start), anything else is the stdout rich console, made on first use."""

    def __init__(self, env: Environment) -> None:
        self._env = env

    def line(self, text: str = "") -> None:
        self._env.stdout.write(text + "\n")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env.console("stdout"), name)


_current = Environment()


def get_env() -> Environment:
    return _current


def set_env(env: Environment) -> None:
    global _current
    _current = env
