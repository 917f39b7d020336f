"""The tokenizer migrations use is a frozen copy (bitext.store.migrations.tokenizer_v1): what
an old migration computes must not change when the live tokenizer does."""

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.text.tokenize import index_tokens
from bitext.store.migrations.tokenizer_v1 import tsvector_literal, words_as_written
from bitext.store.search_index import tsvector_literal as live_tsvector_literal

ALPHABET = st.sampled_from(
    list("abcxyzABCÉéü0123456789 \t.,;:'\"*-_\\") + list("中華国國人民憲宪法の가")
    + list("ａＢ１，　") + ["😀", "\u0301", "\U00020000"])


def test_version_1_tokens_are_fixed():
    assert words_as_written("Running DOGS, ＷＴＯ　１９９７") == ["running", "dogs", "wto", "1997"]
    assert words_as_written("中華人民共和國憲法") == [
        "中华", "华人", "人民", "民共", "共和", "和国", "国宪", "宪法", "法"]
    assert words_as_written("x" * 70) == ["x" * 64]
    assert tsvector_literal(["it's", "a\\b"]) == "'it''s':1 'a\\\\b':2"


@given(st.text(ALPHABET, max_size=60))
def test_version_1_is_still_the_live_tokenizer(text):
    """When this fails the live tokenizer has changed: libraries hold version 1 tokens, so
    the change needs a migration that reindexes (and this test then compares the copy with
    the outputs above only)."""
    assert words_as_written(text) == index_tokens(text, None)
    assert tsvector_literal(words_as_written(text)) == live_tsvector_literal(
        index_tokens(text, None))
