"""Small scorers for what sentence embeddings miss (numbers and dates, names), by name.

Each turns a sentence into a bag of comparable keys (a number's value, a name's folded
romanisation); two sentences agree as much as their bags share. A signal is a module
with two functions, registered in ``SIGNALS`` under its name:

- ``applies(source_language, target_language) -> bool``: whether it reads this pair;
- ``signal(source_language, target_language, source_texts, target_texts) -> KeySignal``:
  its readers of each side (told the whole texts, for readers that learn from them).

Adding a signal takes its module and one entry below (its name and the module's import
path, imported on first use); an aligner names the signals it uses, each with its weight
(``DEFAULT_SIGNALS`` unless told otherwise).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib import import_module
from types import MappingProxyType
from typing import Any, Protocol

from bitext.core.align.signals.base import KeySignal, shared_weight
from bitext.errors import InputError


class SignalKind(Protocol):
    """What a signal's module offers (see the module docstring)."""

    def applies(self, source_language: str, target_language: str) -> bool: ...

    def signal(self, source_language: str, target_language: str,
               source_texts: Sequence[str], target_texts: Sequence[str]) -> KeySignal[Any]: ...


SIGNALS: dict[str, str | SignalKind] = {
    "numbers": "bitext.core.align.signals.numbers",
    "names": "bitext.core.align.signals.names",
}

DEFAULT_SIGNALS: Mapping[str, float] = MappingProxyType({"numbers": 1.0, "names": 1.0})
"""The signals an aligner uses unless told otherwise, each with its weight (a multiplier
of its shared keys' weight; ``ScoreWeights.signal_weight`` scales all of them against
the embeddings)."""


def signal_kind(name: str) -> SignalKind:
    """The registered signal ``name``: its module, imported on first use, or the object
    registered in its place."""
    kind = SIGNALS[name]
    return import_module(kind) if isinstance(kind, str) else kind


def checked_signals(chosen: Mapping[str, float]) -> dict[str, float]:
    """``chosen`` as a plain dict, or an InputError naming what is wrong with it."""
    out = {}
    for name, weight in chosen.items():
        if name not in SIGNALS:
            raise InputError(f"unknown alignment signal {name!r} "
                             f"(known: {', '.join(sorted(SIGNALS))})")
        if isinstance(weight, bool) or not isinstance(weight, int | float) \
                or not math.isfinite(weight) or weight < 0:
            raise InputError(f"alignment signal {name!r}: the weight must be a number >= 0, "
                             f"got {weight!r}")
        out[name] = float(weight)
    return out


def applicable_signals(chosen: Mapping[str, float], source_language: str,
                       target_language: str) -> dict[str, float]:
    """The chosen signals that read this pair of languages, with their weights."""
    return {name: weight for name, weight in chosen.items()
            if signal_kind(name).applies(source_language, target_language)}


def signals_for(source_language: str, target_language: str,
                source_texts: Sequence[str] = (), target_texts: Sequence[str] = (),
                chosen: Mapping[str, float] = DEFAULT_SIGNALS) -> list[KeySignal[Any]]:
    """The chosen signals that apply to this pair, ready to read these texts."""
    return [replace(signal_kind(name).signal(source_language, target_language,
                                         source_texts, target_texts),
                    name=name, weight=weight)
            for name, weight in applicable_signals(chosen, source_language,
                                                   target_language).items()]


__all__ = ["DEFAULT_SIGNALS", "SIGNALS", "KeySignal", "SignalKind", "applicable_signals",
           "checked_signals", "shared_weight", "signal_kind", "signals_for"]
