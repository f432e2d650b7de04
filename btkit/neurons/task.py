"""Tasks: what validators ask and miners answer. Plug your own with ``--task package.module:Class``.

A task has a validator side (``challenge`` makes a query and keeps a secret; ``score`` grades an
answer in [0, 1] against that secret) and a miner side (``answer``). For the validator's gateway
(client requests), it also declares ``request_schema`` (JSON Schema of a client's query; the gateway
refuses anything else before any miner is called), ``answer_schema(query)`` (what a usable answer to
that query looks like; answers that do not match count as failures) and, optionally,
``combine(query, answers)`` (one answer from several miners' answers). The built-in task is real ML
that needs no download: forecast the next values of a seeded synthetic time series that only the
validator can extend; the reference miner fits an autoregressive model with torch.
"""

from __future__ import annotations

import importlib
import math
import random
from typing import Any, Protocol


class Task(Protocol):
    name: str
    request_schema: dict[str, Any]

    def challenge(self, seed: int) -> tuple[dict[str, Any], Any]: ...

    def answer(self, query: dict[str, Any]) -> dict[str, Any]: ...

    def score(self, secret: Any, answer: Any) -> float: ...

    def answer_schema(self, query: dict[str, Any]) -> dict[str, Any]: ...

    # optional: def combine(self, query, answers: list[dict]) -> dict | None


def load_task(spec: str | None) -> Task:
    """``package.module:Class`` (or the built-in ``forecast``)."""
    if not spec or spec == "forecast":
        return Forecast()
    from btkit.errors import UsageError

    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr or "Task")
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"cannot load task {spec!r}: {exc}", hint="use package.module:Class") from None
    return cls()


LENGTH, HORIZON = 64, 8


def synthetic_series(seed: int, n: int) -> list[float]:
    """Seasonal components, a trend and noise; deterministic for a seed."""
    rng = random.Random(seed)
    parts = [(rng.uniform(0.5, 2.0), rng.uniform(4, 24), rng.uniform(0, 2 * math.pi)) for _ in range(2)]
    trend, level, noise = rng.uniform(-0.02, 0.02), rng.uniform(-1, 1), rng.uniform(0.02, 0.1)
    return [level + trend * t + sum(a * math.sin(2 * math.pi * t / p + ph) for a, p, ph in parts)
            + rng.gauss(0, noise) for t in range(n)]


class Forecast:
    """Forecast the next 8 values of a 64-step series; the miner fits an AR(16) model with torch."""

    name = "forecast"
    lags = 16
    request_schema = {
        "type": "object",
        "required": ["series", "horizon"],
        "properties": {
            "task": {"const": "forecast"},
            "series": {"type": "array", "items": {"type": "number"}, "minItems": 24, "maxItems": 4096},
            "horizon": {"type": "integer", "minimum": 1, "maximum": 64},
        },
        "additionalProperties": False,
    }

    def answer_schema(self, query: dict[str, Any]) -> dict[str, Any]:
        n = int(query["horizon"])
        return {"type": "object", "required": ["forecast"],
                "properties": {"forecast": {"type": "array", "items": {"type": "number"}, "minItems": n,
                                            "maxItems": n}}}

    def combine(self, query: dict[str, Any], answers: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The element-wise median of the answers' forecasts (one liar among three cannot move it)."""
        import statistics

        if not answers:
            return None
        return {"forecast": [statistics.median(column) for column in zip(*(a["forecast"] for a in answers))]}

    def challenge(self, seed: int) -> tuple[dict[str, Any], Any]:
        series = synthetic_series(seed, LENGTH + HORIZON)
        return {"task": self.name, "series": series[:LENGTH], "horizon": HORIZON}, series[LENGTH:]

    def score(self, secret: Any, answer: Any) -> float:
        try:
            forecast = [float(x) for x in answer["forecast"]]
        except (TypeError, KeyError, ValueError):
            return 0.0
        if len(forecast) != len(secret) or not all(math.isfinite(x) for x in forecast):
            return 0.0
        mse = sum((a - b) ** 2 for a, b in zip(forecast, secret)) / len(secret)
        spread = max(1e-6, (max(secret) - min(secret)) ** 2)
        return math.exp(-mse / spread * 4)

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        import torch

        series = torch.tensor(query["series"], dtype=torch.float64)
        horizon = int(query["horizon"])
        k = self.lags
        x = torch.stack([series[i:i + k] for i in range(len(series) - k)])
        x = torch.cat([x, torch.ones(len(x), 1, dtype=torch.float64)], dim=1)
        y = series[k:]
        coef = torch.linalg.lstsq(x, y.unsqueeze(1), driver="gelsd").solution.squeeze(1)
        window = series[-k:].tolist()
        out = []
        for _ in range(horizon):
            nxt = float(torch.dot(torch.tensor(window[-k:] + [1.0], dtype=torch.float64), coef))
            out.append(nxt)
            window.append(nxt)
        return {"forecast": out}


class NaiveForecast(Forecast):
    """A weaker miner: repeats the last value."""

    name = "forecast"

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"forecast": [query["series"][-1]] * int(query["horizon"])}


class BrokenForecast(Forecast):
    """A broken miner: wrong answers, and now and then too slow to answer at all."""

    name = "forecast"

    def __init__(self) -> None:
        self.calls = -1  # the warm-up call does not count

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        import time

        self.calls += 1
        if self.calls % 2 == 0:
            time.sleep(30)  # past any validator timeout
        return {"forecast": "not a forecast"}
