"""Carry a translation forward to a new version of its original (translation-memory leverage).

A paragraph the version diff finds unchanged (spacing, punctuation width and numbering style
are no change) keeps its translation, wherever it moved; a renumbered article keeps it too,
flagged, since its translation still names the old number. Changed and new paragraphs are
listed for the translators, a changed one with its previous translation as a suggestion;
removed ones are dropped. The previous alignment may join paragraphs (two originals, one
translation paragraph): such a group is carried only whole and still together, otherwise
its paragraphs are listed with the group's translation as the suggestion.

Paragraphs are compared as provisions of their own: the first paragraph of an article is
the article's label and text, a later one is that article's next paragraph, each preamble
paragraph is numbered, so the diff's three passes (identical, amended under the same
number, moved) work paragraph by paragraph.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bitext.core.align.base import Bead
from bitext.core.align.nway import align_through_original
from bitext.core.text.numerals import numeral_value
from bitext.core.versions.diff import Operation, diff_provisions
from bitext.core.versions.provisions import Provision, split_provisions
from bitext.errors import InputError

Status = Literal["carried", "changed", "new", "regrouped"]
"""``regrouped``: unchanged, but its translation was shared with a paragraph that changed
or moved apart from it, so it cannot be carried alone."""

_NUMBERED_KINDS = {"article", "chapter", "section", "part", "item"}
# （七） / (7) opening a paragraph: a list item, renumbered when an item is inserted before it.
_ITEM = re.compile(r"^[（(]([〇一二三四五六七八九十百\d]+)[）)]\s*(.*)$")
# The number a translation's paragraph opens with: "Article 128", "Section 8", "(8)".
_OPENING_NUMBER = re.compile(r"^(\s*(?:(?:Article|Section|Chapter|Part)\s+|\())(\d+)\b")


@dataclass(frozen=True)
class DraftUnit:
    """New-version paragraphs with their draft translation (carried) or what to translate."""

    status: Status
    new: tuple[int, ...]  # paragraphs of the new version, consecutive
    old: tuple[int, ...] = ()  # paragraphs of the previous version they come from
    translation: tuple[str, ...] = ()  # carried: the translation kept
    suggestion: tuple[str, ...] = ()  # changed, regrouped: the previous translation
    moved: bool = False
    relabelled: tuple[str, str] | None = None
    """(old label, new label) of a renumbered article or item; a carried translation that
    opens with the old number ("Article 128", "(8)") has it replaced by the new one."""

    @property
    def carried(self) -> bool:
        return self.status == "carried"


@dataclass(frozen=True)
class CarryForward:
    """The new version's draft translation: one unit per carried group or listed paragraph,
    in the new version's order."""

    units: tuple[DraftUnit, ...]
    removed: tuple[int, ...]  # previous-version paragraphs no longer there
    total: int  # paragraphs of the new version

    def count(self, status: Status) -> int:
        return sum(len(unit.new) for unit in self.units if unit.status == status)

    @property
    def listed(self) -> list[DraftUnit]:
        """What the translators have to do, in order."""
        return [unit for unit in self.units if not unit.carried]

    def summary(self) -> str:
        parts = [f"{self.count('changed')} changed", f"{self.count('new')} new"]
        if self.count("regrouped"):
            parts.append(f"{self.count('regrouped')} unchanged but split from their group")
        parts.append(f"{len(self.removed)} removed")
        return (f"{self.count('carried')} of {self.total} paragraphs carried over "
                f"({', '.join(parts)})")

    def draft(self) -> tuple[list[str], list[Bead]]:
        """The draft translation's paragraphs and their alignment to the new version's
        paragraphs; a listed paragraph has no translation yet (a 1-0 bead)."""
        paragraphs: list[str] = []
        beads: list[Bead] = []
        for unit in self.units:
            start = len(paragraphs)
            paragraphs.extend(unit.translation)
            beads.append(Bead(unit.new, tuple(range(start, len(paragraphs)))))
        return paragraphs, beads


