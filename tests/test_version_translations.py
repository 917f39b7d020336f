"""services.version_translations: each provision's translation is the translation paragraphs
its lines' beads pair with; over a whole text nothing is lost and nothing duplicated
(Hypothesis), and the translation's diff of two versions marks the changed words."""

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.versions.provisions import split_provisions
from bitext.services.version_translations import provision_translations
from bitext.store.works import StoredParagraphs

_NUMERALS = "一二三四五六七八九十"


@st.composite
def _texts(draw):
    """Paragraphs of a version (article headings and plain paragraphs), a translation
    paragraph for each, and monotone beads pairing one or two paragraphs with one or two."""
    count = draw(st.integers(1, 12))
    article = 0
    original = []
    for k in range(count):
        if draw(st.booleans()) and article < len(_NUMERALS):
            original.append(f"第{_NUMERALS[article]}条　内容{k}。")
            article += 1
        else:
            original.append(f"段落{k}。")
    translation = [f"paragraph {k}." for k in range(count)]
    beads, k = [], 0
    while k < count:
        width = min(draw(st.integers(1, 2)), count - k)
        beads.append((list(range(k, k + width)), list(range(k, k + width))))
        k += width
    return StoredParagraphs(original, translation, beads)


@given(_texts())
def test_every_translation_paragraph_lands_in_the_provisions_once(stored):
    provisions = split_provisions("\n".join(stored.original_texts))
    found = provision_translations(stored, provisions)
    pieces = [found[id(p)] for p in provisions]
    shown = [line for piece in pieces for line in piece.split("\n") if line]
    # a bead spanning two provisions shows its translation in both; otherwise once, in order
    spanning = {t for source, target in stored.beads if len(source) > 1 for t in target}
    assert set(shown) == set(stored.translation_texts)  # nothing lost
    once = [line for line in shown if stored.translation_texts.index(line) not in spanning]
    assert len(once) == len(set(once))  # nothing duplicated
    assert [stored.translation_texts.index(x) for x in dict.fromkeys(shown)] == sorted(
        stored.translation_texts.index(x) for x in set(shown))  # in order


def test_a_provision_of_two_paragraphs_gets_both_translations():
    stored = StoredParagraphs(["第一条　甲。", "乙。", "第二条　丙。"], ["A.", "B.", "C."],
                              [([0], [0]), ([1], [1]), ([2], [2])])
    provisions = split_provisions("\n".join(stored.original_texts))
    found = provision_translations(stored, provisions)
    assert [found[id(p)] for p in provisions] == ["A.\nB.", "C."]
