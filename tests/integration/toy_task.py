"""A task without torch for neuron tests: miners echo a number; the validator scores the echo.

The validator's ``score`` is the echoed value over the expected one, so a miner answering "nan" or
"inf" makes the validator see a NaN or infinite score (what a buggy task might return).
"""

from __future__ import annotations

from typing import Any


class Echo:
    name = "echo"
    request_schema: dict[str, Any] = {"type": "object"}

    def challenge(self, seed: int) -> tuple[dict[str, Any], Any]:
        x = seed % 1000 + 1
        return {"x": x}, x

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"y": query["x"]}

    def score(self, secret: Any, answer: Any) -> float:
        return float(answer["y"]) / secret

    def answer_schema(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object"}


class HalfEcho(Echo):
    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"y": query["x"] / 2}


class NanEcho(Echo):
    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"y": "nan"}


class InfEcho(Echo):
    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        return {"y": "inf"}
