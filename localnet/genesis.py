"""Genesis: the dev accounts and their balances (spec: chain.md, Genesis)."""

from __future__ import annotations

from typing import Any

from localnet.runtime import balances, system

TAO = 10**9
DEV_ACCOUNTS: tuple[tuple[str, int], ...] = (
    ("//Alice", 1_000_000 * TAO),
    ("//Bob", 1_000_000 * TAO),
    ("//Charlie", 1_000_000 * TAO),
    ("//Dave", 2_000 * TAO),
    ("//Eve", 2_000 * TAO),
    ("//Ferdie", 2_000 * TAO),
)
SUDO_URI = "//Alice"


def dev_addresses() -> list[tuple[str, str, int]]:
    """(uri, ss58, balance) of every dev account."""
    from keystore.keys import Keypair

    return [(uri, Keypair.from_uri(uri).ss58_address, amount) for uri, amount in DEV_ACCOUNTS]


def genesis_state(profile: str = "dev") -> dict[str, Any]:
    from localnet.state import Overlay

    state: dict[str, Any] = {}
    overlay = Overlay(state)
    for _, address, amount in dev_addresses():
        balances.mint(overlay, address, amount)
    overlay.set("sudo", dev_addresses()[0][1])
    overlay.set("profile", profile)
    system.on_initialize(overlay, 0)
    overlay.merge_into_parent()
    return state
