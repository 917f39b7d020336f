"""The one search tokenizer: both backends index, and every query is parsed, with it.

Han (and kana/hangul) text becomes overlapping character bigrams after folding
traditional to simplified and full width to half width: ``中華人民`` -> ``中华 华人 人民``
plus a trailing unigram ``民``, so that every character starts exactly one token and a
one-character query is a prefix query (``民*``). Other text becomes lowercased words,
stemmed (Snowball) when the text's language has a stemmer.

Folding keeps character offsets: every token knows its span in the text it came from,
which is what highlighting and the concordance use.
"""

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import opencc
import snowballstemmer

MAX_TOKEN_CHARS = 64  # longer "words" (hashes, URLs without separators) are cut

# Characters written without spaces: indexed as bigrams.
_HAN = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, ext. A, compatibility
    "\uac00-\ud7af"  # hangul syllables
    "\U00020000-\U0003134f"  # ext. B-G
)
_TOKEN_RE = re.compile(f"(?P<han>[{_HAN}]+)|(?P<word>[^\\W_{_HAN}]+)")
# ASCII text (most English) needs neither folding nor Unicode classes: its words are the
# runs of [A-Za-z0-9], what _TOKEN_RE finds in it.
_ASCII_WORD_RE = re.compile("[a-z0-9]+")  # on lowercased text
_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})

# Full-width ASCII and the ideographic space to their half-width forms (length-preserving).
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_STEMMER_ALGORITHMS = frozenset(snowballstemmer.algorithms())
_LANGUAGE_ALGORITHM = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


class Token(NamedTuple):
    text: str  # the indexed form
    start: int  # span in the tokenized text
    end: int
    han: bool  # a bigram/unigram of a Han run (never stemmed)
    run_end: bool = False  # the trailing unigram of a Han run


def stemmer_language(language: str | None) -> str | None:
    """The Snowball algorithm for a BCP 47 tag, or None (then words are not stemmed)."""
    if not language:
        return None
    base = language.replace("_", "-").split("-", 1)[0].lower()
    algorithm = _LANGUAGE_ALGORITHM.get(base)
    return algorithm if algorithm in _STEMMER_ALGORITHMS else None


@functools.cache
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


_STEM_CACHE_SIZE = 200_000  # words per algorithm; the cache is emptied when it is full
_stems: dict[str, dict[str, str]] = {}
_stem_lock = threading.Lock()  # a Snowball stemmer object is not thread-safe


def stem(word: str, algorithm: str | None) -> str:
    """``word`` (already lowercased) stemmed with ``algorithm``; unchanged if None."""
    if algorithm is None:
        return word
    cache = _stems.get(algorithm) or _stems.setdefault(algorithm, {})
    stemmed = cache.get(word)
    if stemmed is None:
        stemmed = _stem_new(word, algorithm, cache)
    return stemmed


def _stem_new(word: str, algorithm: str, cache: dict[str, str]) -> str:
    with _stem_lock:
        stemmed = _stemmer(algorithm).stemWord(word) or word
        if len(cache) >= _STEM_CACHE_SIZE:
            cache.clear()
        cache[word] = stemmed
    return stemmed


_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x31350))


@functools.cache
def _fold_table() -> dict[int, int]:
    """Width folding plus OpenCC's t2s applied to each character on its own.

    Character by character (not OpenCC's phrase mode) so that a word folds the same alone
    in a query as inside a sentence, and the folded text keeps the length of the original.
    """
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = dict(_WIDTH)
    if len(converted) == len(chars):
        for before, after in zip(chars, converted, strict=True):
            if len(after) == 1 and after != before:
                table[ord(before)] = ord(after)
    return table


def fold(text: str) -> str:
    """Full width to half width, traditional to simplified; same length as ``text``."""
    return text.translate(_fold_table())


