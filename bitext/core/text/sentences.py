"""Split a paragraph into sentences, with rules chosen by language.

Sentences come back as offsets into the paragraph, so alignment and highlighting can
point into the stored text without copying or re-searching it. Two rule families cover
the languages we meet: CJK-style (zh, ja: an end mark needs no space after it) and
Latin-style (English and other space-separated languages: end mark, whitespace, then
something that can start a sentence). Every regex is possessive or anchored, so splitting
stays linear in the paragraph length.
"""

import re
from dataclasses import dataclass

from bitext.core.text.languages import base_language, is_chinese

# Marks that only ever close, so they join the sentence even after a space ("。 ”").
_CLOSERS = "”’」』）】》〉〕〗〙〛｝］｠»›"
_OPENERS = "\"'“‘«‹([{（［｛「『【《〈〔¿¡"
_ELLIPSIS = ".…‥"
_WHITESPACE = re.compile(r"\s*+")


def sentence_spans(paragraph: str, language: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences, in order; whitespace between them is skipped."""
    base = base_language(language)
    if is_chinese(language):
        cuts = _cjk_cuts(paragraph, _CHINESE)
    elif base == "ja":
        cuts = _cjk_cuts(paragraph, _JAPANESE)
    else:
        cuts = _latin_cuts(paragraph, _ENGLISH if base == "en" else _GENERIC)
    spans = []
    start = 0
    for end in [*cuts, len(paragraph)]:
        piece = paragraph[start:end]
        stripped = piece.strip()
        if stripped:
            s = start + len(piece) - len(piece.lstrip())
            spans.append((s, s + len(stripped)))
        start = end
    return spans


def split_sentences(paragraph: str, language: str) -> list[str]:
    """The sentences of a paragraph as strings (see ``sentence_spans``)."""
    return [paragraph[s:e] for s, e in sentence_spans(paragraph, language)]


def _skip_space(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    assert match is not None  # the pattern matches the empty string too
    return match.end()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- CJK-style -------------------------------------------------------------------------


@dataclass(frozen=True)
class _CjkRules:
    """``runs`` finds runs of end marks (group "marks") with the closers that surely
    follow; ``quote_particles`` are characters that, right after a closing quote, show
    the sentence goes on (Japanese 「行くよ！」と言った)."""

    runs: re.Pattern[str]
    quote_particles: str = ""


def _end_runs(ends: str) -> re.Pattern[str]:
    chars = re.escape(ends)
    return re.compile(rf"(?<![{chars}])(?P<marks>[{chars}]++)[{_CLOSERS})\]}}]*+")


_CJK_ENDS = "。！？｡!?…‥."
_CHINESE = _CjkRules(_end_runs(_CJK_ENDS))
_JAPANESE = _CjkRules(_end_runs(_CJK_ENDS), quote_particles="とっ")


def _cjk_cuts(text: str, rules: _CjkRules) -> list[int]:
    """Cut after each run of end marks and the closing marks that follow it.

    A semicolon (``；``, ``;``) does not cut: it joins clauses of one sentence, as ``;``
    does in English, whose rules do not cut there either, so a unit is the same kind of
    thing on both sides of a Chinese-English pair. Cut there, a CUV verse came in clause
    fragments against the KJV's whole sentences, and a short fragment at a verse's edge
    was often aligned with the neighbouring verse. A bracket closed right after a mark,
    ``（见第三条。）``, is cut after.

    A bare ellipsis does not cut before a space or a repeated character: in the MAC-Dev
    novels these mark hesitation inside a sentence ("我叫…… 叫小玄子。", "我……我昨晚"),
    while an ellipsis that ends a sentence runs straight into the next one. ASCII marks
    (ASCII dots count only as a "..." ellipsis) do not cut inside Latin text such as
    ``6.5`` or ``?q=1``.
    """
    cuts: list[int] = []
    start: int | None = 0  # of the current sentence; None until needed after a cut
    quotes, counted_to = dict.fromkeys("\"'", 0), 0  # counted lazily, to stay linear
    for run in rules.runs.finditer(text):
        marks, marks_end, end = run.group("marks"), run.end("marks"), run.end()
        if marks in (".", ".."):
            continue
        following = text[end] if end < len(text) else ""
        if following and (following.isspace() or following in "\"'"):
            for q in quotes:
                quotes[q] += text.count(q, counted_to, end)
            counted_to = end
            end = _closers_end(text, end, quotes)
            following = text[end] if end < len(text) else ""
        if following and end == marks_end and not marks.strip(_ELLIPSIS):
            if start is None:
                start = _skip_space(text, cuts[-1])
            before = text[run.start() - 1] if run.start() > start else None
            if following.isspace() or following == before:
                continue
        if marks.isascii() and following.isascii() and following.isalnum():
            continue
        if end > marks_end and following and following in rules.quote_particles:
            continue
        cuts.append(end)
        start = None
        quotes, counted_to = dict.fromkeys(quotes, 0), end
    return cuts


def _closers_end(text: str, pos: int, quotes: dict[str, int]) -> int:
    """Offset after the closing quotes and brackets that belong to the sentence ending at pos.

    ``quotes`` counts the ASCII quotes of the sentence so far: one closes only when that
    count is odd, so in ``他走了。"站住!"`` the quote after 。 opens the next sentence.
    """
    quotes = dict(quotes)
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            after_space = _skip_space(text, pos)
            if after_space == len(text) or text[after_space] not in _CLOSERS:
                break
            pos = after_space + 1
        elif char in _CLOSERS or char in ")]}":
            pos += 1
        elif char in quotes and quotes[char] % 2 == 1:
            quotes[char] += 1
            pos += 1
        else:
            break
    return pos


# --- Latin-style -----------------------------------------------------------------------

_LATIN_ENDS = ".!?…؟۔।॥။።"
_LATIN_RUN = re.compile(
    rf"(?<![{_LATIN_ENDS}])[{_LATIN_ENDS}]++"
    rf"(?P<close>(?:[\"')\]}}]|\s*+[{_CLOSERS}])*+)"
    r"(?=\s++(?P<next>\S)?)"
)
_LIST_MARKER = re.compile(r"\d{1,3}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6}|[A-Za-z]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|Ph\.D")
_NUMBER = re.compile(r"\d|[IVXLCDM]+\b")
_NEXT_WORD = re.compile(rf"[{re.escape(_OPENERS)}]*+(\w+)")
_WORD_LOOKBACK = 40


@dataclass(frozen=True)
class _Abbreviations:
    """Lower-cased abbreviations (without the final dot), by how they behave before a capital.

    ``inner`` never ends a sentence (Mr., e.g.); ``before_number`` is an abbreviation
    only when a number follows (No. 5, Art. IV); ``may_end`` and dotted acronyms (U.S.)
    end a sentence only when one of the ``openers`` follows ("in the U.S. The ...").
    """

    inner: frozenset[str]
    before_number: frozenset[str]
    may_end: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()


_ENGLISH = _Abbreviations(
    inner=_words(
        "mr mrs ms mx dr prof st mt ft gen gov sen rep rev hon capt col lt sgt maj cmdr adm"
        " messrs mme mlle pres supt fr e.g i.e cf vs viz approx ca esp"
        " jan feb mar apr jun jul aug sep sept oct nov dec"
    ),
    before_number=_words("no nos art arts vol vols p pp para paras sec sect ch chap fig figs eq"),
    may_end=_words("etc inc ltd co corp bros jr sr esq al u.s u.k u.n e.u a.m p.m"),
    openers=_words(
        "the a an this that these those it its he his she her they their we our i my you"
        " your there here but and however in on at if when while as so yet then after before"
        " thus also"
    ),
)
_GENERIC = _Abbreviations(
    inner=_words("e.g i.e cf vs"),
    before_number=_words("no nos nr art p pp vol"),
)


def _latin_cuts(text: str, abbreviations: _Abbreviations) -> list[int]:
    """Cut after end marks (and closers) followed by whitespace and a possible sentence start."""
    cuts = []
    start = _skip_space(text, 0)
    for run in _LATIN_RUN.finditer(text):
        nxt = run.group("next")
        if nxt is None or not _can_start_sentence(nxt):
            continue
        marks = text[run.start() : run.start("close")]
        dots_only = not marks.strip(_ELLIPSIS) and not run.group("close")
        if dots_only and not _dots_end_sentence(text, run, start, abbreviations):
            continue
        cuts.append(run.end())
        start = _skip_space(text, run.end())
    return cuts


def _can_start_sentence(char: str) -> bool:
    """Upper case, digit, opening mark, or a letter of a script without case."""
    return not char.islower() and (char.isalnum() or char in _OPENERS)


def _dots_end_sentence(
    text: str, run: re.Match[str], sentence_start: int, abbreviations: _Abbreviations
) -> bool:
    """Whether dots followed by a space and a capital really end the sentence."""
    marks = text[run.start() : run.start("close")]
    word, word_start = _word_before(text, run.start(), sentence_start)
    next_start = run.start("next")
    if marks != "." or word == "":
        # An ellipsis ("...", "…", ". . .") before a capital ends the sentence unless it
        # is a stammer ("I... I've got"); "...." is an ellipsis plus a full stop.
        return len(marks) >= 4 or not word or _next_word(text, next_start) != word.lower()
    if word is None:
        return True
    if word_start == sentence_start and _LIST_MARKER.fullmatch(word):
        return False  # "1. The first item"
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. R. R. Tolkien"
    key = word.lower()
    if key in abbreviations.inner:
        return False
    if key in abbreviations.before_number:
        return not _NUMBER.match(text, next_start)
    if key in abbreviations.may_end or _DOTTED.fullmatch(word):
        return _next_word(text, next_start) in abbreviations.openers
    return True


def _word_before(text: str, pos: int, sentence_start: int) -> tuple[str | None, int]:
    """The word ending at pos, without opening marks, and its start.

    The word is "" after whitespace, and None when longer than any abbreviation (only a
    bounded window is read, which keeps the scan linear).
    """
    lo = max(sentence_start, pos - _WORD_LOOKBACK)
    window = text[lo:pos]
    parts = window.split()
    word = parts[-1] if parts and not window[-1].isspace() else ""
    if word and pos - len(word) == lo and lo > sentence_start and not text[lo - 1].isspace():
        return None, lo
    word = word.lstrip(_OPENERS)
    return word, pos - len(word)


def _next_word(text: str, pos: int) -> str:
    found = _NEXT_WORD.match(text, pos)
    return found.group(1).lower() if found else ""
