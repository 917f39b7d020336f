"""How likely an aligned bead is exactly right: a calibrated probability for readers and
editors.

The aligner's own score ranks candidate beads against each other; it is not a
probability, and on legal texts it is low for plainly right pairs (a long article whose
wording is formal on both sides) and high for wrong ones (a heading paired with the
previous article's footnote). What tells a reader that a row is wrong is mostly
structure, which the score does not see:

- **markers**: the labels a paragraph starts with (第十三條 / Article 13, 第二章 /
  Chapter II, （三）/ (3), 一、/ 1., 註： / Note:, a footnote's * or #) differ between
  the two sides;
- **open ends**: one side ends mid-sentence (on a comma, on 的, on "of") while the other
  ends a sentence: the rest of that sentence went to the next row;
- numbers that disagree, a length ratio far from the document's own, a null bead, and
  trouble in the neighbouring rows (errors come in runs).

``BeadConfidence`` turns these into a probability by a logistic model and an isotonic
calibration map, both in ``models/<name>.json`` (versioned by name), fitted by
``bench/train_confidence.py`` on gold texts that are not MAC and not the demo documents.
Everything here works on the beads of one document in order, because two features look
at the neighbours.
"""

import json
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from bitext.core.align.signals.numbers import digit_numbers, number_reader
from bitext.core.text.headings import read_heading
from bitext.core.text.languages import is_chinese
from bitext.core.text.numerals import numeral_value

DEFAULT_CONFIDENCE_MODEL = "confidence-v1"

UNCERTAIN_BELOW = 0.7
"""A link an editor has not checked is flagged "uncertain" to readers, and comes first in
the editors' review, when the probability that it is exactly right is below this. Chosen
on the training texts (``bench/train_confidence.py`` prints precision and recall there for
0.5 to 0.9): below 0.7 most flagged beads are wrong and most wrong beads are flagged;
``bench/confidence.py`` reports what it gives on the hand-checked demo rows."""

FEATURES = ("score", "null", "marker_mismatch", "marker_match", "open_end",
            "previous_open_end", "number_disagreement", "length_deviation",
            "neighbour_trouble", "several_paragraphs")
"""The evidence for one bead, in the order of the model's weights."""


@dataclass(frozen=True)
class BeadText:
    """One bead as the reader sees it: its paragraphs on each side and the aligner's score."""

    source: Sequence[str]
    target: Sequence[str]
    score: float


def is_uncertain(probability: float, confirmed: bool) -> bool:
    """Whether to flag a link: not checked by an editor and not likely enough right."""
    return not confirmed and probability < UNCERTAIN_BELOW


# ---- markers -------------------------------------------------------------------------

_CJK_NUMERAL = "〇零○一二两兩三四五六七八九十百千"
_NOTE = re.compile(r"(?:註|注|附註|附注|notes?)\s*[:：]?\s*$", re.IGNORECASE)
_ITEM = re.compile(rf"[(（]([{_CJK_NUMERAL}\d]+)[)）]|([{_CJK_NUMERAL}]+)、|(\d+)[.)](?!\d)"
                   rf"|第([{_CJK_NUMERAL}]+)[，,]|([IVX]+)\.\s|([a-z])[.)](?=\s|[^\w\s])")
_MARK = re.compile(r"[*#^@†‡]+")


def paragraph_markers(text: str) -> list[tuple[str, int]]:
    """The labels ``text`` starts with, in order: ``第十三條 *中央…`` gives article 13 and
    the mark ``*``; ``(3) Persons…`` gives item 3; ``註：`` gives a note."""
    found: list[tuple[str, int]] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():  # U+3000 too
            at += 1
        rest = text[at:]
        if heading := read_heading(text, at):
            found.append((heading.kind, heading.number))
            at = heading.end
            continue
        if match := _MARK.match(rest):
            found.append(("mark", ord(match.group()[0])))
        elif match := _ITEM.match(rest):
            token = next(g for g in match.groups() if g)
            found.append(("letter", ord(token)) if token.islower()
                         else ("item", numeral_value(token) or 0))
        elif _NOTE.match(rest):
            return [*found, ("note", 0)]
        else:
            return found
        at += match.end()


def _markers(paragraphs: Sequence[str]) -> list[tuple[str, int]]:
    return sorted(m for p in paragraphs for m in paragraph_markers(p))


# ---- sentence ends -------------------------------------------------------------------

_CLOSED = set("。．.!?！？;；:：…")
_CLOSERS = set(")）]」』”\"’》〉】'")
_OPEN = set("，,、(（《〈【“‘-—−")
_OPEN_ZH = set("的之和及與与或在對对把被將将從从向於于為为")
_OPEN_EN = {"of", "the", "a", "an", "to", "for", "with", "by", "in", "on", "from", "at",
            "as", "that", "which", "whose", "into", "upon", "under", "between"}
_OPEN_EN_AFTER_WORD = {"and", "or"}


def sentence_end(text: str) -> str:
    """"closed" when ``text`` ends a sentence (or a clause of a list: ``;``, ``; and``),
    "open" when it stops mid-sentence (a comma, 的, "of"), "bare" otherwise (a heading, a
    name, a line of a table)."""
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1].rstrip()
        if text and text[-1] in _CLOSED:
            return "closed"
        return "bare"  # a title in brackets: 《…》, (見文件二十四)
    if not text:
        return "bare"
    last = text[-1]
    if last in _CLOSED:
        return "closed"
    if last in _OPEN_ZH and text[-2:-1] in ("；", ";", "，", ","):
        return "closed"  # "…；及": a list item's end, as "; and"
    if last in _OPEN or last in _OPEN_ZH:
        return "open"
    words = text.split()
    word = words[-1].lower() if words else ""
    if word in _OPEN_EN:
        return "open"
    if word in _OPEN_EN_AFTER_WORD:  # "(5) …; and" closes a list item; "… and" does not
        before = words[-2] if len(words) > 1 else ""
        return "closed" if before.endswith((";", ",", "；", "，")) else "open"
    return "bare"


