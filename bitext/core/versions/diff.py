"""Aligned diff of two versions of an original, provision by provision.

Provisions are paired in three passes: identical text (wherever it moved), then the same number
with similar text (an amended provision), then similar text under another number (moved and
amended). Pairs whose number changed, or that leave the order of the others, are moves; that is
how a renumbering reads as 第一百二十三条 -> 第一百二十八条 rather than a deletion and an insertion.
"""

import difflib
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from bitext.core.versions.normalize import tokens
from bitext.core.versions.provisions import Provision, split_provisions

OpKind = Literal["unchanged", "changed", "added", "removed", "moved"]
MarkTag = Literal["equal", "insert", "delete", "replace"]

SAME_NUMBER_SIMILARITY = 40.0  # below this, "Article 5" was replaced, not amended ...
SAME_NUMBER_CONTAINED = 70.0  # ... unless most of the shorter text is in the longer (cut down)
MOVED_SIMILARITY = 80.0  # a provision under another number must be this close to count as moved


@dataclass(frozen=True)
class Mark:
    """A stretch of a provision; the ``old`` pieces join to the old body, ``new`` to the new."""

    tag: MarkTag
    old: str
    new: str


@dataclass(frozen=True)
class Operation:
    kind: OpKind
    old: Provision | None
    new: Provision | None
    marks: tuple[Mark, ...] = ()

    @property
    def text_changed(self) -> bool:
        return any(mark.tag != "equal" for mark in self.marks)

    def as_dict(self) -> dict[str, object]:
        def side(p: Provision | None) -> dict[str, object] | None:
            return None if p is None else {"id": p.ident, "kind": p.kind, "number": p.number,
                                           "label": p.label, "text": p.text}
        return {"op": self.kind, "old": side(self.old), "new": side(self.new),
                "text_changed": self.text_changed,
                "marks": [{"tag": m.tag, "old": m.old, "new": m.new} for m in self.marks]}


