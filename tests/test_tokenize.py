"""The search tokenizer: folding, bigrams, stemming, query parsing, and its properties."""

import re
import unicodedata

import pytest
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.core.text.tokenize import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    QueryError,
    fold,
    highlight_spans,
    index_token_forms,
    index_tokens,
    match_spans,
    parse_query,
    stemmer_language,
    token_string,
    tokenize,
)

# Text drawn from the scripts we care about, plus punctuation and query syntax.
ALPHABET = st.sampled_from(
    list("abcdefgxyzABCÉéü0123456789 \t\n.,;:!?'\"*-()[]\\/_^+")
    + list("中華国國人民憲宪法的是了在和體体说說") + list("ａＢ１，。「」　") + ["😀", "\u0301"]
)
TEXT = st.text(ALPHABET, max_size=80)
TOKEN_CHARS = re.compile(r"^[^\W_]+$")


def test_traditional_and_simplified_fold_to_the_same_tokens():
    assert index_tokens("中華人民共和國憲法", "zh-Hant") == index_tokens("中华人民共和国宪法", "zh")


def test_full_width_folds_to_half_width():
    assert index_tokens("ＷＴＯ　１９９７", "zh") == ["wto", "1997"]


def test_han_runs_become_bigrams_and_a_trailing_unigram():
    assert index_tokens("中国人", "zh") == ["中国", "国人", "人"]
    assert index_tokens("人", "zh") == ["人"]


def test_english_words_are_lowercased_and_stemmed():
    assert index_tokens("Running DOGS", "en") == ["run", "dog"]


def test_languages_without_a_stemmer_are_not_stemmed():
    assert stemmer_language("zh-Hans") is None
    assert stemmer_language("en-GB") == "english"
    assert index_tokens("running dogs", "zh") == ["running", "dogs"]


def test_mixed_text_keeps_offsets_into_the_original():
    text = "在ＷＴＯ框架內, Running"
    assert [(t.text, text[t.start : t.end]) for t in tokenize(text, "en")] == [
        ("在", "在"), ("wto", "ＷＴＯ"), ("框架", "框架"), ("架内", "架內"), ("内", "內"),
        ("run", "Running"),
    ]


def test_a_single_character_query_finds_the_character_inside_a_run():
    tokens = tokenize("中國人民很好，国", "zh")
    assert match_spans(tokens, parse_query("国")) == [(1, 2), (7, 8)]


def test_a_phrase_query_matches_only_adjacent_words():
    query = parse_query('"running dogs"')
    assert match_spans(tokenize("the dog runs; running dogs bark", "en"), query) == [(14, 26)]
    assert match_spans(tokenize("dogs running", "en"), query) == []


@pytest.mark.parametrize(
    "text",
    ["park.", "multi-agent", "NEAR(a b, 0)", "col:term", "a* b*", "'; DROP TABLE x;--",
     "a\\b", "OR", "-x", '"unbalanced', "AND NOT", "^start"],
)
def test_hostile_queries_become_plain_words(text):
    query = parse_query(text)
    words = [token.forms[0] for phrase in query.phrases for token in phrase.tokens]
    assert words == re.findall(r"[^\W_]+", text.lower())
    assert all(TOKEN_CHARS.match(form) for phrase in query.phrases for token in phrase.tokens
               for form in token.forms)


@pytest.mark.parametrize("text", ["", "   ", '"', '""', "***", "--", "。，"])
def test_queries_without_words_are_refused(text):
    with pytest.raises(QueryError, match="no words"):
        parse_query(text)


