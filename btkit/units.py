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


class Alpha(Balance):
    """An amount of a subnet's alpha token in rao (10^9 rao = 1 alpha), shown with ``α``."""

    __slots__ = ()

    @classmethod
    def from_alpha(cls, value: "str | int | float | Decimal") -> "Alpha":
        return cls(Balance.from_tao(str(value).strip().lstrip("α")).rao)

    def __str__(self) -> str:
        return "α" + super().__str__()[1:] if self.rao >= 0 else "-α" + super().__str__()[2:]

    def __repr__(self) -> str:
        return f"Alpha({self.rao})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Alpha) and other.rao == self.rao

    def __hash__(self) -> int:
        return hash(("alpha", self.rao))

    def to_json(self) -> dict[str, object]:
        return {"rao": self.rao, "alpha": str(self.tao)}


def price_str(rao_per_alpha: int) -> str:
    """A pool price (rao of TAO per 1 alpha) for people: ``τ1.234567890/α``."""
    return f"{Balance(rao_per_alpha)}/α"