def word_marks(old: str, new: str, *, exact: bool = False) -> tuple[Mark, ...]:
    """Word-level (Chinese: character-level) marks; normalization-only differences are
    equal, unless ``exact`` (a revision's correction: every character counts, spaces too)."""
    old_tokens, new_tokens = tokens(old, exact=exact), tokens(new, exact=exact)
    old_forms, new_forms = [t[2] for t in old_tokens], [t[2] for t in new_tokens]
    matcher = difflib.SequenceMatcher(None, old_forms, new_forms, autojunk=False)
    codes = [(tag, [i1, i2, j1, j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    for k, (tag, span) in enumerate(codes):
        if tag in ("insert", "delete") and 0 < k < len(codes) - 1:
            forms, side = (new_forms, 2) if tag == "insert" else (old_forms, 0)
            _slide_to_punctuation(codes[k - 1][1], span, codes[k + 1][1], forms, side)

    def cut(text: str, found: list[tuple[int, int, str]], i: int, j: int) -> str:
        """Tokens i to j with the text around them: from the start for the first token,
        to the end for the last, so that the pieces join to the text."""
        def boundary(k: int) -> int:
            return 0 if k == 0 else found[k][0] if k < len(found) else len(text)
        return text[boundary(i):boundary(j)]

    return tuple(Mark(tag, cut(old, old_tokens, i1, i2), cut(new, new_tokens, j1, j2))
                 for tag, (i1, i2, j1, j2) in codes if (i1, j1) != (i2, j2))


def _slide_to_punctuation(before: list[int], run: list[int], after: list[int],
                          forms: list[str], side: int) -> None:
    """An insertion between equal text can often sit in several places (机关、监察 or 监察机关、);
    slide it, within the equal text around it, to end at punctuation as a reader would cut it.
    Spans are [i1, i2, j1, j2]; ``side`` is 0 for a deletion (old tokens), 2 for an insertion."""
    start, end = run[side], run[side + 1]
    lo = 0
    while start + lo - 1 >= before[side] and forms[start + lo - 1] == forms[end + lo - 1]:
        lo -= 1
    hi = 0
    while end + hi < after[side + 1] and forms[start + hi] == forms[end + hi]:
        hi += 1
    ends_at_punctuation = [d for d in range(lo, hi + 1)
                           if unicodedata.category(forms[end + d - 1][:1] or " ").startswith("P")]
    if not ends_at_punctuation or 0 in ends_at_punctuation:
        return
    shift = min(ends_at_punctuation, key=abs)
    for index in range(4):
        run[index] += shift
    before[1] += shift
    before[3] += shift
    after[0] += shift
    after[2] += shift


def _pair(old: list[Provision], new: list[Provision]) -> dict[int, int]:
    """new index -> old index for every provision found in both versions."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(old):
        by_key.setdefault((p.kind, p.key), []).append(i)
    for j, p in enumerate(new):  # pass 1: identical text, preferring the same number
        candidates = [i for i in by_key.get((p.kind, p.key), []) if i not in taken]
        if candidates:
            same = [i for i in candidates if old[i].ref == p.ref]
            pairs[j] = (same or candidates)[0]
            taken.add(pairs[j])
    old_by_ref = {p.ref: i for i, p in enumerate(old)}
    for j, p in enumerate(new):  # pass 2: same number, similar text
        same_ref = old_by_ref.get(p.ref)
        if j not in pairs and same_ref is not None and same_ref not in taken and (
                p.kind == "front" or _amended(old[same_ref].key, p.key)):
            pairs[j] = same_ref
            taken.add(same_ref)
    scored = sorted(((fuzz.ratio(old[i].key, p.key, score_cutoff=MOVED_SIMILARITY), j, i)
                     for j, p in enumerate(new) if j not in pairs
                     for i in range(len(old)) if i not in taken and old[i].kind == p.kind),
                    reverse=True)
    for score, j, i in scored:  # pass 3: similar text under another number, best first
        if score and j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
    return pairs


def _amended(old_key: str, new_key: str) -> bool:
    """Whether two provisions under the same number read as one provision amended."""
    return (fuzz.ratio(old_key, new_key) >= SAME_NUMBER_SIMILARITY
            or fuzz.partial_ratio(old_key, new_key) >= SAME_NUMBER_CONTAINED)


def _in_order(pairs: dict[int, int]) -> set[int]:
    """New indexes of the longest run of pairs that keeps the old order (the rest moved)."""
    js = sorted(pairs)
    tails: list[int] = []  # old index ending the best run of each length
    tail_at: list[int] = []
    back: dict[int, int | None] = {}
    for j in js:
        k = bisect_left(tails, pairs[j])
        back[j] = tail_at[k - 1] if k else None
        if k == len(tails):
            tails.append(pairs[j])
            tail_at.append(j)
        else:
            tails[k], tail_at[k] = pairs[j], j
    kept: set[int] = set()
    node = tail_at[-1] if tail_at else None
    while node is not None:
        kept.add(node)
        node = back[node]
    return kept


def diff_provisions(old: list[Provision], new: list[Provision]) -> list[Operation]:
    """Operations in the new version's order; removed provisions follow their old neighbour."""
    pairs = _pair(old, new)
    kept = _in_order(pairs)
    ops: list[Operation] = []
    removed = sorted(set(range(len(old))) - set(pairs.values()))
    placed_after: dict[int | None, list[int]] = {}
    old_to_new = {i: j for j, i in pairs.items()}
    for i in removed:  # anchor: the nearest earlier old provision kept in order
        anchor = next((old_to_new[k] for k in range(i - 1, -1, -1)
                       if k in old_to_new and old_to_new[k] in kept), None)
        placed_after.setdefault(anchor, []).append(i)
    ops.extend(Operation("removed", old[i], None) for i in placed_after.get(None, []))
    for j, p in enumerate(new):
        if j not in pairs:
            ops.append(Operation("added", None, p))
        else:
            before = old[pairs[j]]
            marks = () if before.key == p.key else word_marks(before.body, p.body)
            if j not in kept or before.ref != p.ref:
                ops.append(Operation("moved", before, p, marks))
            else:
                changed = any(mark.tag != "equal" for mark in marks)
                ops.append(Operation("changed" if changed else "unchanged", before, p, marks))
        ops.extend(Operation("removed", old[i], None) for i in placed_after.get(j, []))
    return ops


def diff_versions(old_text: str, new_text: str) -> list[Operation]:
    """Compare two versions of an original text provision by provision."""
    return diff_provisions(split_provisions(old_text), split_provisions(new_text))
