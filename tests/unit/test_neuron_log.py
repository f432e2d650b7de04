"""Neuron status lines: one shape for served/refused/errors, no empty fields in text."""

from __future__ import annotations

import json

from btkit.net.axon import Stats
from btkit.neurons.runtime import Log


def test_status_fields_are_the_same_everywhere():
    stats = Stats()
    assert stats.fields() == {"served": 0, "refused": 0, "errors": 0}
    stats.served = 5
    stats.refuse("unregistered")
    stats.refuse("unregistered")
    stats.refuse("stale")
    assert stats.fields() == {"served": 5, "refused": 3, "refused_by": {"unregistered": 2, "stale": 1}, "errors": 0}


def test_text_lines_leave_out_empty_fields_json_keeps_them(capsys):
    Log("text", "miner-1")("serving", announced=True, error=None, failures={}, weights="", uid=3)
    line = capsys.readouterr().err
    assert "error=" not in line and "failures=" not in line and "weights=" not in line
    assert "announced=True" in line and "uid=3" in line
    Log("json", "miner-1")("serving", announced=True, error=None)
    doc = json.loads(capsys.readouterr().err)
    assert doc["error"] is None and doc["event"] == "serving"
