"""Extension points: how a later stage plugs into an earlier one without being named by it.

An app that offers extension points declares each one as a `Hook` in its own `hooks.py`,
with a docstring that says what a registered item receives and returns. An app that uses
one registers in its `AppConfig.ready()`, never as a side effect of importing a module, so
`grep -rn "<hook name>.register"` finds every contributor. Items are kept in the order they
were registered; registering the same key again replaces the earlier item (so `ready()` may
run twice in tests without doubling anything).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._items: dict[str, T] = {}

    def register(self, item: T, *, key: str | None = None) -> T:
        """Add `item` under `key` (by default the item's module and qualified name)."""
        self._items[key or _key_of(item)] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def items(self) -> dict[str, T]:
        return dict(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    @contextmanager
    def replaced(self, *items: T) -> Iterator[None]:
        """For tests: only `items` are registered inside the block."""
        saved = self._items
        self._items = {_key_of(item): item for item in items}
        try:
            yield
        finally:
            self._items = saved

    @contextmanager
    def added(self, item: T) -> Iterator[None]:
        """For tests: `item` is registered inside the block, as well as the usual ones."""
        key = _key_of(item)
        self.register(item, key=key)
        try:
            yield
        finally:
            self.unregister(key)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._items)} registered>"


def _key_of(item: object) -> str:
    key = getattr(item, "key", None)
    if isinstance(key, str):
        return key
    if callable(item):
        return f"{getattr(item, '__module__', '')}.{getattr(item, '__qualname__', repr(item))}"
    return repr(item)
