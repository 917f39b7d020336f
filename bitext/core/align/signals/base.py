"""A signal: each side's text -> a bag of keys; agreement = weight of the shared keys."""

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
"""A key: anything hashable both sides produce the same way, counted in a ``Counter``."""


@dataclass(frozen=True)
class KeySignal(Generic[K]):
    """Reads source and target text into comparable keys.

    ``key_weight`` says how much one shared key is worth (a year says more than "two").
    """

    name: str
    source_keys: Callable[[str], Counter[K]]
    target_keys: Callable[[str], Counter[K]]
    key_weight: Callable[[K], float]


def shared_weight(signal: KeySignal[K], source: Counter[K], target: Counter[K]) -> float:
    """Total weight of the keys the two bags share (multiset intersection)."""
    if len(source) > len(target):
        source, target = target, source
    return sum(min(count, target[key]) * signal.key_weight(key)
               for key, count in source.items() if key in target)


def signals_for(source_language: str, target_language: str,
                source_texts: Sequence[str] = (),
                target_texts: Sequence[str] = ()) -> list[KeySignal[Any]]:
    """The signals that make sense for this pair of languages.

    Numbers apply to every pair (digits are common to all scripts; number words only
    where a language's reader exists). Names apply when exactly one side is Chinese: its
    names are matched against the romanised names of the other side.
    """
    from bitext.core.align.signals.names import name_signal
    from bitext.core.align.signals.numbers import number_signal
    from bitext.core.text.languages import is_chinese

    signals: list[KeySignal[Any]] = [number_signal(source_language, target_language)]
    if is_chinese(source_language) != is_chinese(target_language):
        signals.append(name_signal(source_language, target_language,
                                   source_texts, target_texts))
    return signals