def _open_end(source: Sequence[str], target: Sequence[str]) -> bool:
    """One side stops mid-sentence where the other does not."""
    if not source or not target:
        return False
    ends = {sentence_end(source[-1]), sentence_end(target[-1])}
    return "open" in ends and len(ends) == 2


# ---- features ------------------------------------------------------------------------

def _number_values(language: str) -> Callable[[str], set[float]]:
    """Digits in every language, Chinese numerals too: English number words are left out
    (reading them costs four times the rest of the features, and legal English writes
    its numbers in digits)."""
    if is_chinese(language):
        read = number_reader(language)
        return lambda text: set(read(text))
    return lambda text: {v for v in digit_numbers(text) if v != 1}


def bead_features(beads: Sequence[BeadText], source_language: str,
                  target_language: str) -> np.ndarray:
    """One row of ``FEATURES`` per bead of a document, in order."""
    read_source = _number_values(source_language)
    read_target = _number_values(target_language)
    lengths = [(sum(map(len, b.source)), sum(map(len, b.target))) for b in beads]
    ratios = [t / s for s, t in lengths if s and t]
    usual = statistics.median(ratios) if ratios else 1.0
    rows = []
    for bead, (s_len, t_len) in zip(beads, lengths, strict=True):
        null = not bead.source or not bead.target
        source_markers, target_markers = _markers(bead.source), _markers(bead.target)
        numbers_s = read_source(" ".join(bead.source))
        numbers_t = read_target(" ".join(bead.target))
        union = numbers_s | numbers_t
        disagreement = 1 - len(numbers_s & numbers_t) / len(union) if union else 0.0
        deviation = min(3.0, abs(math.log(t_len / s_len / usual))) if s_len and t_len \
            else 3.0
        rows.append([
            min(2.0, max(-1.0, bead.score)),
            float(null),
            float(source_markers != target_markers),
            float(bool(source_markers) and source_markers == target_markers),
            float(_open_end(bead.source, bead.target)),
            0.0,  # previous_open_end, below
            disagreement,
            deviation,
            0.0,  # neighbour_trouble, below
            float(max(len(bead.source), len(bead.target)) > 1),
        ])
    out = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    index = {name: k for k, name in enumerate(FEATURES)}
    trouble = np.maximum(out[:, index["null"]], out[:, index["marker_mismatch"]])
    if len(out) > 1:
        out[1:, index["previous_open_end"]] = out[:-1, index["open_end"]]
        neighbours = np.zeros(len(out))
        neighbours[1:] = trouble[:-1]
        neighbours[:-1] = np.maximum(neighbours[:-1], trouble[1:])
        out[:, index["neighbour_trouble"]] = neighbours
    return out


# ---- the model -----------------------------------------------------------------------

@dataclass(frozen=True)
class BeadConfidence:
    """A logistic model over ``FEATURES`` and an isotonic map from its log-odds to the
    observed share of exactly right beads."""

    name: str
    weights: np.ndarray
    intercept: float
    calibration_logits: np.ndarray
    calibration_probabilities: np.ndarray
    trained_on: str = ""

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights + self.intercept

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability that each bead is exactly right."""
        return np.interp(self.logits(features), self.calibration_logits,
                         self.calibration_probabilities)

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name, "trained_on": self.trained_on,
            "weights": dict(zip(FEATURES, self.weights.round(6).tolist(), strict=True)),
            "intercept": round(self.intercept, 6),
            "calibration": {"logits": self.calibration_logits.round(4).tolist(),
                            "probabilities": self.calibration_probabilities.round(4).tolist()},
        }, indent=1, ensure_ascii=False) + "\n"


def confidence_from_json(text: str) -> BeadConfidence:
    data = json.loads(text)
    weights = data["weights"]
    if tuple(weights) != FEATURES:
        raise ValueError(f"confidence model {data['name']!r} was fitted on other features")
    return BeadConfidence(
        name=data["name"], weights=np.array(list(weights.values()), dtype=np.float64),
        intercept=float(data["intercept"]),
        calibration_logits=np.array(data["calibration"]["logits"], dtype=np.float64),
        calibration_probabilities=np.array(data["calibration"]["probabilities"],
                                           dtype=np.float64),
        trained_on=data.get("trained_on", ""))


@lru_cache(maxsize=4)
def load_confidence(name: str = DEFAULT_CONFIDENCE_MODEL) -> BeadConfidence:
    """A model shipped in ``bitext/core/align/models`` by name."""
    shipped = resources.files("bitext.core.align") / "models" / f"{name}.json"
    return confidence_from_json(shipped.read_text(encoding="utf-8"))


def bead_confidences(beads: Sequence[BeadText], source_language: str,
                     target_language: str, model: BeadConfidence | None = None) -> list[float]:
    """The probability that each bead of a document (in order) is exactly right."""
    if not beads:
        return []
    model = model or load_confidence()
    features = bead_features(beads, source_language, target_language)
    return [round(float(p), 4) for p in model.probabilities(features)]
