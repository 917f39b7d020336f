"""One file holding both languages, split into its two sides and the pairing it shows.

Layouts, tried in order: a two-column table (one column per language); blocks carrying
``lang`` marks; blocks alternating between two scripts. A block's language is told by its
script, weighing a Chinese character as a word and a Latin letter as a fifth of one, so a
Chinese paragraph quoting an English name stays Chinese and an English paragraph quoting a
Chinese term stays English. Languages written in the same script (English and French) can
only be told apart by ``lang`` marks.
"""

import unicodedata
from dataclasses import dataclass

import langcodes

from bitext.core.text.languages import base_language
from bitext.errors import InputError
from bitext.formats.readers.model import ReadDocument

_SCRIPT_WORDS = {  # langcodes script -> the first word of its letters' Unicode names
    "Hans": {"CJK"}, "Hant": {"CJK"}, "Hani": {"CJK"}, "Jpan": {"CJK", "HIRAGANA", "KATAKANA"},
    "Kore": {"HANGUL"}, "Latn": {"LATIN"}, "Cyrl": {"CYRILLIC"}, "Arab": {"ARABIC"},
    "Grek": {"GREEK"}, "Hebr": {"HEBREW"}, "Thai": {"THAI"}, "Deva": {"DEVANAGARI"},
}
_WHOLE_WORD_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"}


@dataclass(frozen=True)
class BilingualSplit:
    original: list[str]
    translation: list[str]
    pairs: list[tuple[tuple[int, ...], tuple[int, ...]]]  # paragraph beads, in order
    layout: str


def split_bilingual(document: ReadDocument, original: str, translation: str) -> BilingualSplit:
    """The two sides of ``document`` in the metadata's languages, or one line saying why
    the file cannot be split."""
    names = (_name(original), _name(translation))
    table = _two_column_table(document)
    if table:
        return _from_table(table, original, translation, names)
    langs = [b.lang for b in document.blocks]
    wanted = {base_language(original): 0, base_language(translation): 1}
    if all(lang and base_language(lang) in wanted for lang in langs) and len(wanted) == 2:
        sides: list[int | None] = [wanted[base_language(lang or "")] for lang in langs]
        return _interleaved(document, sides, names, "lang attributes")
    scripts = (_scripts(original), _scripts(translation))
    if scripts[0] & scripts[1] or not scripts[0] or not scripts[1]:
        raise InputError(f"cannot tell {names[0]} from {names[1]} by script; mark the "
                         "paragraphs with lang attributes or give two files")
    return _interleaved(document, [_side(b.text, scripts) for b in document.blocks], names,
                        "alternating scripts")


def _name(tag: str) -> str:
    return f"{langcodes.Language.get(tag).language_name()} ({tag})"


def _scripts(tag: str) -> set[str]:
    script = langcodes.Language.get(tag).maximize().script or ""
    return _SCRIPT_WORDS.get(script, set())


def _weights(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for char in text:
        if char.isalpha():
            word = unicodedata.name(char, "?").split(" ", 1)[0]
            weights[word] = weights.get(word, 0) + (1 if word in _WHOLE_WORD_SCRIPTS else 0.2)
    return weights


def _side(text: str, scripts: tuple[set[str], set[str]]) -> int | None:
    weights = _weights(text)
    scores = [sum(weights.get(w, 0) for w in s) for s in scripts]
    if scores[0] == scores[1]:
        return None  # numbers, punctuation: belongs to neither
    return 0 if scores[0] > scores[1] else 1


def _two_column_table(document: ReadDocument) -> list[list[str]] | None:
    tables = [t for t in document.tables
              if len(t) >= 2 and all(len(row) == 2 for row in t)]
    if not tables:
        return None
    table = max(tables, key=len)
    table_chars = sum(len(cell) for row in table for cell in row)
    all_chars = sum(len(b.text) for b in document.blocks)
    return table if table_chars * 2 >= all_chars else None


def _from_table(table: list[list[str]], original: str, translation: str,
                names: tuple[str, str]) -> BilingualSplit:
    scripts = (_scripts(original), _scripts(translation))
    left = " ".join(row[0] for row in table)
    right = " ".join(row[1] for row in table)
    swapped = (not (scripts[0] & scripts[1]) and _side(left, scripts) == 1
               and _side(right, scripts) == 0)
    columns = [(row[1], row[0]) if swapped else (row[0], row[1]) for row in table]
    sides: tuple[list[str], list[str]] = ([], [])
    pairs = []
    for cells in columns:
        bead: tuple[list[int], list[int]] = ([], [])
        for side, cell in enumerate(cells):
            if cell:
                bead[side].append(len(sides[side]))
                sides[side].append(cell)
        if bead[0] or bead[1]:
            pairs.append((tuple(bead[0]), tuple(bead[1])))
    _check_both(sides, names)
    return BilingualSplit(sides[0], sides[1], pairs, "two-column table")


def _interleaved(document: ReadDocument, sides: list[int | None], names: tuple[str, str],
                 layout: str) -> BilingualSplit:
    """Runs of original blocks and the translation blocks after them make one bead; a
    block of neither language (a number alone) goes with the block before it."""
    texts: tuple[list[str], list[str]] = ([], [])
    pairs: list[tuple[list[int], list[int]]] = []
    previous: int | None = None
    for block, side in zip(document.blocks, sides, strict=True):
        side = previous if side is None else side
        if side is None:
            side = 0
        if not pairs or (side == 0 and previous == 1):
            pairs.append(([], []))
        pairs[-1][side].append(len(texts[side]))
        texts[side].append(block.text)
        previous = side
    _check_both(texts, names)
    return BilingualSplit(texts[0], texts[1], [(tuple(a), tuple(b)) for a, b in pairs],
                          layout)


def _check_both(sides: tuple[list[str], list[str]], names: tuple[str, str]) -> None:
    for side, name in zip(sides, names, strict=True):
        if not side:
            raise InputError(f"the bilingual file holds no {name} paragraphs; is it "
                             "bilingual, and are the metadata's languages right?")