def tokenize(text: str, language: str | None = None) -> list[Token]:
    """The index tokens of ``text`` (assumed NFC, as stored text is), with their spans."""
    algorithm = stemmer_language(language)
    new = tuple.__new__  # Token(...) without the keyword handling: highlighting calls this often
    tokens: list[Token] = []
    if text.isascii():  # no folding, no Han; lowercasing keeps the offsets
        lowered = text.lower()
        for match in _ASCII_WORD_RE.finditer(lowered):
            start, end = match.span()
            word = stem(lowered[start:end][:MAX_TOKEN_CHARS], algorithm)
            tokens.append(new(Token, (word, start, end, False, False)))
        return tokens
    for match in _TOKEN_RE.finditer(fold(text)):
        start, end = match.span()
        run = match.group()
        if match.lastgroup == "han":
            for i in range(start, end - 1):
                tokens.append(new(Token, (run[i - start : i - start + 2], i, i + 2, True, False)))
            tokens.append(new(Token, (run[-1], end - 1, end, True, True)))
        else:
            word = stem(run.lower()[:MAX_TOKEN_CHARS], algorithm)
            tokens.append(new(Token, (word, start, end, False, False)))
    return tokens


def index_tokens(text: str, language: str | None = None) -> list[str]:
    """``[t.text for t in tokenize(text, language)]``, without building Token objects
    (indexing a large library spends its time here)."""
    return index_token_forms(text, language)[0]


def index_token_forms(text: str, language: str | None) -> tuple[list[str], list[str]]:
    """A text's index tokens stemmed in ``language`` and as written, from one pass over
    the text: position for position, a word's stem and the word (Han tokens are never
    stemmed). Without a stemmer for ``language`` the two are equal."""
    algorithm = stemmer_language(language)
    if text.isascii():  # folding leaves ASCII as it is; words are runs of [A-Za-z0-9]
        words = [w[:MAX_TOKEN_CHARS] for w in text.lower().translate(_ASCII_SEPARATORS).split()]
        if algorithm is None:
            return words, words
        cache = _stems.get(algorithm) or _stems.setdefault(algorithm, {})
        return [cache.get(w) or _stem_new(w, algorithm, cache) for w in words], words
    stemmed: list[str] = []
    written: list[str] = []
    for han, word in _TOKEN_RE.findall(fold(text)):
        if han:
            grams = [han[i : i + 2] for i in range(len(han) - 1)]
            grams.append(han[-1])
            stemmed += grams
            written += grams
        else:
            cut = word.lower()[:MAX_TOKEN_CHARS]
            stemmed.append(stem(cut, algorithm))
            written.append(cut)
    return stemmed, written


def token_string(text: str, language: str | None = None) -> str:
    """What both backends store per sentence: the index tokens joined by spaces."""
    return " ".join(index_tokens(text, language))


# --- queries -------------------------------------------------------------------------

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 32


class QueryError(ValueError):
    """The query cannot be searched; the message is meant for the user."""


