"""The Bible corpus as the bench scripts read it: verses by id, chapters in canonical order,
and each verse split into sentences with its sentence ids (a verse is a gold bead).

The verse ids are the gold, but not every id names the same words in every text; where
they do not, the gold is mended before use (``load``), each case read by hand:

- the CUV marks 69 verses as translated together with the one before (``MERGED_MARKS``):
  the two are one gold bead in every text (``join_merged_verses``);
- the CUV numbers 1 Chronicles 21:31-22:18 one verse off the KJV and the WEB
  (``CUV_RENUMBERED``): its verses take their numbers, so the chapter break falls where
  theirs does;
- a few verses hold words another text puts in a neighbouring verse (``MOVED_WORDS``):
  those words join that neighbour, so the gold bead is the pair of verses, as for the
  CUV's merged verses;
- the WEB lacks Romans 16:25-27 and the CUV lacks the KJV's Romans 16:24: those verses
  stay, empty on the side that lacks them (a null bead, or a row without that text).

Shared by ``align_corpus.py`` (CUV <-> WEB on Dask) and ``nway.py`` (CUV, KJV and WEB).
"""

import csv
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "bible"
CUV, WEB, KJV = "zh-cuv-simplified.tsv", "en-web.tsv", "en-kjv.tsv"


ENGLISH = (KJV, WEB)

CUV_RENUMBERED = {"1CH.21.31": "1CH.22.1",
                  **{f"1CH.22.{k}": f"1CH.22.{k + 1}" for k in range(1, 19)}}
"""The CUV's verse ids that are not the KJV's and the WEB's for the same words: its
1 Chronicles 21:31 is their 22:1 ("Then David said, This is the house of the LORD God"),
and its 22:1-18 are their 22:2-19."""

MOVED_WORDS: tuple[tuple[str | None, str, str], ...] = (
    (None, "DEU.13.18", "DEU.13.17"),  # the CUV's 13:17 holds the others' 13:17-18
    (None, "PSA.116.19", "PSA.116.18"),  # the CUV's 116:18 holds their 116:18-19
    (None, "3JN.1.15", "3JN.1.14"),  # the KJV's and WEB's 1:14 hold the CUV's 1:14-15
    (None, "JHN.7.53", "JHN.8.1"),  # the CUV's 8:1 starts with their 7:53
    (CUV, "ROM.16.24", "ROM.16.23"),  # their 16:23 holds the CUV's 16:23-24
)
"""(text, verse, neighbour): the verse's words in that text (None: in every text) belong
with the neighbour's, so they join it and the verse's id goes from that text."""


def load(data: Path, names: Sequence[str], books: Collection[str] | None = None,
         limit: int | None = None) -> tuple[list[dict[str, str]], list[tuple[str, list[str]]]]:
    """The texts (file names from CUV, KJV, WEB) as verse id -> words, the gold mended
    (see the module docstring), the English without brackets; and the chapters (id,
    verse ids) in canonical order, only those of ``books`` and the first ``limit``."""
    texts = [renumber(read_verses(data / name), CUV_RENUMBERED) if name == CUV
             else read_verses(data / name) for name in names]
    for only, verse, neighbour in MOVED_WORDS:
        for name, text in zip(names, texts, strict=True):
            if only in (None, name):
                move_words(text, verse, neighbour)
    join_merged_verses(*texts)
    texts = [drop_brackets(text) if name in ENGLISH else text
             for name, text in zip(names, texts, strict=True)]
    chapters = [(chapter, verses) for chapter, verses in chapter_verses(*texts)
                if books is None or chapter.split(".")[0] in books]
    return texts, chapters[:limit]


def renumber(text: dict[str, str], ids: Mapping[str, str]) -> dict[str, str]:
    """The text with the verses of ``ids`` under their new ids, in the same order."""
    return {ids.get(verse, verse): words for verse, words in text.items()}


def move_words(text: dict[str, str], verse: str, neighbour: str) -> None:
    """The verse's words join its neighbour's (after them when the neighbour comes first,
    before them when it comes after) and its id goes."""
    words = text.pop(verse, "").strip()
    if not words:
        return
    before = _position(neighbour) < _position(verse)
    kept = text.get(neighbour, "").strip()
    text[neighbour] = f"{kept} {words}".strip() if before else f"{words} {kept}".strip()


def _position(verse: str) -> tuple[int, int]:
    """(chapter, verse) numbers, for order within a book."""
    _, chapter, number = verse.split(".")
    return int(chapter), int(number)


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
