"""A signal: each side's text -> a bag of keys; agreement = weight of the shared keys."""

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
"""A key: anything hashable both sides produce the same way, counted in a ``Counter``."""


@dataclass(frozen=True)
class KeySignal(Generic[K]):
    """Reads source and target text into comparable keys.

    ``key_weight`` says how much one shared key is worth (a year says more than "two");
    ``weight`` how much this signal counts against the others (the aligner's choice).
    """

    name: str
    source_keys: Callable[[str], Counter[K]]
    target_keys: Callable[[str], Counter[K]]
    key_weight: Callable[[K], float]
    weight: float = 1.0


def shared_weight(signal: KeySignal[K], source: Counter[K], target: Counter[K]) -> float:
    """Total weight of the keys the two bags share (multiset intersection), times the
    signal's weight."""
    if len(source) > len(target):
        source, target = target, source
    return signal.weight * sum(min(count, target[key]) * signal.key_weight(key)
                               for key, count in source.items() if key in target)
