"""Table columns give way by width: a row with long cells still fits 80 columns."""

from __future__ import annotations

from btkit.tables import render


def test_wallet_overview_fits_80_columns_with_many_registrations():
    """A validator's hotkey on 40 subnets: its registrations give way too, before any line passes 80."""
    from commands.wallet import OVERVIEW_COLUMNS

    regs = ", ".join(f"{n}:{n % 7}" for n in range(1, 41))
    alpha = ", ".join(f"{n}: α1,234.5678" for n in range(1, 41))
    rows = [["validator", regs, alpha, "τ123,456.7890", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"],
            ["m1", "3:1", "3: α1.0000", "τ1.0000", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"]]
    lines, dropped = render(OVERVIEW_COLUMNS, rows, 80)
    assert all(len(line) <= 80 for line in lines), lines
    assert "τ123,456.7890" in lines[1] and "validator" in lines[1]
    few = [["m1", "3:1", "3: α1.0000", "τ1.0000", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"]]
    lines, dropped = render(OVERVIEW_COLUMNS, few, 80)  # the usual case keeps its registrations and alpha
    assert dropped == [] and "3:1" in lines[1] and "α1.0000" in lines[1]
