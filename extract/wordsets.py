"""Per-word tests, remembered, and asked of a whole sentence at once.

Why: the linking passes walk every word of every sentence, and in most
sentences no word passes a pass's first test (no head noun, no coreference
word, no place word...).  A :class:`WordTest` remembers each word's answer and
says, with set operations that run in C, whether any word of a sentence
passes; a pass then walks only the sentences that have one.  The test must
depend on the word alone (and on data that does not change while the test
lives, such as a loaded gazetteer).

Examples
--------
>>> vowels = WordTest(lambda w: w.count("a") or None)
>>> vowels.any_in(["xyz", "banana"]), vowels.any_in(["xyz"])
(True, False)
>>> vowels.get("banana"), vowels.get("xyz")
(3, None)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["WordTest"]

V = TypeVar("V")


class WordTest(Generic[V]):
    """A word test whose answers are kept (up to ``cap`` words, then forgotten at once).

    Parameters
    ----------
    test : callable
        A word's value, or None for a word that does not pass.  It may run
        more than once for a word when threads share the test; its answer
        must not change.
    cap : int
        How many words to remember: a long build over a real vocabulary must
        not grow memory without bound.
    """

    __slots__ = ("_test", "_known", "_hits", "_cap")

    def __init__(self, test: Callable[[str], V | None], cap: int = 1 << 17) -> None:
        self._test = test
        self._known: set[str] = set()
        self._hits: dict[str, V] = {}
        self._cap = cap

    def any_in(self, words: Sequence[str]) -> bool:
        """Whether any of ``words`` passes (each new word is tested once)."""
        if not self._known.issuperset(words):
            self._learn(words)
        return not self._hits.keys().isdisjoint(words)

    def get(self, word: str) -> V | None:
        """A word's value; None if it does not pass (tested now if not known)."""
        value = self._hits.get(word)
        if value is None and word not in self._known:
            value = self._learn_one(word)
        return value

    def _learn(self, words: Sequence[str]) -> None:
        if len(self._known) >= self._cap:
            self._known.clear()
            self._hits.clear()
        for word in words:
            if word not in self._known:
                self._learn_one(word)

    def _learn_one(self, word: str) -> V | None:
        # The value before the word is marked known: a thread that finds the
        # word known finds its value too (and get() re-tests a word forgotten
        # at the cap in between).
        value = self._test(word)
        if value is not None:
            self._hits[word] = value
        self._known.add(word)
        return value