def test_long_queries_are_refused_with_a_clear_message():
    with pytest.raises(QueryError, match="too long"):
        parse_query("a" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(QueryError, match="too many words"):
        parse_query(" ".join(f"w{i}" for i in range(100)))


@given(TEXT, st.sampled_from(["en", "zh", "fr", None]))
def test_tokens_are_word_characters_with_spans_inside_the_text(text, language):
    tokens = tokenize(text, language)
    assert [t.text for t in tokens] == index_tokens(text, language)
    for token in tokens:
        assert TOKEN_CHARS.match(token.text), token
        assert 0 <= token.start < token.end <= len(text)
    assert token_string(text, language).split() == index_tokens(text, language)


@given(TEXT, st.sampled_from(["en", "zh", "fr", None]))
def test_one_pass_gives_the_stemmed_tokens_and_the_words_as_written(text, language):
    stemmed, written = index_token_forms(text, language)
    assert stemmed == [t.text for t in tokenize(text, language)]
    assert written == [t.text for t in tokenize(text)]  # position for position
    assert index_tokens(text, language) == stemmed


def test_words_as_written_keep_their_endings():
    assert index_token_forms("National nations 中國", "en") == (
        ["nation", "nation", "中国", "国"], ["national", "nations", "中国", "国"])


@given(TEXT)
def test_folding_keeps_the_length(text):
    assert len(fold(text)) == len(text)


@given(TEXT)
def test_every_han_character_starts_exactly_one_token(text):
    starts = [t.start for t in tokenize(text) if t.han]
    han = [i for i, c in enumerate(fold(text)) if "\u4e00" <= c <= "\u9fff"]
    assert starts == han


def _parsed_unless_rightly_refused(text: str, languages=("en",)):
    """The parsed query, or None when ``text`` has no words or too many (the only refusals
    for a short query): a test may skip those, never a query that should have parsed."""
    try:
        return parse_query(text, languages)
    except QueryError:
        words = len(tokenize(text))
        assert words == 0 or words > MAX_QUERY_TERMS, text
        return None


@given(TEXT)
def test_any_query_parses_or_is_refused_cleanly(text):
    query = _parsed_unless_rightly_refused(text)
    assert query is None or query.phrases


@settings(max_examples=200)
@given(TEXT, st.sampled_from(["en", "zh", "fr"]))
def test_a_text_matches_itself_as_a_quoted_phrase(text, language):
    text = unicodedata.normalize("NFC", text)  # as stored text is
    words = text.replace('"', " ")
    query = _parsed_unless_rightly_refused(f'"{words}"', [language])
    if query is None:
        return
    assert match_spans(tokenize(text, language), query)


@given(TEXT, TEXT, st.sampled_from(["en", "zh"]))
def test_each_word_of_a_query_taken_from_the_text_matches(prefix, text, language):
    query = _parsed_unless_rightly_refused(text.replace('"', " "), [language])
    if query is None:
        return
    tokens = tokenize(unicodedata.normalize("NFC", prefix + " " + text), language)
    for phrase in query.phrases:
        assert match_spans(tokens, type(query)(query.text, (phrase,)))


def _one_regex_tokens(text: str, language: str | None) -> list[tuple]:
    """The tokenizer's definition, without its fast paths: one regex over the folded text."""
    from bitext.core.text.tokenize import _TOKEN_RE, MAX_TOKEN_CHARS, stem

    algorithm = stemmer_language(language)
    tokens = []
    for match in _TOKEN_RE.finditer(fold(text)):
        start, end = match.span()
        run = match.group()
        if match.lastgroup == "han":
            tokens += [(run[i - start : i - start + 2], i, i + 2, True, False)
                       for i in range(start, end - 1)]
            tokens.append((run[-1], end - 1, end, True, True))
        else:
            tokens.append((stem(run.lower()[:MAX_TOKEN_CHARS], algorithm), start, end, False,
                           False))
    return tokens


# ASCII-only texts take a fast path; these add what could make it differ.
WIDE_ALPHABET = st.sampled_from(
    list("abzABZ09 _-.,'\"\t\n\x00\x1f\x7f") + list("中國人民・ー゛゠カなゃ\u3099\u3040")
    + ["\U00020000", "\U0003134f", "ａ", "１", "　", "İ", "ß", "ﬁ", "²", "①", "\u0301", "é"]
)


@settings(max_examples=500)
@given(st.text(WIDE_ALPHABET, max_size=40) | st.text(st.characters(max_codepoint=127)),
       st.sampled_from(["en", "zh", "fr", "tr", None]))
def test_fast_paths_give_the_tokens_of_the_one_regex(text, language):
    expected = _one_regex_tokens(text, language)
    assert [tuple(t) for t in tokenize(text, language)] == expected
    assert index_tokens(text, language) == [t[0] for t in expected]


def test_stemming_from_many_threads_gives_the_same_stems():
    from concurrent.futures import ThreadPoolExecutor

    words = [f"{w}{suffix}" for w in ("run", "connect", "nation", "general")
             for suffix in ("", "s", "ing", "ed", "ally", "ization", "ers")]
    expected = {w: snowballstemmer.stemmer("english").stemWord(w) for w in words}
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda w: index_tokens(w, "en")[0], words * 50))
    assert got == [expected[w] for w in words * 50]


@settings(max_examples=300)
@given(st.text(WIDE_ALPHABET, max_size=60) | st.text(st.characters(max_codepoint=127)),
       TEXT, st.sampled_from(["en", "zh", "fr", None]))
def test_highlights_are_the_match_spans_of_the_tokens(text, query_text, language):
    query = _parsed_unless_rightly_refused(
        query_text.replace('"', " ") + ' "' + text[:12] + '"', [language])
    if query is None:
        return
    assert highlight_spans(text, language, query) == match_spans(tokenize(text, language), query)
