"""Genesis: the dev accounts and their balances (spec: chain.md, Genesis)."""

from __future__ import annotations

from typing import Any

TAO = 10**9
# (secret URI, SS58 address (prefix 42), balance in rao). The addresses are Substrate's
# well-known dev accounts (`<DEV_PHRASE>//Alice`, ...), written out so that a node start does
# not derive six sr25519 keys; tests/unit/test_keys.py derives them again and compares.
DEV_ACCOUNTS: tuple[tuple[str, str, int], ...] = (
    ("//Alice", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", 1_000_000 * TAO),
    ("//Bob", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", 1_000_000 * TAO),
    ("//Charlie", "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y", 1_000_000 * TAO),
    ("//Dave", "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy", 2_000 * TAO),
    ("//Eve", "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw", 2_000 * TAO),
    ("//Ferdie", "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL", 2_000 * TAO),
)
SUDO_URI = "//Alice"


def genesis_state(profile: str = "dev", vote_weight: str = "seat") -> dict[str, Any]:
    """The state of block 0: dev balances, //Alice as sudo key and sole triumvirate member
    (``localnet.runtime.governance``), the profile, and how senate votes count (seat or stake)."""
    from localnet.runtime import balances, system  # not at import: `localnet up` reads DEV_ACCOUNTS only
    from localnet.state import Overlay

    state: dict[str, Any] = {}
    overlay = Overlay(state)
    for _, address, amount in DEV_ACCOUNTS:
        balances.mint(overlay, address, amount)
    overlay.set("sudo", DEV_ACCOUNTS[0][1])
    overlay.set("gov:triumvirate", [DEV_ACCOUNTS[0][1]])
    if vote_weight == "stake":
        overlay.set("gov:vote_weight", "stake")
    overlay.set("profile", profile)
    system.on_initialize(overlay, 0)
    overlay.merge_into_parent()
    return state
