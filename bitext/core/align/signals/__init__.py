"""Small scorers for what sentence embeddings miss: numbers and dates, names.

Each turns a sentence into a bag of comparable keys (a number's value, a name's folded
romanisation); two sentences agree as much as their bags share. Which scorers apply, and
how they read each side, depends on the two languages only.
"""

from bitext.core.align.signals.base import KeySignal, shared_weight, signals_for

__all__ = ["KeySignal", "shared_weight", "signals_for"]
