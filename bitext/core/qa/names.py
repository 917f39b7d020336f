"""Names: a person or place name written in pinyin in the translation that the original's
characters do not read as: 'Xi Jingping' where the original has 习近平 (the finding names
近平), 'Zhou Enlai' where it has 毛泽东 (no name in the original reads so).

A name is a run of capitalised words (joined by a space or a hyphen), two syllables or
more, each word spelt as pinyin is (a syllable starting with a, e or o only first, or
after an apostrophe) and none of them an English word. English words that happen to
spell pinyin ('China', 'June', 'Hong Kong') are told apart with CC-CEDICT: a word it
writes in lower case, or uses to gloss an entry that does not read as that word (中国
[Zhong1 guo2] "China") and never one that does (北京 [Bei3 jing1] "Beijing"), is English;
a word starting with a vowel must be one of CC-CEDICT's names ('Anhui', not 'Elisha').
Words the document writes in lower case are English too.

The original is read as the aligner's name signal reads it (romanize.han_syllables: toneless,
'lü' as 'lu'), surnames as romanize_name reads them (单 Shan). A name found in the row or a
neighbour is right; a name the original gives only elsewhere in the document is a
translator naming whom the original calls 她 (explicitation), not a fault."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bitext.core.align.lexicon import cedict_entries
from bitext.core.qa.findings import Finding, Row
from bitext.core.qa.omissions import LengthNorm, misaligned_rows
from bitext.core.text.languages import is_chinese
from bitext.core.text.romanize import SURNAME_READINGS, fold_latin, han_syllables

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NAME_RUN = re.compile(r"[A-Z][a-zA-Z'’]*(?:[ -][A-Z][a-zA-Z'’]*)*")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+")
_CEDICT_WORD = re.compile(r"\b[A-Za-z]+\b")
_CEDICT_PHRASE = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")
_SYLLABLE_MARKS = re.compile(r"[^a-z ]")
_BAD_APOSTROPHE = re.compile(r"['’](?![aeoAEO])")  # You're: pinyin writes Xi'an, Zhan'ao
_MAX_SYLLABLES = 6  # readings of the original tried, and names compared
NEAR_LETTERS = 2  # a reading this close to a name is named in its finding


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, with a vowel ('m', 'ng' left out:
    they would let English words through)."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {r for value in set(pinyin_dict.values()) for r in value.split(",")}
    return frozenset(folded for folded in map(fold_latin, readings)
                     if folded and re.search("[aeiou]", folded))


@lru_cache(maxsize=1)
def _pinyin_word() -> re.Pattern[str]:
    """A folded word made of pinyin syllables only, in pinyin's spelling: a syllable
    starting with a, e or o only first ('Xi'an' is two words here, 'Canaan' none)."""
    syllables = sorted(pinyin_syllables(), key=len, reverse=True)
    inner = [s for s in syllables if s[0] not in "aeo"]
    return re.compile(f"(?:{'|'.join(syllables)})(?:{'|'.join(inner)})*")


@lru_cache(maxsize=262144)
def is_pinyin(word: str) -> bool:
    return _pinyin_word().fullmatch(word) is not None


@lru_cache(maxsize=65536)
def split_syllables(word: str) -> tuple[str, ...] | None:
    """A folded word as pinyin syllables, longest first ('xijinping' -> xi jin ping);
    None if it is not pinyin."""
    if not is_pinyin(word):
        return None
    syllables, parts = pinyin_syllables(), []
    while word:  # longest first; the spelling rule makes the split unambiguous enough
        size = next(size for size in range(min(6, len(word)), 0, -1)
                    if word[:size] in syllables and is_pinyin(word[size:]) or size == len(word)
                    and word in syllables)
        parts.append(word[:size])
        word = word[size:]
    return tuple(parts)


def english_words() -> frozenset[str]:
    """Words and capitalised phrases spelt in pinyin (folded, joined: 'hongkong') that
    CC-CEDICT writes in lower case ('china', 'guiding'), or uses to gloss an entry that
    does not read as them and never one that does ('june', 'hongkong'; not 'taiwan',
    which glosses 台湾). See the module's note."""
    return _cedict_words()[0]


def cedict_names() -> frozenset[str]:
    """Words spelt in pinyin that CC-CEDICT uses to gloss an entry reading as them
    ('taiwan', 'anhui', 'mao')."""
    return _cedict_words()[1]


@lru_cache(maxsize=1)
def _cedict_words() -> tuple[frozenset[str], frozenset[str]]:
    own: set[str] = set()  # glosses of an entry reading as them: names
    other: set[str] = set()
    lower: set[str] = set()
    pinyin: dict[str, bool] = {}  # word as written -> is it pinyin
    for _, _, reading, gloss in cedict_entries():
        words = [w for w in _CEDICT_WORD.findall(gloss) if pinyin.get(w) or (
            w not in pinyin and pinyin.setdefault(w, is_pinyin(w.lower())))]
        lower.update(w for w in words if w.islower())
        candidates = {w.lower() for w in words}
        if not gloss.islower():
            candidates |= {p for p in map(_joined, _CEDICT_PHRASE.findall(gloss)) if is_pinyin(p)}
        if not candidates:
            continue
        syllables = _SYLLABLE_MARKS.sub("", reading.lower().replace("u:", "u")).split()
        spans = {"".join(syllables[i:j]) for i in range(len(syllables))
                 for j in range(i + 1, len(syllables) + 1)}
        own |= candidates & spans
        other |= candidates - spans
    return frozenset(lower | (other - own)), frozenset(own)


def _joined(phrase: str) -> str:
    return "".join(phrase.split()).lower()


@dataclass(frozen=True)
class Name:
    text: str  # as written in the translation
    key: str  # folded, the words joined: 'xijinping'


def pinyin_names(text: str, common: frozenset[str] | set[str] = frozenset()) -> list[Name]:
    """The names in pinyin in a Latin-script text; ``common`` are words known to be
    English (those a document writes in lower case)."""
    english, known = english_words(), cedict_names()
    names = []
    for run in _NAME_RUN.finditer(text):
        group: list[str] = []
        for word in [*re.split(r"[ -]", run.group()), ""]:
            folded = fold_latin(word)
            if word and folded not in english and folded not in common and is_pinyin(folded) and (
                not _BAD_APOSTROPHE.search(word)
            ) and (folded[0] not in "aeo" or folded in known):
                group.append(word)
                continue
            key = "".join(fold_latin(w) for w in group)
            syllables = sum(len(split_syllables(fold_latin(w)) or ()) for w in group)
            if group and key not in english and 2 <= syllables <= _MAX_SYLLABLES:
                names.append(Name(" ".join(group), key))
            group = []
    return names


def han_names(text: str) -> dict[str, str]:
    """Every reading of 2 to ``_MAX_SYLLABLES`` consecutive Han characters of ``text``
    (folded, as a name's key) -> those characters; a window starting with a surname of
    its own reading (单 Shan, not dan) is read both ways, as romanize_name reads it."""
    readings: dict[str, str] = {}
    for run in _HAN_RUN.findall(text):
        syllables = han_syllables(run)
        if len(syllables) != len(run):
            continue
        for start in range(len(run)):
            surname = next((size for size in (2, 1)
                            if run[start:start + size] in SURNAME_READINGS), 0)
            for end in range(start + 2, min(len(run), start + _MAX_SYLLABLES) + 1):
                readings.setdefault("".join(syllables[start:end]), run[start:end])
                if surname and end > start + surname:
                    key = SURNAME_READINGS[run[start:start + surname]] + "".join(
                        syllables[start + surname:end])
                    readings.setdefault(key, run[start:end])
    return readings


def han_reading_text(texts: Sequence[str]) -> str:
    """The readings of every Han run of ``texts``, one a line, each also with its surnames
    read as surnames: searched for a name anywhere in a document. Characters are read
    alone (no context: fast enough for a whole document; 重 is zhong even in 重庆), and a
    name found across two syllables' letters only spares a finding."""
    lines = []
    for text in texts:
        for run in _HAN_RUN.findall(text):
            syllables = [han_syllables(char)[0] for char in run]
            lines.append("".join(syllables))
            lines += ["".join((*syllables[:k], SURNAME_READINGS[char], *syllables[k + 1:]))
                      for k, char in enumerate(run) if char in SURNAME_READINGS]
    return "\n".join(lines)


def check_names(
    rows: Sequence[Row], original_language: str, translation_language: str,
    norm: LengthNorm | None = None,
) -> list[Finding]:
    if not is_chinese(original_language) or is_chinese(translation_language):
        return []
    common = {w for row in rows for w in _LOWER_WORD.findall(row.translation)}
    suspect = misaligned_rows(rows, norm)
    by_row: dict[int, dict[str, str]] = {}  # each row's readings, read once

    def readings_near(k: int) -> dict[str, str]:
        near: dict[str, str] = {}
        for j in range(max(0, k - 1), min(len(rows), k + 2)):
            if j not in by_row:
                by_row[j] = han_names(rows[j].original)
            near = {**by_row[j], **near}
        return near

    findings, unknown = [], []
    for k, row in enumerate(rows):
        if not row.original or not row.translation or row.position in suspect:
            continue
        names = pinyin_names(row.translation, common)
        if not names:
            continue
        readings = readings_near(k)
        for name in dict.fromkeys(names):
            if name.key in readings:
                continue
            near = next(_near(name.key, readings), None)
            if near is None:
                unknown.append((row, name))
                continue
            findings.append(Finding.make(
                "names", row, f"{name.text}: the original has {near[1]} ({near[0]})",
                name=name.text, original=near[1]))
    if unknown:
        everywhere = han_reading_text([r.original for r in rows])
        elsewhere = {key for key in {name.key for _, name in unknown} if key in everywhere}
        # a name the original gives elsewhere: the translator named whom it calls 她
        findings += [Finding.make("names", row, f"{name.text}: no name in the original "
                                  "reads so", name=name.text, original=None)
                     for row, name in unknown if name.key not in elsewhere]
    return sorted(findings, key=lambda f: f.row)


def _near(key: str, readings: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Readings close enough to ``key`` to be what it misspells, closest first: at most
    NEAR_LETTERS edits, and one per four letters (so 'keqiang' is not 'deliang')."""
    most = min(NEAR_LETTERS, len(key) // 4)
    scored = sorted((d, reading) for reading in readings
                    if abs(len(reading) - len(key)) <= most
                    and (d := Levenshtein.distance(key, reading)) <= most)
    for _, reading in scored:
        yield reading, readings[reading]