def carry_forward(old_original: Sequence[str], old_translation: Sequence[str],
                  alignment: Sequence[Bead], new_original: Sequence[str]) -> CarryForward:
    """Draft the new version's translation from the previous version's (see the module)."""
    groups = _groups(alignment, len(old_original), len(old_translation))
    old_units = paragraph_provisions(old_original, "previous version")
    new_units = paragraph_provisions(new_original, "new version")
    old_index = {id(p): k for k, p in enumerate(old_units)}
    new_index = {id(p): k for k, p in enumerate(new_units)}
    found: dict[int, tuple[int, Operation]] = {}  # old paragraph -> (new paragraph, op)
    units: list[DraftUnit] = []
    removed: list[int] = []
    for op in diff_provisions(old_units, new_units):
        if op.old is None and op.new is not None:
            units.append(DraftUnit("new", (new_index[id(op.new)],)))
        elif op.new is None and op.old is not None:
            removed.append(old_index[id(op.old)])
        elif op.old is not None and op.new is not None:
            found[old_index[id(op.old)]] = (new_index[id(op.new)], op)
    for sources, targets in groups:
        translation = tuple(old_translation[t] for t in targets)
        kept = [i for i in sources if i in found]
        news = [found[i][0] for i in kept]
        ops = [found[i][1] for i in kept]
        whole = (len(kept) == len(sources) and all(_unchanged(op) for op in ops)
                 and news == list(range(news[0], news[0] + len(news))))
        if whole:
            unit = DraftUnit("carried", tuple(news), tuple(sources), translation,
                             moved=any(op.kind == "moved" for op in ops),
                             relabelled=_relabelled(ops[0]))
            units.append(_renumbered(unit, ops[0]))
            continue
        for i, j, op in zip(kept, news, ops, strict=True):
            status: Status = "regrouped" if _unchanged(op) else "changed"
            units.append(DraftUnit(status, (j,), (i,), suggestion=translation,
                                   moved=op.kind == "moved", relabelled=_relabelled(op)))
    units.sort(key=lambda unit: unit.new[0])
    return CarryForward(tuple(units), tuple(sorted(removed)), len(new_original))


def paragraph_provisions(paragraphs: Sequence[str], side: str) -> list[Provision]:
    """One provision per paragraph, in order: an article's first paragraph is the article
    (label and number), its later paragraphs are numbered within it."""
    lines = []
    for number, paragraph in enumerate(paragraphs, 1):
        line = " ".join(paragraph.split())
        if not line:
            raise InputError(f"{side}: paragraph {number} is empty")
        lines.append(line)
    units: list[Provision] = []
    for provision in split_provisions("\n".join(lines)):
        body = provision.body.split("\n")
        first_body = body[0] if len(body) == len(provision.lines) else ""
        for k, line in enumerate(provision.lines):
            if k == 0:
                units.append(Provision(provision.kind, provision.number, provision.label,
                                       first_body, provision.ref, (line,)))
            else:
                units.append(_later_paragraph(provision, k, line))
    return units


def _later_paragraph(provision: Provision, k: int, line: str) -> Provision:
    """A provision's paragraph after its first: a numbered item is compared without its
    number (an item inserted above renumbers the rest, which are moved, not changed)."""
    item = _ITEM.match(line)
    number = None
    if item:
        raw = item.group(1)
        number = numeral_value(raw)
    if item and number is not None:
        label = line[: len(line) - len(item.group(2))].strip()
        return Provision("item", number, label, item.group(2),
                         (*provision.ref, f"({number})"), (line,))
    return Provision("paragraph", None, f"{provision.label} ¶{k + 1}", line,
                     (*provision.ref, k + 1), (line,))


def _unchanged(op: Operation) -> bool:
    return op.kind == "unchanged" or (op.kind == "moved" and not op.text_changed)


def _relabelled(op: Operation) -> tuple[str, str] | None:
    old, new = op.old, op.new
    if (old is None or new is None or new.kind not in _NUMBERED_KINDS
            or old.number == new.number):
        return None
    return old.label, new.label


def _renumbered(unit: DraftUnit, op: Operation) -> DraftUnit:
    """A carried renumbered provision whose translation opens with the old number
    ("Article 128", "(8)") gets the new one; any other wording is left as it is, flagged."""
    if unit.relabelled is None or not unit.translation or op.old is None or op.new is None:
        return unit
    first = unit.translation[0]
    opening = _OPENING_NUMBER.match(first)
    if opening is None or int(opening.group(2)) != op.old.number:
        return unit
    renumbered = f"{opening.group(1)}{op.new.number}{first[opening.end():]}"
    return replace(unit, translation=(renumbered, *unit.translation[1:]))


def _groups(alignment: Sequence[Bead], original_count: int,
            translation_count: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(original paragraphs, translation paragraphs) per row of the alignment, as rows
    are cut for reading translations side by side (core.align.nway): a translation
    paragraph with no original joins the row before it (or the first)."""
    try:
        rows = align_through_original([alignment], original_count)
    except InputError:  # its one refusal, said of this alignment
        raise InputError("the previous alignment must cover every original paragraph once, "
                         "in order") from None
    if [j for row in rows for j in row.translations[0]] != list(range(translation_count)):
        raise InputError("the previous alignment must cover every translation paragraph "
                         "once, in order")
    return [(row.original, row.translations[0]) for row in rows if row.original]
