"""Balances: integers in rao on the wire and in storage; ``τ`` for people."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import total_ordering

from btkit.errors import UsageError

RAO_PER_TAO = 10**9


@total_ordering
class Balance:
    __slots__ = ("rao",)

    def __init__(self, rao: int) -> None:
        self.rao = int(rao)

    @classmethod
    def from_tao(cls, value: "str | int | float | Decimal") -> "Balance":
        try:
            d = Decimal(str(value).strip().lstrip("τ"))
        except InvalidOperation:
            raise UsageError(f"not an amount of TAO: {value!r}") from None
        if not d.is_finite():
            raise UsageError(f"not an amount of TAO: {value!r}")
        rao = d * RAO_PER_TAO
        if rao != rao.to_integral_value():
            raise UsageError(f"{value} TAO has more than 9 decimals (1 rao = 0.000000001 TAO)")
        return cls(int(rao))

    @property
    def tao(self) -> Decimal:
        return Decimal(self.rao) / RAO_PER_TAO

    def __str__(self) -> str:
        sign = "-" if self.rao < 0 else ""
        whole, frac = divmod(abs(self.rao), RAO_PER_TAO)
        return f"{sign}τ{whole:,}.{frac:09d}"

    def __repr__(self) -> str:
        return f"Balance({self.rao})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Balance) and other.rao == self.rao

    def __lt__(self, other: "Balance") -> bool:
        return self.rao < other.rao

    def __hash__(self) -> int:
        return hash(self.rao)

    def __add__(self, other: "Balance") -> "Balance":
        return Balance(self.rao + other.rao)

    def __sub__(self, other: "Balance") -> "Balance":
        return Balance(self.rao - other.rao)

    def to_json(self) -> dict[str, object]:
        return {"rao": self.rao, "tao": str(self.tao)}
