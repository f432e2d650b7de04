"""Tables that fit the terminal: columns are shortened or dropped by width, a cell is never cut.

A command describes its columns once (``Column``) and hands rows of cell strings to
:func:`print_table`. When the table is wider than the terminal (``COLUMNS``, else the terminal's
width; pipes get the whole table), it gives way in this order until it fits:

1. addresses (``kind="address"``) show their first 8 characters instead of all 48;
2. headers take their short forms (``Column.short``: ``incentive`` -> ``incent``);
3. columns are dropped, the highest ``drop`` first (``drop=0``: never), and a note on stderr
   names them.

No number and no header is ever truncated; ``--wide`` (a global flag) shows every column in full.

Example (what ``stake list`` does)::

    cols = [Column("netuid", align="right"), Column("hotkey", kind="address", drop=2),
            Column("stake", align="right")]
    print_table(out, cols, [[str(s.netuid), s.hotkey, tao(s.stake)] for s in stakes])
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

GAP = 2
SHORT_ADDRESS = 8
SYMBOLS = {"tao": "τ", "alpha": "α"}  # a subnet's alpha (dynamic TAO) next to TAO


@dataclass(frozen=True)
class Column:
    """One column: ``header``, its abbreviation ``short``, alignment, kind, and when to drop it."""

    header: str
    short: str | None = None
    align: Literal["left", "right"] = "left"
    kind: Literal["text", "address"] = "text"
    drop: int = 0  # 0: always shown; otherwise dropped when too wide, highest first


def tao(amount: Any, decimals: int = 4, symbol: str | None = None) -> str:
    """An amount (``Balance`` or rao int) as ``τ1,234.5678`` (rounded, never cut); an ``Alpha`` (or
    ``symbol="α"``) reads ``α1,234.5678``."""
    from btkit.units import Alpha

    if symbol is None:
        symbol = SYMBOLS["alpha"] if isinstance(amount, Alpha) else SYMBOLS["tao"]
    rao = getattr(amount, "rao", amount)
    return f"{symbol}{int(rao) / 1e9:,.{decimals}f}"


def u16(value: int, decimals: int = 4) -> str:
    """A u16 fixed-point field (consensus, incentive, trust, ...) as a 0-1 float."""
    return f"{int(value) / 65535:.{decimals}f}"


def terminal_width(stream: IO[str]) -> int | None:
    """``COLUMNS`` when set, else the terminal's width; None (no limit) for pipes and files."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return None


def render(columns: Sequence[Column], rows: Sequence[Sequence[str]],
           width: int | None) -> tuple[list[str], list[str]]:
    """(the table's lines, headers of the columns dropped to fit ``width``); None = no limit."""
    shown = list(range(len(columns)))
    short_addresses = False
    short_headers = False

    def cell(i: int, value: str) -> str:
        if short_addresses and columns[i].kind == "address" and len(value) > SHORT_ADDRESS:
            return value[:SHORT_ADDRESS]
        return value

    def header(i: int) -> str:
        return (columns[i].short or columns[i].header) if short_headers else columns[i].header

    def widths() -> dict[int, int]:
        return {i: max([len(header(i))] + [len(cell(i, row[i])) for row in rows]) for i in shown}

    def total() -> int:
        w = widths()
        return sum(w.values()) + GAP * (len(w) - 1)

    if width is not None:
        if total() > width:
            short_addresses = True
        if total() > width:
            short_headers = True
        droppable = sorted((i for i in shown if columns[i].drop), key=lambda i: (-columns[i].drop, -i))
        for i in droppable:
            if total() <= width:
                break
            shown.remove(i)
    w = widths()

    def line(values: list[str]) -> str:
        parts = [v.rjust(w[i]) if columns[i].align == "right" else v.ljust(w[i]) for i, v in zip(shown, values)]
        return (" " * GAP).join(parts).rstrip()

    lines = [line([header(i) for i in shown])]
    lines += [line([cell(i, row[i]) for i in shown]) for row in rows]
    dropped = [columns[i].header for i in range(len(columns)) if i not in shown]
    return lines, dropped


def print_lines(out: Any, lines: Sequence[str], indent: str = "", hang: int = 4) -> None:
    """Print prose lines on ``out`` (``btkit.output.Output``) wrapped at the terminal's width (whole with --wide or on a pipe); a wrapped
    line continues ``hang`` spaces further in."""
    import textwrap

    from btkit.output import get_env

    env = get_env()
    width = None if env.wide else terminal_width(env.stdout)
    for text in lines:
        if width is None:
            out.line(indent + text)
            continue
        for part in textwrap.wrap(text, width=width - len(indent), subsequent_indent=" " * hang,
                                  break_long_words=False, break_on_hyphens=False) or [""]:
            out.line(indent + part)


def print_table(out: Any, columns: Sequence[Column], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """Print the table on ``out`` (``btkit.output.Output``) at the terminal's width, or whole with --wide;
    a note on stderr names the columns left out."""
    from btkit.output import get_env

    env = get_env()
    width = None if env.wide else terminal_width(env.stdout)
    lines, dropped = render(columns, rows, width)
    if title:
        out.line(title)
    for text in lines:
        out.line(text)
    if dropped:
        env.info(f"({', '.join(dropped)} left out at {width} columns; --wide shows every column)")
