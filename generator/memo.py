"""Results kept from one generation to the next, by the content they were worked out from.

`mktogether serve` generates the site again on every change. What a change did not touch is not
worked out again: each costly step keeps its results under a key made of everything it read (a
file's bytes, the files of two editions, the files a page depends on), so an edit to one board
file reads that file again, compares its edition again and renders again only the pages whose
`Page.depends` name it. The key is the whole truth: a result is reused only when what it read is
the same, so a preview's pages are the pages of a clean build (tests/test_incremental.py).

A result not used by one generation is dropped at the next, so memory stays flat however long a
preview runs. A one-off build starts empty, and pays only for computing the keys.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    def __init__(self, name: str):
        self.name = name
        self.now: dict[Hashable, T] = {}  # used by the current generation
        self.before: dict[Hashable, T] = {}  # kept from the last one
        self.computed: list[Hashable] = []  # what the current generation had to work out
        MEMOS.append(self)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self.now:
            return self.now[key]
        if key in self.before:
            value = self.before.pop(key)
        else:
            value = compute()
            self.computed.append(key)
        self.now[key] = value
        return value

    def forget(self, key: Hashable) -> None:
        """Not to be kept: a result whose diagnostics were not kept with it."""
        self.now.pop(key, None)

    def new_generation(self) -> None:
        self.before, self.now, self.computed = self.now, {}, []

    def clear(self) -> None:
        self.now, self.before, self.computed = {}, {}, []


MEMOS: list[Memo] = []  # type: ignore[type-arg]


def new_generation() -> None:
    """Start a generation: what the last one used is kept until this one has used it or not."""
    for memo in MEMOS:
        memo.new_generation()


def clear() -> None:
    for memo in MEMOS:
        memo.clear()


def digest(*parts: str | bytes) -> str:
    """A short name for some content, for keys."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
