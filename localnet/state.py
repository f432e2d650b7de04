"""Key-value state with nested overlays: a failed extrinsic's changes are simply dropped.

Values are immutable JSON scalars/tuples-as-lists treated as immutable: handlers read,
compute a new value and ``set`` it; they never mutate a value in place.
"""

from __future__ import annotations

from typing import Any

_DELETED = object()


class Overlay:
    """Changes on top of a parent (a dict or another overlay)."""

    __slots__ = ("parent", "changes")

    def __init__(self, parent: "dict[str, Any] | Overlay") -> None:
        self.parent = parent
        self.changes: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.changes:
            value = self.changes[key]
            return default if value is _DELETED else value
        return self.parent.get(key, default)

    def int(self, key: str) -> int:
        return int(self.get(key, 0))

    def set(self, key: str, value: Any) -> None:
        self.changes[key] = value

    def delete(self, key: str) -> None:
        self.changes[key] = _DELETED

    def add(self, key: str, delta: int) -> int:
        value = self.int(key) + delta
        if value:
            self.set(key, value)
        else:
            self.delete(key)
        return value

    def merge_into_parent(self) -> None:
        if isinstance(self.parent, Overlay):
            self.parent.changes.update(self.changes)
        else:
            apply_changes(self.parent, self.changes)

    def final_changes(self) -> dict[str, Any]:
        """Changes as ``key -> value or None`` (None = deleted)."""
        return {k: (None if v is _DELETED else v) for k, v in self.changes.items()}


def apply_changes(base: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if value is _DELETED or value is None:
            base.pop(key, None)
        else:
            base[key] = value
