"""Chain error names (subtensor's) explained as a sentence with the fix.

``btkit explain ERROR`` prints the long form; dispatch failures use the short form.
"""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
    "Balances.InsufficientBalance": (
        "the account's free balance is lower than the amount",
        "check `btkit wallet balance` and transfer a smaller amount"),
    "Balances.KeepAlive": (
        "the transfer would take the sender below the existential deposit (500 rao)",
        "leave at least 500 rao, or send everything with transfer_allow_death"),
    "Balances.ExistentialDeposit": (
        "a new account must receive at least the existential deposit (500 rao)",
        "send at least 0.0000005 TAO"),
}


def explain_short(name: str, message: str = "") -> tuple[str, str]:
    text, fix = ERRORS.get(name, (message or "the call failed", ""))
    if message and message != name and name in ERRORS:
        text = f"{text} ({message})"
    return text, fix
