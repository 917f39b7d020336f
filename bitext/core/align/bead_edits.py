"""An editor's changes to a list of beads: merge, split, move a segment, confirm.

Pure list work, so it can be checked on its own: every edit returns a new list and leaves
the one it was given alone; the segments on each side stay the same, each once, in the
same order (only the bead boundaries move); and no bead is left empty. An edit that cannot
be made raises one clear ``InputError``. A bead an editor made or changed is ``confirmed``
and, having no score of its own, scores 0; a moved segment's beads keep their scores.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

from bitext.core.sides import Side
from bitext.errors import InputError

Operation = Literal["merge", "split", "move-forward", "move-backward", "confirm"]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)


@dataclass(frozen=True)
class EditableBead:
    """Segment positions (or ids) on each side, the score, and whether an editor confirmed
    the link."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float = 0.0
    confirmed: bool = False


def edit_beads(
    beads: Sequence[EditableBead], position: int, operation: str, *, side: Side = "original",
    source_count: int = 1, target_count: int = 1,
) -> list[EditableBead]:
    """``operation`` on bead ``position``: merge it with the next, split it after
    ``source_count`` source and ``target_count`` target segments, move one segment on
    ``side`` across its boundary with the next bead, or confirm it."""
    if operation not in OPERATIONS:
        raise InputError(f"operation must be one of: {', '.join(OPERATIONS)}")
    if not 0 <= position < len(beads):
        raise InputError("no such bead")
    if operation == "confirm":
        return confirm(beads, position)
    if operation == "split":
        return split(beads, position, source_count, target_count)
    if operation == "merge":
        return merge(beads, position)
    return move(beads, position, side, forward=operation == "move-forward")


def confirm(beads: Sequence[EditableBead], position: int) -> list[EditableBead]:
    return _replaced(beads, position, 1, [replace(beads[position], confirmed=True)])


def split(
    beads: Sequence[EditableBead], position: int, source_count: int, target_count: int
) -> list[EditableBead]:
    bead = beads[position]
    if not (0 <= source_count <= len(bead.source) and 0 <= target_count <= len(bead.target)):
        raise InputError("cannot split there")
    first = EditableBead(bead.source[:source_count], bead.target[:target_count], 0, True)
    second = EditableBead(bead.source[source_count:], bead.target[target_count:], 0, True)
    if _is_empty(first) or _is_empty(second):
        raise InputError("a split must leave something on both sides of it")
    return _replaced(beads, position, 1, [first, second])


def merge(beads: Sequence[EditableBead], position: int) -> list[EditableBead]:
    bead, following = beads[position], _next(beads, position)
    merged = EditableBead(bead.source + following.source, bead.target + following.target,
                          0, True)
    return _replaced(beads, position, 2, [merged])


def move(
    beads: Sequence[EditableBead], position: int, side: Side, *, forward: bool
) -> list[EditableBead]:
    """Move the last segment on ``side`` to the next bead (``forward``), or the next bead's
    first one back; a bead left empty goes."""
    bead, following = beads[position], _next(beads, position)
    here, there = _on(bead, side), _on(following, side)
    if not (here if forward else there):
        raise InputError("nothing to move")
    if forward:
        here, there = here[:-1], (here[-1], *there)
    else:
        here, there = (*here, there[0]), there[1:]
    pair = [_with(bead, side, here), _with(following, side, there)]
    return _replaced(beads, position, 2, [b for b in pair if not _is_empty(b)])


def _on(bead: EditableBead, side: Side) -> tuple[int, ...]:
    return bead.source if side == "original" else bead.target


def _with(bead: EditableBead, side: Side, positions: tuple[int, ...]) -> EditableBead:
    """``bead`` with ``positions`` on ``side``, confirmed (an editor drew the boundary)."""
    if side == "original":
        return replace(bead, source=positions, confirmed=True)
    return replace(bead, target=positions, confirmed=True)


def _next(beads: Sequence[EditableBead], position: int) -> EditableBead:
    if position + 1 >= len(beads):
        raise InputError("there is no next bead")
    return beads[position + 1]


def _replaced(
    beads: Sequence[EditableBead], position: int, count: int, new: list[EditableBead]
) -> list[EditableBead]:
    return [*beads[:position], *new, *beads[position + count:]]


def _is_empty(bead: EditableBead) -> bool:
    return not bead.source and not bead.target
