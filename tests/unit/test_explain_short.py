"""A failed extrinsic's message: btkit's explanation, plus the node's message only when it adds something."""

from __future__ import annotations

import pytest

from btkit.explain import explain_short


@pytest.mark.parametrize("name,message", [
    ("SubtensorModule.CommitRevealDisabled", "commit-reveal is off on this subnet: use set_weights"),
    ("SubtensorModule.CommitRevealEnabled", "this subnet uses commit-reveal: commit, then reveal"),
    ("SubtensorModule.SameNetuid", "origin and destination are the same stake"),
    ("SubtensorModule.InsufficientLiquidity", "the pool cannot take this swap"),
])
def test_the_nodes_message_is_not_repeated(name, message):
    text, hint = explain_short(name, message)
    head = message.split(":")[0]
    assert text.count(head) == 1, text
    assert "set_weights" not in text and hint


def test_the_nodes_detail_is_kept():
    text, _ = explain_short("SubtensorModule.HotKeyAccountNotExists", "5Grw is not a known hotkey")
    assert text == "the hotkey is unknown to the chain (no coldkey owns it yet) (5Grw is not a known hotkey)"
