"""The typed values of btkit.chain against the localnet's shapes (no node needed)."""

from __future__ import annotations

import dataclasses

import pytest

from btkit.chain import Hyperparameters, SubmitResult, u16_to_float
from btkit.chain.localnet import _neuron
from btkit.units import Alpha, Balance


def test_hyperparameters_name_every_localnet_hyperparameter():
    from localnet.runtime.subnets import HYPERPARAMETERS, default_hyperparameters

    assert set(Hyperparameters.names()) == set(HYPERPARAMETERS)  # a new one must be added to the type too
    hp = Hyperparameters.from_mapping(default_hyperparameters("dev"))
    assert hp.to_json() == default_hyperparameters("dev")
    assert hp.pow_difficulty == max(hp.min_difficulty, min(hp.max_difficulty, hp.difficulty))


def test_a_neuron_keeps_the_localnet_json_shape():
    from localnet.runtime.subnets import new_neuron

    raw = {"uid": 3, **new_neuron("5Hot", "5Cold", 7), "stake": 12, "take": 11796,
           "axon": {"block": 9, "version": 1, "ip": "10.0.0.1", "port": 8091, "ip_type": 4, "protocol": 4}}
    raw.pop("weights"), raw.pop("bonds")
    neuron = _neuron(raw, 1)
    assert neuron.stake == Alpha(12) and neuron.axon.url == "http://10.0.0.1:8091" and not neuron.axon.gateway
    assert neuron.emission == Alpha(raw["emission"])  # a subnet's stake and emission are its alpha
    assert _neuron(raw, 0).stake == Balance(12)  # root's are TAO
    shown = {k: v for k, v in neuron.to_json().items() if k != "axon"}
    assert shown == {k: Alpha(v) if k in ("stake", "emission") else v for k, v in raw.items() if k != "axon"}
    assert neuron.to_json()["axon"].items() >= raw["axon"].items()


def test_values_are_frozen_and_u16_converts():
    result = SubmitResult(hash="0x00", success=False, error="SubtensorModule.X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.success = True  # type: ignore[misc]
    assert u16_to_float(65535) == 1.0 and u16_to_float(0) == 0.0
