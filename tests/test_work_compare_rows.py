"""Hypothesis properties of the side-by-side rows (services.work_reading.compare_rows):
every paragraph of the original and of each translation is in exactly one row, in order;
identical translations never differ, a translation missing where another has text always
does."""

from hypothesis import given
from hypothesis import strategies as st

from bitext.services.work_reading import compare_rows
from bitext.store.works import StoredParagraphs

WORDS = st.lists(st.sampled_from(["the", "state", "people", "power", "law", "of"]),
                 min_size=1, max_size=6).map(" ".join)


@st.composite
def alignments(draw, original_count: int):
    """A monotonic paragraph alignment of ``original_count`` original paragraphs: beads of
    0-2 original and 0-2 translation paragraphs, every original paragraph covered once."""
    beads, source, target = [], 0, 0
    while source < original_count:
        take_source = draw(st.integers(0 if beads else 1, min(2, original_count - source)))
        take_target = draw(st.integers(0 if take_source else 1, 2))
        beads.append((list(range(source, source + take_source)),
                      list(range(target, target + take_target))))
        source, target = source + take_source, target + take_target
    texts = draw(st.lists(WORDS, min_size=target, max_size=target))
    return beads, texts


@st.composite
def comparisons(draw):
    original = draw(st.lists(WORDS, min_size=1, max_size=8))
    count = draw(st.integers(1, 3))
    stored = []
    for _ in range(count):
        beads, texts = draw(alignments(len(original)))
        stored.append(StoredParagraphs(original, texts, beads))
    return stored


@given(comparisons())
def test_every_paragraph_once_in_order(stored):
    rows = compare_rows(stored, ["en"] * len(stored))
    assert [text for row in rows for text in row.original] == stored[0].original_texts
    for k, translation in enumerate(stored):
        assert [text for row in rows for text in row.translations[k]] == \
            translation.translation_texts
    assert [row.number for row in rows] == list(range(1, len(rows) + 1))


@given(comparisons())
def test_the_same_translation_twice_never_differs(stored):
    rows = compare_rows([stored[0], stored[0]], ["en", "en"])
    assert not any(row.differ for row in rows)
    assert all(row.similarity in (None, 1.0) for row in rows)


@given(comparisons())
def test_a_row_with_text_on_one_side_only_differs(stored):
    rows = compare_rows(stored, ["en"] * len(stored))
    for row in rows:
        if any(row.translations) and not all(row.translations):
            assert row.differ
