"""Alignment signals are registered by name: an aligner takes the ones it uses, each with
its weight, and a stored alignment records its engine, version and signals."""

from collections import Counter
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import ENGINE_VERSION, EmbeddingAligner
from bitext.core.align.scoring import ScoreWeights
from bitext.core.align.signals import (
    DEFAULT_SIGNALS,
    SIGNALS,
    KeySignal,
    shared_weight,
    signals_for,
)
from bitext.core.align.signals import numbers as number_signal
from bitext.errors import InputError
from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.library import add_document
from bitext.store.schema import Alignment

SOURCE = ["The river rose in the night. #harbour", "Boats were tied to the old pier.",
          "By morning the road was under water. #road", "Nobody went to the market."]
TARGET = ["Le fleuve a monté dans la nuit. #harbour", "Les bateaux étaient au vieux quai.",
          "Au matin la route était sous l'eau. #road", "Personne n'est allé au marché."]


def _tags(text: str) -> Counter[str]:
    return Counter(word for word in text.split() if word.startswith("#"))


class ToySignal:
    """A signal as a module would define it: '#tag' words shared by both sides."""

    @staticmethod
    def applies(source_language: str, target_language: str) -> bool:
        return source_language != "de"

    @staticmethod
    def signal(source_language: str, target_language: str, source_texts: Sequence[str],
               target_texts: Sequence[str]) -> KeySignal[str]:
        return KeySignal("toy", _tags, _tags, lambda _: 1.0)


@pytest.fixture
def toy(monkeypatch):
    """The one registry entry a new signal needs."""
    monkeypatch.setitem(SIGNALS, "toy", ToySignal())


def _aligner(signals: dict[str, float], source="en", target="fr") -> EmbeddingAligner:
    return EmbeddingAligner(source, target, encoder=HashingEncoder(), signals=signals,
                            weights=ScoreWeights(signal_weight=0.05))


def test_a_registered_signal_changes_the_scores_by_its_weight(toy):
    plain = _aligner({}).align(SOURCE, TARGET)
    with_toy = _aligner({"toy": 2.0}).align(SOURCE, TARGET)
    assert [(b.source, b.target) for b in with_toy] == [(b.source, b.target) for b in plain]
    gains = [round(t.score - p.score, 3) for t, p in zip(with_toy, plain, strict=True)]
    # one shared tag x the toy's weight 2 x signal_weight 0.05, only where a tag is shared
    assert gains == [0.1, 0.0, 0.1, 0.0]
    heavier = _aligner({"toy": 4.0}).align(SOURCE, TARGET)
    assert round(heavier[0].score - plain[0].score, 3) == 0.2


def test_a_registered_signal_can_decide_beads(toy):
    """Source sentence 1 shares its tag with target sentence 1, which the embeddings put
    with source sentence 0: weighed enough, the tag wins and the beads change."""
    source = ["alpha beta gamma delta #a", "epsilon zeta #b"]
    target = ["alpha beta #a", "gamma delta #b", "epsilon zeta"]
    plain = [(b.source, b.target) for b in _aligner({}).align(source, target)]
    assert plain == [((0,), (0, 1)), ((1,), (2,))]
    light = [(b.source, b.target) for b in _aligner({"toy": 1.0}).align(source, target)]
    assert light == plain
    heavy = [(b.source, b.target) for b in _aligner({"toy": 10.0}).align(source, target)]
    assert heavy == [((0, 1), (0, 1, 2))]


def test_signals_are_chosen_by_name_with_their_weights(toy):
    chosen = signals_for("en", "fr", SOURCE, TARGET, {"numbers": 0.5, "toy": 3.0})
    assert [(s.name, s.weight) for s in chosen] == [("numbers", 0.5), ("toy", 3.0)]
    assert signals_for("de", "fr", chosen={"toy": 1.0}) == []  # does not apply to de
    # the default is today's pair of signals at weight 1, which changes no score
    assert dict(DEFAULT_SIGNALS) == {"numbers": 1.0, "names": 1.0}
    assert EmbeddingAligner("zh-Hans", "en", encoder=HashingEncoder()).signals == {
        "numbers": 1.0, "names": 1.0}
    numbers = number_signal.signal("en", "fr", [], [])
    doubled = signals_for("en", "fr", chosen={"numbers": 2.0})[0]
    keys = Counter({2022.0: 1, 18.0: 2})
    assert doubled.weight == 2.0
    assert shared_weight(doubled, keys, keys) == 2 * shared_weight(numbers, keys, keys)


@pytest.mark.parametrize("signals, message", [
    ({"colours": 1.0}, "unknown alignment signal 'colours' (known: names, numbers)"),
    ({"numbers": -1.0}, "alignment signal 'numbers': the weight must be a number >= 0"),
    ({"numbers": float("nan")}, "the weight must be a number >= 0"),
    ({"numbers": "1"}, "the weight must be a number >= 0"),
])
def test_an_unknown_signal_or_a_bad_weight_is_refused(signals, message):
    with pytest.raises(InputError) as caught:
        _aligner(signals)
    assert message in caught.value.message and "\n" not in caught.value.message


def _engines(library) -> list[dict | None]:
    with library.reader() as session:
        return list(session.scalars(select(Alignment.engine).order_by(Alignment.id)))


def test_a_stored_alignment_records_engine_version_and_signals(library):
    meta = {"slug": "flood", "title_original": "Flood", "title_translation": "Crue",
            "language_original": "en", "language_translation": "fr", "status": "published"}
    aligner = _aligner({"numbers": 2.0, "names": 1.0})
    add_document(library, meta, "\n\n".join(SOURCE), "\n\n".join(TARGET), aligner=aligner)
    record = {"engine": "embedding-hash-char-ngram-512", "version": ENGINE_VERSION,
              # names reads Chinese against Latin letters: not used for en-fr, not recorded
              "signals": {"numbers": 2.0},
              "settings": {"signal_weight": 0.05, "scorer": "formula"}}
    assert _engines(library) == [record]

    editor = add_user(library, "editor1", "correct horse battery", "editor")
    with library.reader() as session:
        base = session.scalar(select(Alignment.id))
    editing.edit_alignment(library, editor, "flood", base, "paragraph", 0, "merge")
    assert _engines(library) == [record, record]  # an edit keeps what made its base
