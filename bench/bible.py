"""The Bible corpus as the bench scripts read it: verses by id, chapters in canonical order,
and each verse split into sentences with its sentence ids (a verse is a gold bead; the
CUV's verses marked as merged into the previous one are joined to it, ``join_merged_verses``).

Shared by ``align_corpus.py`` (CUV <-> WEB on Dask) and ``nway.py`` (CUV, KJV and WEB).
"""

import csv
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "bible"
CUV, WEB, KJV = "zh-cuv-simplified.tsv", "en-web.tsv", "en-kjv.tsv"


def read_verses(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return {verse: text for verse, text in rows}


def drop_brackets(text: dict[str, str]) -> dict[str, str]:
    """The English verses without the brackets round the words their translators supplied
    (the KJV's italics, 14,224 verses; the WEB keeps some, 1,508 verses), words kept."""
    return {verse: words.replace("[", "").replace("]", "") for verse, words in text.items()}


MERGED_MARKS = frozenset({"并于上节", "併於上節"})
"""The CUV's text of a verse it translates together with the one before (69 verses): that
verse's words are in the previous verse, so the two are one gold bead."""


def join_merged_verses(*texts: dict[str, str]) -> None:
    """Where a text marks a verse as merged into the previous one, that verse joins the
    previous verse in every text (its words appended there, its id dropped), so the pair
    of verses is one gold bead instead of a bead whose words are in its neighbour."""
    for _, verses in chapter_verses(*texts):
        kept = None
        for verse in verses:
            if kept is not None and any(t.get(verse, "").strip() in MERGED_MARKS for t in texts):
                for text in texts:
                    words = text.pop(verse, "").strip()
                    if words and words not in MERGED_MARKS:
                        text[kept] = f"{text.get(kept, '')} {words}".strip()
            else:
                kept = verse


def chapter_verses(*texts: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """(chapter id, its verse ids in verse order): every verse any text has, chapters in
    the order the first text (then the others) gives them."""
    order: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for text in texts:
        for verse in text:
            if verse not in seen:
                seen.add(verse)
                order[verse.rsplit(".", 1)[0]].append(verse)
    for verses in order.values():
        verses.sort(key=lambda v: int(v.rsplit(".", 1)[1]))
    return list(order.items())


def split_verses(verses: Sequence[str], texts: Mapping[str, str], language: str,
                 ) -> tuple[list[str], list[tuple[int, ...]]]:
    """One side of a chapter: its sentences (bitext's splitter, spaces collapsed) and, for
    each verse in ``verses``, the ids of its sentences (empty when this text lacks it)."""
    from bitext.core.text.sentences import split_sentences

    lines: list[str] = []
    ids: list[tuple[int, ...]] = []
    for verse in verses:
        text = texts.get(verse, "").strip()
        start = len(lines)
        for sentence in (split_sentences(text, language) or [text]) if text else []:
            lines.append(" ".join(sentence.split()))
        ids.append(tuple(range(start, len(lines))))
    return lines, ids
