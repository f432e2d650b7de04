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


def test_the_typed_values_share_repr_eq_and_hash_and_behave_as_dataclasses_would():
    """btkit.chain.types' ``dataclass`` shares three methods instead of compiling them per class (an
    import cost of every chain command); they must behave as dataclasses' own."""
    import dataclasses as dc

    from btkit.chain import types

    def shape(decorate):
        @decorate(frozen=True, kw_only=True)
        class Point:
            x: int
            y: Balance = Balance(0)
            note: str = dc.field(default="", compare=False, repr=False)

        return Point

    ours, theirs = shape(types.dataclass), shape(dc.dataclass)
    a, b, c = ours(x=1, y=Balance(2), note="p"), ours(x=1, y=Balance(2), note="q"), ours(x=2)
    ta, tb, tc = theirs(x=1, y=Balance(2), note="p"), theirs(x=1, y=Balance(2), note="q"), theirs(x=2)
    assert repr(a) == repr(ta) == "test_the_typed_values_share_repr_eq_and_hash_and_behave_as_dataclasses_would." \
                                  "<locals>.shape.<locals>.Point(x=1, y=Balance(2))"
    assert (a == b, a == c, a != c, hash(a) == hash(b)) == (ta == tb, ta == tc, ta != tc, hash(ta) == hash(tb))
    assert a != ta and (a == 1) is False  # another class is never equal
    with pytest.raises(dc.FrozenInstanceError):
        a.x = 5
    assert dc.fields(a) and dc.replace(a, x=3).x == 3
    values = [v for v in vars(types).values()
              if isinstance(v, type) and dc.is_dataclass(v) and v.__module__ == types.__name__]
    assert len(values) > 10 and all(v.__eq__ is types._eq and v.__repr__ is types._repr for v in values)
    assert all(v.__hash__ is types._hash for v in values if v.__dataclass_params__.frozen)