@dataclass(frozen=True)
class QueryToken:
    """One position of a phrase. ``forms`` is the word as typed, then its stem in each of
    the query's languages (same order for every word of a query); Han tokens have one form.
    ``prefix`` is set for a lone Han character at the end, which may start a bigram."""

    forms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Tokens that must occur in this order, next to each other. A bare word is a phrase
    of one token."""

    tokens: tuple[QueryToken, ...]
    quoted: bool = False

    def variants(self) -> list[tuple[str, ...]]:
        """The phrase once per language (as typed, then stemmed per language): a text is
        indexed in one language, so its words all take the same variant."""
        width = max(len(t.forms) for t in self.tokens)
        out = (tuple(t.forms[min(k, len(t.forms) - 1)] for t in self.tokens) for k in range(width))
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Query:
    """All phrases must match (AND). Plain data: each backend renders it in its syntax,
    quoting every token, so no user text reaches the engine as syntax."""

    text: str
    phrases: tuple[Phrase, ...]


def _split_quoted(text: str) -> list[tuple[str, bool]]:
    """Pieces of the query and whether each was in double quotes; an unbalanced quote
    quotes the rest of the query."""
    parts = text.split('"')
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part.strip()]


def _query_tokens(piece: str, algorithms: Sequence[str | None]) -> list[QueryToken]:
    tokens = tokenize(piece)
    out: list[QueryToken] = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        if not token.han:
            word = token.text  # tokenized without a language: not stemmed yet
            out.append(QueryToken((word, *(stem(word, a) for a in algorithms))))
        elif not token.run_end:
            out.append(QueryToken((token.text,)))
        elif i > 0 and tokens[i - 1].han and tokens[i - 1].end == token.end:
            # the trailing unigram of a longer run: in a text, that run may go on
            if not last:
                out.append(QueryToken((token.text,)))
        else:
            # a lone character: at the end of a phrase it may start a longer run
            out.append(QueryToken((token.text,), prefix=last))
    return out


def parse_query(text: str, languages: Iterable[str | None] = ("en",)) -> Query:
    """Parse what a user typed: words (all must match) and "quoted phrases".

    Every other character (``*``, ``-``, ``NEAR(``, ``:``, backslashes, SQL) is text, and
    text without letters or digits is dropped. ``languages`` are the languages the library
    holds: a word also matches its stem in each of them.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long (at most {MAX_QUERY_CHARS} characters)")
    text = unicodedata.normalize("NFC", text)
    algorithms = sorted(
        {a for a in (stemmer_language(x) for x in languages) if a}
    )
    phrases: list[Phrase] = []
    for piece, quoted in _split_quoted(text):
        if quoted:
            tokens = _query_tokens(piece, algorithms)
            if tokens:
                phrases.append(Phrase(tuple(tokens), quoted=True))
            continue
        for run in _TOKEN_RE.finditer(fold(piece)):
            tokens = _query_tokens(piece[run.start() : run.end()], algorithms)
            if tokens:
                phrases.append(Phrase(tuple(tokens)))
    phrases = list(dict.fromkeys(phrases))
    if not phrases:
        raise QueryError("the query has no words to search for")
    if sum(len(p.tokens) for p in phrases) > MAX_QUERY_TERMS:
        raise QueryError(f"the query has too many words (at most {MAX_QUERY_TERMS})")
    return Query(text, tuple(phrases))


def phrase_spans(tokens: Sequence[Token], phrase: Phrase) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in a text's index tokens: (start, end) character spans."""
    return [
        _span(tokens[i].start, tokens[i + len(phrase.tokens) - 1], phrase)
        for i in _phrase_starts([t.text for t in tokens], phrase)
    ]


def _phrase_starts(texts: Sequence[str], phrase: Phrase) -> list[int]:
    """The token positions where ``phrase`` starts, in a text's token texts."""
    first, rest = phrase.tokens[0], phrase.tokens[1:]
    if first.prefix:
        starts = [i for i, t in enumerate(texts) if t.startswith(first.forms[0])]
    else:
        starts = [i for i, t in enumerate(texts) if t in first.forms]
    if rest:
        starts = [
            i for i in starts
            if i + len(rest) < len(texts)
            and all(_text_matches(texts[i + k], q) for k, q in enumerate(rest, start=1))
        ]
    return starts


def _span(start: int, last: Token, phrase: Phrase) -> tuple[int, int]:
    """A phrase's span from its first token's start to its last token (or, for a prefix,
    to the end of the prefix inside the last token)."""
    final = phrase.tokens[-1]
    return start, last.start + len(final.forms[0]) if final.prefix else last.end


def _text_matches(text: str, query: QueryToken) -> bool:
    if query.prefix:
        return text.startswith(query.forms[0])
    return text in query.forms


def highlight_spans(text: str, language: str | None, query: Query) -> list[tuple[int, int]]:
    """``match_spans(tokenize(text, language), query)``, faster on ASCII text (search
    highlights every hit): phrases are found in the token texts, spans made only for them."""
    if not text.isascii():
        return match_spans(tokenize(text, language), query)
    algorithm = stemmer_language(language)
    lowered = text.lower()
    stems = [stem(w[:MAX_TOKEN_CHARS], algorithm) for w in _ASCII_WORD_RE.findall(lowered)]
    found = [(p, i) for p in query.phrases for i in _phrase_starts(stems, p)]
    if not found:
        return []
    words = list(_ASCII_WORD_RE.finditer(lowered))
    spans = []
    for phrase, i in found:
        j = i + len(phrase.tokens) - 1
        last = Token(stems[j], words[j].start(), words[j].end(), False)
        spans.append(_span(words[i].start(), last, phrase))
    return _merged(sorted(spans))


def match_spans(tokens: Sequence[Token], query: Query) -> list[tuple[int, int]]:
    """Sorted, merged spans of every phrase of ``query`` in a text's tokens."""
    return _merged(sorted(s for p in query.phrases for s in phrase_spans(tokens, p)))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
