"""Word-level diffs of a paragraph (core.versions.diff.word_marks, as the revision history
shows them): the pieces put back together are the two texts exactly, and only the words
that differ are marked."""

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.versions.diff import word_marks
from bitext.services.history import _inline

TEXT = st.text(alphabet=st.sampled_from("ab c,.’'-人民平等。 \n"), max_size=40)


@given(TEXT, TEXT)
def test_pieces_rebuild_both_texts(old, new):
    left, right = _inline(old, new)
    assert "".join(p.text for p in left) == old
    assert "".join(p.text for p in right) == new
    if old == new:
        assert not any(p.changed for p in left + right)
    # Adjacent pieces alternate: nothing marked twice, nothing split for no reason.
    for pieces in (left, right):
        assert all(a.changed != b.changed for a, b in zip(pieces, pieces[1:], strict=False))


def test_a_misspelt_word_is_marked_whole_and_cjk_by_character():
    left, right = _inline("The People’s Congress meets.", "The People’s Congresses meet.")
    assert [p.text for p in left if p.changed] == ["Congress", "meets"]
    assert [p.text for p in right if p.changed] == ["Congresses", "meet"]
    left, right = _inline("人人平等。", "人人都平等。")
    assert [p.text for p in right if p.changed] == ["都"] and not any(p.changed for p in left)


def test_a_correction_marks_what_two_sources_of_a_law_would_not():
    """One word diff: a revision's correction counts every character (width, spaces); two
    versions of a law compare normalized text."""
    old, new = "人民，平等。", "人民,平 等。"
    left, right = _inline(old, new)
    assert [p.text for p in left if p.changed] == ["，"]
    assert [p.text for p in right if p.changed] == [",", " "]  # a space put in
    assert {m.tag for m in word_marks(old, new)} == {"equal"}


@given(TEXT, TEXT, st.booleans())
def test_word_marks_rebuild_both_texts(old, new, exact):
    marks = word_marks(old, new, exact=exact)
    if exact or (old.strip() and new.strip()):
        assert "".join(m.old for m in marks) == old
        assert "".join(m.new for m in marks) == new
    if exact:
        assert all(m.old == m.new for m in marks if m.tag == "equal")
