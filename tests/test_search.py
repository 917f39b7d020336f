"""Search on both backends: SQLite FTS5 always, PostgreSQL when BITEXT_TEST_POSTGRES_URL is set.

The same tests run on both, so both give the same answers for the same query.
"""

import datetime as dt
import re
import warnings
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import bindparam, delete, event, inspect, select, text

from bitext.errors import InputError
from bitext.services.library import add_document, open_library
from bitext.services.search import SearchFilters, filters_from_text, search
from bitext.store.search_index import backend_for

with warnings.catch_warnings():
    # Starlette asks for ``httpx2``; with plain ``httpx`` it warns once at import.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

DOCUMENTS = [
    (
        {
            "slug": "constitution", "title_original": "中華人民共和國憲法",
            "title_translation": "Constitution of the PRC", "language_original": "zh-Hant",
            "language_translation": "en", "status": "published", "date": "1982-12-04",
            "source": "全国人大", "source_translation": "NPC",
            "authors": [{"name": "全国人民代表大会", "romanized": "Quanguo Renmin Daibiao Dahui"}],
            "tags": ["law"],
        },
        "中華人民共和國的一切權力屬於人民。\n\n人民依照法律規定管理國家事務。國家維護社會主義法制的統一。",
        "All power in the People's Republic of China belongs to the people.\n\n"
        "The people administer state affairs in accordance with the law. "
        "The state upholds the uniformity of the socialist legal system.",
    ),
    (
        {
            "slug": "udhr", "title_original": "世界人权宣言",
            "title_translation": "Universal Declaration of Human Rights",
            "language_original": "zh-Hans", "language_translation": "en",
            "status": "published", "date": "1948-12-10", "source": "联合国",
            "source_translation": "United Nations", "tags": ["rights", "un"],
        },
        "人人生而自由，在尊严和权利上一律平等。\n\n人人有权享有生命、自由和人身安全。",
        "All human beings are born free and equal in dignity and rights.\n\n"
        "Everyone has the right to life, liberty and security of person.",
    ),
    (
        {
            "slug": "draft-note", "title_original": "草稿", "title_translation": "Draft",
            "language_original": "zh-Hans", "language_translation": "en", "status": "draft",
        },
        "人民的权利草稿。",
        "A draft about the rights of the people.",
    ),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_library(request, tmp_path):
    """A migrated, empty library on each backend (postgres skipped without a server; each
    test in a schema of its own, see ``postgres_url``)."""
    if request.param == "postgres":
        database = open_library(request.getfixturevalue("postgres_url"))
    else:
        database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    yield database
    database.dispose()


@pytest.fixture
def corpus(empty_library):
    for meta, original, translation in DOCUMENTS:
        add_document(empty_library, meta, original, translation)
    return empty_library


def slugs(results) -> list[str]:
    return sorted({hit.slug for hit in results.hits})


def test_traditional_and_simplified_queries_find_the_same_sentences(corpus):
    simplified = search(corpus, "国家")
    traditional = search(corpus, "國家")
    assert [h.segment_id for h in simplified.hits] == [h.segment_id for h in traditional.hits]
    assert simplified.total == 2
    assert all(h.slug == "constitution" and h.side == "original" for h in simplified.hits)


def test_english_word_forms_match_by_stem(corpus):
    results = search(corpus, "administering")
    assert [h.text for h in results.hits] == [
        "The people administer state affairs in accordance with the law."
    ]
    assert results.hits[0].highlights == [(11, 21)]


def test_a_hit_brings_its_aligned_sentence_and_a_permalink_to_its_row(corpus):
    hit = search(corpus, "dignity").hits[0]
    assert hit.slug == "udhr" and hit.side == "translation"
    assert hit.aligned_side == "original"
    assert hit.aligned_text == "人人生而自由，在尊严和权利上一律平等。"
    assert (hit.slug, hit.row) == ("udhr", 1)
    second = search(corpus, "liberty").hits[0]
    assert (second.slug, second.row) == ("udhr", 2)
    assert second.aligned_text == "人人有权享有生命、自由和人身安全。"


def test_highlights_are_spans_of_the_stored_text(corpus):
    hit = search(corpus, "权力").hits[0]  # the stored text is traditional
    assert [hit.text[a:b] for a, b in hit.highlights] == ["權力"]
    assert ("權力", True) in hit.pieces()


def test_both_languages_from_one_box(corpus):
    results = search(corpus, "人民")
    assert {h.side for h in results.hits} == {"original"}
    assert search(corpus, "people").hits[0].side == "translation"


def test_quoted_phrases_need_adjacent_words(corpus):
    assert slugs(search(corpus, '"born free"')) == ["udhr"]
    assert search(corpus, '"free born"').hits == []
    assert search(corpus, "free born").total == 1


def test_single_character_query_matches_inside_words(corpus):
    results = search(corpus, "權")
    assert {h.slug for h in results.hits} == {"constitution", "udhr"}


def test_drafts_are_not_searched(corpus):
    assert "draft-note" not in slugs(search(corpus, "rights"))
    assert "draft-note" in slugs(
        search(corpus, "rights", SearchFilters(statuses=("published", "draft")))
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(source="NPC"), ["constitution"]),
        (SearchFilters(source="联合国"), ["udhr"]),
        (SearchFilters(author="Quanguo Renmin Daibiao Dahui"), ["constitution"]),
        (SearchFilters(tag="rights"), ["udhr"]),
        (SearchFilters(date_from=dt.date(1980, 1, 1)), ["constitution"]),
        (SearchFilters(date_to=dt.date(1950, 1, 1)), ["udhr"]),
        (SearchFilters(side="original"), []),
        (SearchFilters(side="translation"), ["constitution", "udhr"]),
    ],
)
def test_filters(corpus, filters, expected):
    assert slugs(search(corpus, "all", filters)) == expected


def test_pagination_and_totals(corpus):
    first = search(corpus, "the", per_page=2)
    second = search(corpus, "the", page=2, per_page=2)
    assert first.total == 4 and first.pages == 2 and not first.total_is_capped
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert not {h.segment_id for h in first.hits} & {h.segment_id for h in second.hits}


def test_hits_come_best_first(corpus):
    hits = search(corpus, "the").hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert search(corpus, "人民 法律").hits[0].text.startswith("人民依照法律")


HOSTILE = [
    "park.", "multi-agent", "NEAR(a b, 0)", "col:term", "tokens:all", "a* b*", "-all",
    "all OR people", "'; DROP TABLE segments;--", '"all', 'all"', "\\all\\", "all AND",
    "^all", "all)", "(((all", "{tokens} : all", "rank:people", "people NOT all",
    " ".join(["a*"] * 30), "人民\"", "\x00all", "all\u202e", "😀 people",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_find_what_their_plain_words_find(corpus, query):
    """Query syntax of FTS5 or tsquery is text: the hits are those of the words alone."""
    words = re.sub(r"[\W_]+", " ", query)
    assert [h.segment_id for h in search(corpus, query).hits] == [
        h.segment_id for h in search(corpus, words).hits]


def test_some_hostile_queries_have_hits(corpus):
    """(So that the comparison above is not between empty lists.)"""
    assert search(corpus, "(((all").total == 2 and search(corpus, "😀 people").total == 2


@pytest.mark.parametrize("query", ["", "   ", '"', "***", "-", "。"])
def test_empty_queries_are_refused_before_sql(corpus, query):
    with pytest.raises(InputError, match="no words"):
        search(corpus, query)


@contextmanager
def statements_read(database):
    """Every SQL statement the library's reader sends in the block, those the SQLite
    backend sends through the sqlite3 driver itself (FTS5 queries) included."""
    sent: list[str] = []
    engine = database.read_engine
    if database.is_sqlite:
        def trace(dbapi_connection, _record) -> None:
            dbapi_connection.set_trace_callback(sent.append)

        engine.dispose()  # every connection from here on is a new, traced one
        listened = ("connect", trace)
    else:
        def record(_connection, _cursor, statement, *_args) -> None:
            sent.append(statement)

        listened = ("before_cursor_execute", record)
    event.listen(engine, *listened)
    try:
        yield sent
    finally:
        event.remove(engine, *listened)
        engine.dispose()


def test_ten_kilobyte_query_is_refused_before_the_index_is_read(corpus):
    with statements_read(corpus) as sent:
        search(corpus, "people")
        assert any("segment_tokens" in s for s in sent)  # (the index is seen when read)
        sent.clear()
        with pytest.raises(InputError, match="too long"):
            search(corpus, "people " * 1500)
    assert not [s for s in sent if "segment" in s or "search_" in s]


def test_sql_looking_input_leaves_the_tables_alone(corpus):
    search(corpus, "x'); DROP TABLE segment_tokens; --")
    assert search(corpus, "people").total == 2


def test_bad_filters_are_user_errors(corpus):
    with pytest.raises(InputError, match="side"):
        search(corpus, "people", SearchFilters(side="both"))
    with pytest.raises(InputError, match="date"):
        search(corpus, "people",
               SearchFilters(date_from=dt.date(2000, 1, 2), date_to=dt.date(2000, 1, 1)))


def test_typed_dates_are_trimmed_like_the_other_filters():
    filters = filters_from_text(" NPC ", date_from=" 1980-01-01 ", date_to=" ", side="original ")
    assert filters == SearchFilters(source="NPC", date_from=dt.date(1980, 1, 1), side="original")


def test_a_failed_add_leaves_no_index_rows(empty_library):
    meta, original, translation = DOCUMENTS[0]
    add_document(empty_library, meta, original, translation)
    with empty_library.reader() as session:
        before = session.scalar(text("SELECT count(*) FROM segment_tokens"))
    with pytest.raises(InputError, match="already exists"):
        add_document(empty_library, meta, "全新的文字。", "Entirely new words.")
    with empty_library.reader() as session:
        assert session.scalar(text("SELECT count(*) FROM segment_tokens")) == before
    assert search(empty_library, "entirely").hits == []


def test_an_error_inside_the_transaction_rolls_back_the_index(empty_library, monkeypatch):
    import bitext.services.library as library

    calls = []
    real = library.index_revision

    def index_then_fail(session, *args, **kwargs):
        real(session, *args, **kwargs)
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(library, "index_revision", index_then_fail)
    meta, original, translation = DOCUMENTS[1]
    with pytest.raises(RuntimeError):
        add_document(empty_library, meta, original, translation)
    with empty_library.reader() as session:
        assert session.scalar(text("SELECT count(*) FROM segment_tokens")) == 0
        assert session.scalar(text("SELECT count(*) FROM segments")) == 0
        backend_for(session).check(session)


def test_index_holds_every_sentence_and_passes_its_integrity_check(corpus):
    with corpus.reader() as session:
        sentences = session.scalar(text("SELECT count(*) FROM segments WHERE kind = 'sentence'"))
        indexed = session.scalar(text("SELECT count(*) FROM segment_tokens"))
        assert sentences == indexed
        backend_for(session).check(session)


def test_migration_indexes_documents_added_before_it(tmp_path):
    """A library whose documents were written before 0002 gets them indexed on upgrade.
    The document is written by today's code into a library at head, then its rows are
    copied into one at 0001 (the columns 0001 has): today's ORM cannot write a 0001 schema."""
    import sqlite3

    from alembic import command

    from bitext.store.database import Database
    from bitext.store.migrate import alembic_config, upgrade

    head = open_library(f"sqlite:///{tmp_path / 'head.db'}")
    add_document(head, *DOCUMENTS[1])
    head.dispose()
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        tables = {name: [c["name"] for c in inspect(connection).get_columns(name)]
                  for name in inspect(connection).get_table_names()
                  if name != "alembic_version"}
    old = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    old.execute("PRAGMA foreign_keys = OFF")
    old.execute("ATTACH DATABASE ? AS head", (str(tmp_path / "head.db"),))
    old.execute("BEGIN")
    for name, columns in tables.items():
        listed = ", ".join(columns)
        old.execute(f"INSERT INTO main.{name} ({listed}) SELECT {listed} FROM head.{name}")
    old.execute("COMMIT")
    old.execute("DETACH DATABASE head")
    old.close()
    with database.reader() as session:
        assert "segment_tokens" not in inspect(session.connection()).get_table_names()
    upgrade(database)
    assert search(database, "dignity").total == 1
    assert search(database, "dignity", SearchFilters(exact=True)).total == 1
    assert search(database, "dignity 尊严").total == 1
    database.dispose()


# --- the web endpoints, in the real application -----------------------------------------


@pytest.fixture
def client(corpus):
    """The real application over the test corpus."""
    from bitext.web.app import create_app

    with TestClient(create_app(corpus), raise_server_exceptions=False) as test_client:
        yield test_client


def test_api_search_returns_hits_as_json(client):
    response = client.get("/api/search", params={"q": "國家", "per_page": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2 and len(body["hits"]) == 1
    hit = body["hits"][0]
    assert hit["url"].startswith("/documents/constitution#p")
    assert hit["aligned_text"]


@pytest.mark.parametrize("query", HOSTILE + ["", '"', "x" * 10_000])
def test_api_search_never_fails_with_a_server_error(client, query):
    response = client.get("/api/search", params={"q": query})
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code != 200:
        assert "query" in response.text


def test_search_page_escapes_the_query(client):
    response = client.get("/search", params={"q": "<people>"})
    assert response.status_code == 200
    assert "<people>" not in response.text
    assert "&lt;people&gt;" in response.text
    script = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert script.status_code == 200
    assert "<script>alert(1)" not in script.text and "&lt;script&gt;alert(1)" in script.text
    assert "<mark>people</mark>" in response.text or "<mark>People</mark>" in response.text


def test_links_of_hits_keep_the_root_path(corpus):
    """Behind a proxy at /lib, every link of the search and concordance pages, the API's
    urls and the CSV's permalinks stay under /lib."""
    from bitext.web.app import create_app

    with TestClient(create_app(corpus), root_path="/lib") as lib:
        page = lib.get("/lib/search", params={"q": "people"}).text
        links = re.findall(r'href="(/[^"]*)"', page)
        assert any(link.startswith("/lib/documents/constitution#p") for link in links)
        assert "/lib/concordance?" in page.replace("&amp;", "&")
        kwic = lib.get("/lib/concordance", params={"q": "people"}).text
        assert 'href="/lib/documents/constitution#p1"' in kwic
        assert 'href="/lib/concordance.csv?' in kwic
        hits = lib.get("/lib/api/search", params={"q": "people"}).json()["hits"]
        assert hits and all(h["url"].startswith("/lib/documents/") for h in hits)
        csv_text = lib.get("/lib/concordance.csv", params={"q": "people"}).text
        assert "http://testserver/lib/documents/constitution#p1" in csv_text
        for link in links:
            if link.startswith("/lib/") and not link.startswith("/lib/static"):
                assert lib.get(link.split("#")[0]).status_code == 200, link


def test_search_page_shows_a_refused_query_as_a_message(client):
    response = client.get("/search", params={"q": '"'})
    assert response.status_code == 400
    assert "no words" in response.text


# --- bead membership: every writer of beads keeps it, search reads it -------------------


def _check(database):
    with database.reader() as session:
        backend_for(session).check(session)


def test_alignment_edits_move_the_row_and_keep_the_aligned_sentence(corpus):
    from bitext.services import editing
    from bitext.services.accounts import add_user
    from bitext.store.documents import latest_alignment
    from bitext.store.schema import Document

    editor = add_user(corpus, "editor1", "correct horse battery", "editor")
    with corpus.reader() as session:
        document = session.scalar(select(Document).where(Document.slug == "udhr"))
        base = latest_alignment(session, document.id).id
    assert search(corpus, "liberty").hits[0].row == 2
    editing.edit_alignment(corpus, editor, "udhr", base, "paragraph", 0, "merge")
    hit = search(corpus, "liberty").hits[0]
    assert (hit.slug, hit.row) == ("udhr", 1)
    assert hit.aligned_text == "人人有权享有生命、自由和人身安全。"
    _check(corpus)


def test_a_corrected_paragraph_is_found_with_its_aligned_sentence(corpus):
    from bitext.services import editing
    from bitext.services.accounts import add_user
    from bitext.services.reading import get_document

    editor = add_user(corpus, "editor1", "correct horse battery", "editor")
    paragraph = get_document(corpus, "udhr").rows[1].translation[0]
    editing.edit_paragraph(corpus, editor, "udhr", "translation", paragraph.id, 1,
                           "Everyone has the right to life, freedom and safety.", "wording")
    hit = search(corpus, "safety").hits[0]
    assert hit.row == 2 and hit.aligned_text == "人人有权享有生命、自由和人身安全。"
    assert search(corpus, "自由").total == 2  # the original side's sentences are unchanged
    _check(corpus)


def _memberships(database, slug: str) -> int:
    """How many bead_members rows belong to the alignments of document ``slug``."""
    with database.reader() as session:
        return session.scalar(text(
            "SELECT count(*) FROM bead_members m JOIN alignments a ON a.id = m.alignment_id"
            " JOIN documents d ON d.id = a.document_id WHERE d.slug = :slug"), {"slug": slug})


def test_imported_documents_keep_bead_membership(corpus):
    from bitext.services.export import export_document
    from bitext.services.importing import import_bytes

    data = export_document(corpus, "udhr", "tmx").content
    meta = dict(DOCUMENTS[1][0], slug="udhr-copy")
    import_bytes(corpus, data, "tmx", meta)
    assert _memberships(corpus, "udhr-copy") > 0
    _check(corpus)


def test_imported_documents_are_searchable(corpus):
    from bitext.services.export import export_document
    from bitext.services.importing import import_bytes

    data = export_document(corpus, "udhr", "tmx").content
    import_bytes(corpus, data, "tmx", dict(DOCUMENTS[1][0], slug="udhr-copy"))
    hits = search(corpus, "dignity").hits
    assert {h.slug for h in hits} == {"udhr", "udhr-copy"}
    assert all(h.aligned_text for h in hits)


def test_deleting_a_document_empties_its_index_and_memberships(corpus):
    from bitext.store.schema import Alignment, Document

    with corpus.reader() as session:
        udhr = session.scalar(select(Document.id).where(Document.slug == "udhr"))
        alignments = session.scalars(
            select(Alignment.id).where(Alignment.document_id == udhr)).all()
    assert alignments and _memberships(corpus, "udhr") > 0
    with corpus.transaction() as session:
        session.execute(delete(Document).where(Document.slug == "udhr"))
    with corpus.reader() as session:
        left = session.scalar(
            text("SELECT count(*) FROM bead_members WHERE alignment_id IN :ids").bindparams(
                bindparam("ids", expanding=True)), {"ids": alignments})
        tokens = session.scalar(
            text("SELECT count(*) FROM segment_tokens WHERE document_id = :d"), {"d": udhr})
        assert (left, tokens) == (0, 0)
    assert _memberships(corpus, "constitution") > 0  # other documents keep theirs
    assert search(corpus, "dignity").total == 0
    assert search(corpus, "people").total == 2
    _check(corpus)


def test_a_side_filter_keeps_that_side_of_a_word_found_in_both(empty_library):
    """A word in both languages (an acronym): each side filter finds its own side only, the
    other side's sentences are not counted, and without a filter both are found."""
    meta = {"slug": "wto", "title_original": "世贸", "title_translation": "WTO",
            "language_original": "zh-Hans", "language_translation": "en",
            "status": "published"}
    add_document(empty_library, meta, "中国加入WTO。\n\nWTO的规则。\n\n其他。",
                 "China joins the WTO.\n\nOther rules.\n\nThe rest.")
    for side, expected in (("original", 2), ("translation", 1), (None, 3)):
        result = search(empty_library, "WTO", SearchFilters(side=side))
        assert result.total == len(result.hits) == expected, side
        assert side is None or {h.side for h in result.hits} == {side}


def test_migration_0003_moves_the_index_into_one_column_per_side(corpus):
    """Down to 0002 (one FTS5 column) and up again: the index is rebuilt from
    segment_tokens, each sentence in its side's column."""
    from alembic import command

    from bitext.core.text.tokenize import parse_query
    from bitext.store.migrate import alembic_config
    from bitext.store.search_index import fts5_expression

    config = alembic_config()
    with corpus.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        if corpus.is_sqlite:  # the one column, rebuilt from segment_tokens
            assert connection.execute(
                text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"),
                {"q": fts5_expression(parse_query("dignity", ["en"]))},
            ).scalar() == 1
        command.upgrade(config, "head")
    assert search(corpus, "dignity", SearchFilters(side="translation")).total == 1
    assert search(corpus, "dignity", SearchFilters(side="original")).total == 0
    assert search(corpus, "尊严", SearchFilters(side="original")).total == 1
    _check(corpus)


def test_migration_down_and_up_with_documents(corpus):
    """0002 is reversible, and on the way up indexes documents and memberships that were
    written without it."""
    from alembic import command

    from bitext.store.migrate import alembic_config

    config = alembic_config()
    with corpus.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with corpus.engine.begin() as connection:
        names = set(inspect(connection).get_table_names())
        assert not names & {"segment_tokens", "bead_members", "search_index"}
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    hit = search(corpus, "dignity").hits[0]
    assert hit.aligned_text == "人人生而自由，在尊严和权利上一律平等。" and hit.row == 1
    assert search(corpus, "國家").total == 2
    _check(corpus)


# --- SQLite ranking: exactly bm25's top k, without scoring every match -------------------


class _InOrder:
    """Pairs the i-th unit of both sides: a fast aligner for libraries built in tests."""

    name = "in-order"

    def align(self, source, target):
        from bitext.core.align import Bead

        return [Bead(tuple(range(i, min(i + 1, len(source)))),
                     tuple(range(i, min(i + 1, len(target)))), 1.0)
                for i in range(max(len(source), len(target)))]


WORDS = ["the", "lord", "said", "unto", "moses", "that", "people", "land", "water", "light",
         "day", "night", "king", "son", "of", "running", "runs", "run", "rights", "right"]
HAN = "人民国家法律权利自由平等的是了在"


def _sentence(rng, words, end):
    n = rng.choice((1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 150, 300))
    weights = [1 / (i + 1) for i in range(len(words))]
    if rng.random() < 0.2:  # a word said again and again
        return " ".join([rng.choice(words)] * rng.randint(2, 12)) + end
    return " ".join(rng.choices(words, weights, k=n)) + end


@pytest.fixture(scope="module")
def ranked_library(tmp_path_factory):
    """Three SQLite documents of 150 single-sentence paragraphs of very varied lengths and
    repetitions (so that sentences fall into many rank cells), one of them a draft."""
    import random

    rng = random.Random(11)
    database = open_library(f"sqlite:///{tmp_path_factory.mktemp('ranked') / 'l.db'}")
    for number in range(3):
        english = "\n\n".join(_sentence(rng, WORDS, ".").capitalize() for _ in range(150))
        chinese = "\n\n".join(
            _sentence(rng, list(HAN), "。").replace(" ", "") for _ in range(150)
        )
        meta = {"slug": f"ranked-{number}", "title_original": "排序",
                "title_translation": "Ranked", "language_original": "zh-Hans",
                "language_translation": "en", "source": f"Ranked source {number}",
                "status": "draft" if number == 2 else "published"}
        add_document(database, meta, chinese, english, aligner=_InOrder())
    yield database
    database.dispose()


def _bm25_everything(session, query, filters, extra=""):
    """The reference: bm25 of every match, then ORDER BY score, segment id."""
    from bitext.store.search_index import _filter_sql, fts5_expression

    params = {"q": fts5_expression(query)}
    where = _filter_sql(filters, params)
    rows = session.execute(text(
        "SELECT st.segment_id, -bm25(search_index) FROM search_index"
        " JOIN segment_tokens st ON st.rank_key = search_index.rowid"
        " JOIN documents d ON d.id = st.document_id"
        f" WHERE search_index MATCH :q AND {where} {extra}"
        " ORDER BY bm25(search_index), st.segment_id"), params).all()
    return [(sid, score) for sid, score in rows]


RANKED_QUERIES = ["the", "lord", "the lord", '"the lord"', "running", "run", "of that",
                  "人", "人民", "的", "权利 自由", '"人民的"', "king", "moses water night"]


@pytest.mark.parametrize("query", RANKED_QUERIES)
@pytest.mark.parametrize(("batch", "sample"), [(1, 0), (7, 0), (1, 5), (7, 70), (512, 2048)])
@pytest.mark.parametrize(("few", "join"), [(-1, 4096), (65_536, 4096), (65_536, 0)])
def test_ranking_is_bm25_over_every_match(ranked_library, monkeypatch, query, batch, sample,
                                          few, join):
    """Stopping early with small batches, the idf sum counted (sample 0) or bounded by the
    first rows' scores, or not stopping at all, or (filtered, ``few`` sentences kept) scoring
    only the kept sentences' matches, each checked by a join or (``join`` 0) by the set of
    kept rank keys: always bm25's order over every match."""
    from bitext.core.text.tokenize import parse_query
    from bitext.store import fts5_rank, search_index
    from bitext.store.search_index import SQLITE

    monkeypatch.setattr(fts5_rank, "JOIN_CANDIDATES", join)
    monkeypatch.setattr(fts5_rank, "BATCH_ROWS", batch)
    monkeypatch.setattr(fts5_rank, "EARLY_STOP_ROWS", 0 if batch < 512 else 2048)
    monkeypatch.setattr(fts5_rank, "IDF_SAMPLE_ROWS", sample)
    monkeypatch.setattr(search_index, "FEW_SENTENCES", few)
    with ranked_library.reader() as session:
        parsed = parse_query(query, ["zh-Hans", "en"])
        for filters in (SearchFilters(), SearchFilters(side="translation"),
                        SearchFilters(statuses=("published", "draft")),
                        SearchFilters(source="Ranked source 1")):
            expected = _bm25_everything(session, parsed, filters)
            assert expected or filters.side or filters.source, query
            for limit, offset in ((1, 0), (10, 0), (10, 10), (25, 5), (1000, 0)):
                got = SQLITE.match(session, parsed, filters, limit=limit, offset=offset,
                                   time_limit_ms=10_000)
                assert [(m.segment_id, m.score) for m in got] == \
                    expected[offset : offset + limit], (query, filters, limit, offset)


@pytest.mark.parametrize(("sample", "share"), [(0, 0.5), (2048, 0.7)])
def test_ranking_stops_reading_when_no_later_row_can_enter_the_top(ranked_library,
                                                                    monkeypatch, sample, share):
    """Rows with the word once in a long sentence come last and are never scored (the idf
    sum counted, or bounded by the scores read, which is looser here)."""
    import sqlite3

    from bitext.core.text.tokenize import parse_query
    from bitext.store import fts5_rank
    from bitext.store.search_index import _filter_sql, _fts5_variants, fts5_expression

    class Counting:
        def __init__(self, connection):
            self.connection, self.read = connection, 0

        def execute(self, sql, params=()):
            cursor = self.connection.execute(sql, params)
            return self._counted(cursor) if "bm25" in sql else cursor

        def _counted(self, cursor):
            outer = self

            class Cursor:
                def fetchmany(self, n):
                    rows = cursor.fetchmany(n)
                    outer.read += len(rows)
                    return rows

                def close(self):
                    cursor.close()

            return Cursor()

    monkeypatch.setattr(fts5_rank, "BATCH_ROWS", 8)
    monkeypatch.setattr(fts5_rank, "EARLY_STOP_ROWS", 0)
    monkeypatch.setattr(fts5_rank, "IDF_SAMPLE_ROWS", sample)
    parsed = parse_query("the", ["en"])
    params: dict = {}
    where = _filter_sql(SearchFilters(), params)
    path = ranked_library.url.database
    with sqlite3.connect(path) as raw:
        counting = Counting(raw)
        best = fts5_rank.fts5_top(counting, fts5_expression(parsed),
                                  [_fts5_variants(parsed.phrases[0])], 5, where, params).rows
        matches = raw.execute("SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                              (fts5_expression(parsed),)).fetchone()[0]
    assert len(best) == 5
    assert counting.read < matches * share, (counting.read, matches)


ALPHABET_TOKENS = st.lists(st.sampled_from(["the", "lord", "of", "人民", "民国", "国", "人",
                                            "人权", "x"]), min_size=1, max_size=40)


@given(ALPHABET_TOKENS, st.sampled_from([3.0, 12.5, 25.0, 80.0]))
def test_a_rank_cell_bounds_every_phrase_of_its_rows(tokens, avgdl):
    from collections import Counter

    from bitext.store import fts5_rank

    key = fts5_rank.rank_key(123, tokens)
    assert fts5_rank.segment_of(key) == 123
    bound = fts5_rank._cell_bound(*fts5_rank._CELLS[key >> fts5_rank.CELL_SHIFT], avgdl)
    frequencies = [*Counter(tokens).values(),  # words and bigrams
                   *Counter(t[0] for t in tokens if t[0] >= "\u3040").values(),  # "人"*
                   *Counter(zip(tokens, tokens[1:], strict=False)).values()]  # two-token phrases
    for tf in frequencies:
        assert fts5_rank._bm25_term(tf, len(tokens), avgdl) <= bound * (1 + 1e-12)


@pytest.mark.parametrize("per_page", [3, 100])
@pytest.mark.parametrize("filters", [SearchFilters(side="original"),
                                     SearchFilters(side="translation"),
                                     SearchFilters(statuses=("draft",)),
                                     SearchFilters(source="Ranked source 0")])
@pytest.mark.parametrize("few", [-1, 65_536])
def test_totals_under_filters_that_keep_few_rows(ranked_library, monkeypatch, per_page,
                                                 filters, few):
    """When fewer rows pass the filters than a page holds, the ranking has checked every
    match, and its rows are the total; otherwise the total is counted, or (``few``
    sentences kept) every match among the kept sentences was scored and is the total."""
    from bitext.core.text.tokenize import parse_query
    from bitext.store import fts5_rank, search_index

    monkeypatch.setattr(fts5_rank, "BATCH_ROWS", 4)
    monkeypatch.setattr(fts5_rank, "EARLY_STOP_ROWS", 0)
    monkeypatch.setattr(search_index, "FEW_SENTENCES", few)
    with ranked_library.reader() as session:
        expected = {q: len(_bm25_everything(session, parse_query(q, ["zh-Hans", "en"]),
                                            filters)) for q in RANKED_QUERIES}
    assert any(0 < n < per_page for n in expected.values()) or per_page == 3
    for query, matching in expected.items():
        result = search(ranked_library, query, filters, per_page=per_page)
        assert result.total == min(matching, 1000), (query, filters)
        assert len(result.hits) == min(matching, per_page)


@pytest.mark.parametrize("statuses", [("published",), ("published", "draft")])
@pytest.mark.parametrize("count_limit", [5, 1000])
@pytest.mark.parametrize("source", [None, "Ranked source 1"])
def test_totals_are_the_filtered_matches_up_to_the_cap(ranked_library, monkeypatch,
                                                       statuses, count_limit, source):
    """With every document kept, the ranking scan's own count stands in for the count; with
    one document's sentences, the count of the matches scored among them does."""
    from bitext.core.text.tokenize import parse_query
    from bitext.services import search as service
    from bitext.store import fts5_rank

    monkeypatch.setattr(fts5_rank, "BATCH_ROWS", 3)
    monkeypatch.setattr(fts5_rank, "EARLY_STOP_ROWS", 0)
    monkeypatch.setattr(service, "COUNT_LIMIT", count_limit)
    filters = SearchFilters(statuses=statuses, source=source)
    with ranked_library.reader() as session:
        expected = {q: len(_bm25_everything(session, parse_query(q, ["zh-Hans", "en"]),
                                            filters)) for q in RANKED_QUERIES}
    for query, matching in expected.items():
        result = search(ranked_library, query, filters, per_page=3)
        assert (result.total, result.total_is_capped) == \
            (min(matching, count_limit), matching > count_limit), query


@pytest.mark.postgres
def test_postgres_ranks_its_first_candidates_and_still_counts_every_match(postgres_url,
                                                                          monkeypatch):
    """With fewer matches than PG_CANDIDATES, the order is ts_rank's over every match (ties
    by segment id); with more, a page is the best of the first PG_CANDIDATES matches, and
    the total is still counted over every match."""
    from bitext.core.text.tokenize import parse_query
    from bitext.store import search_index
    from bitext.store.search_index import tsquery_literal

    database = open_library(postgres_url)
    try:
        for meta, original, translation in DOCUMENTS:
            add_document(database, meta, original, translation)
        add_document(  # twelve more sentences on each side, saying the words 1 to 4 times
            database, {**DOCUMENTS[1][0], "slug": "repeats"},
            "\n\n".join("人民" * (i % 4 + 1) + "的权利。" for i in range(12)),
            "\n\n".join(" ".join(["The people"] * (i % 4 + 1)) + " act." for i in range(12)),
        )

        def every_match(query):
            q = tsquery_literal(parse_query(query, ["zh-Hant", "zh-Hans", "en"]))
            with database.reader() as session:
                return [row[0] for row in session.execute(text(
                    "SELECT st.segment_id FROM segment_tokens st JOIN documents d"
                    " ON d.id = st.document_id, CAST(:q AS tsquery) AS q(q)"
                    " WHERE st.tsv @@ q.q AND d.status = 'published'"
                    " ORDER BY ts_rank(st.tsv, q.q) DESC, st.segment_id"), {"q": q})]

        queries = ["people", "the", "人民", '"the people"', "law state"]
        expected = {query: every_match(query) for query in queries}
        assert sum(len(ids) > 2 for ids in expected.values()) >= 2
        for query, ids in expected.items():
            result = search(database, query, per_page=100)
            assert [h.segment_id for h in result.hits] == ids, query
            assert result.total == len(ids)
        monkeypatch.setattr(search_index, "PG_CANDIDATES", 2)
        for query, ids in expected.items():
            result = search(database, query, per_page=100)
            assert result.total == len(ids), query
            assert len(result.hits) == min(2, len(ids))
            assert {h.segment_id for h in result.hits} <= set(ids)
            scores = [h.score for h in result.hits]
            assert scores == sorted(scores, reverse=True)
    finally:
        database.dispose()


def test_what_search_knows_of_the_library_follows_every_write(tmp_path):
    """Languages and statuses are kept per connection, and dropped after any commit (by
    another connection, or by this one: a writer session counts too)."""
    from bitext.store.search_index import SQLITE

    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    meta, original, translation = DOCUMENTS[1]
    add_document(database, meta, original, translation)
    assert search(database, "rights").total == 2
    draft = dict(DOCUMENTS[2][0], language_original="fr")
    add_document(database, draft, "Les droits du peuple.", "The rights of the people.")
    assert search(database, "rights").total == 2  # the draft is not counted
    assert search(database, "droits", SearchFilters(statuses=("draft",))).total == 1
    with database.transaction() as session:
        from bitext.core.text.tokenize import parse_query

        query = parse_query("rights", ["en"])

        def counted():
            return SQLITE.count(session, query, SearchFilters(), limit=10, time_limit_ms=1000)

        assert counted() == 2
        session.execute(text("UPDATE documents SET status = 'published'"))
        assert counted() == 3
        session.execute(text("UPDATE documents SET status = 'draft' WHERE slug = 'draft-note'"))
        assert counted() == 2
    assert search(database, "rights").total == 2
    database.dispose()


@pytest.mark.parametrize("statuses", [("published",), ("published", "draft")])
def test_concordance_order_is_by_sentence_with_or_without_a_join(ranked_library, statuses):
    from bitext.core.text.tokenize import parse_query
    from bitext.store.search_index import SQLITE

    filters = SearchFilters(statuses=statuses)
    with ranked_library.reader() as session:
        for query in RANKED_QUERIES:
            parsed = parse_query(query, ["zh-Hans", "en"])
            expected = sorted(sid for sid, _ in _bm25_everything(session, parsed, filters))
            for limit, offset in ((5, 0), (5, 7), (10_000, 0)):
                got = SQLITE.match(session, parsed, filters, limit=limit, offset=offset,
                                   ranked=False, time_limit_ms=10_000)
                assert [m.segment_id for m in got] == expected[offset : offset + limit]


def test_a_search_past_its_time_limit_is_refused(ranked_library, monkeypatch):
    from bitext.services.search import concordance
    from bitext.store import search_index

    monkeypatch.setattr(search_index, "PROGRESS_STEPS", 1)
    for filters in (SearchFilters(), SearchFilters(statuses=("published", "draft")),
                    SearchFilters(source="Ranked source 0")):
        with pytest.raises(search_index.SearchTimeout):
            search(ranked_library, "the lord", filters, time_limit_ms=-1)
        with pytest.raises(search_index.SearchTimeout):
            concordance(ranked_library, "the lord", filters, time_limit_ms=-1)


# --- terms in both languages: aligned pairs ----------------------------------------------

SECURITY = (
    {
        "slug": "security-law", "title_original": "国家安全法", "title_translation":
        "National Security Law", "language_original": "zh-Hans", "language_translation": "en",
        "status": "published", "date": "2015-07-01",
    },
    "国家安全是安邦定国的重要基石。\n\n维护国家安全是全国各族人民的共同义务。\n\n"
    "各国应当加强合作。",
    "National security is the cornerstone of the nation.\n\n"
    "Safeguarding national security is the common obligation of all the people.\n\n"
    "The nations shall strengthen their cooperation on security.",
)


@pytest.fixture
def security_corpus(corpus):
    add_document(corpus, *SECURITY)
    return corpus


def test_the_readme_example_finds_aligned_pairs_with_each_side_its_terms(security_corpus):
    results = search(security_corpus, '"national security" 安全')
    assert results.pairs and results.total == 2
    for hit in results.hits:
        assert hit.side == "original" and hit.slug == "security-law"
        assert {hit.text[a:b] for a, b in hit.highlights} == {"安全"}
        marked = {hit.aligned_text[a:b].lower() for a, b in hit.aligned_highlights}
        assert marked == {"national security"}
    assert {h.row for h in results.hits} == {1, 2}


def test_a_pair_needs_each_language_on_its_own_side_of_the_same_bead(security_corpus):
    # 安全 is in udhr's second pair too, but its English has no "national"
    assert {h.slug for h in search(security_corpus, "security 安全").hits} == {
        "udhr", "security-law"}
    assert search(security_corpus, "national 安全").total == 2
    assert search(security_corpus, "national 自由").total == 0  # 自由 only in udhr
    assert search(security_corpus, "cooperation 国家").total == 0  # row 3: 各国, not 国家


def test_pair_queries_keep_document_filters(security_corpus):
    assert search(security_corpus, "security 安全", SearchFilters(tag="rights")).total == 1


def test_one_language_queries_highlight_the_aligned_side_too(security_corpus):
    hit = search(security_corpus, "dignity").hits[0]
    assert hit.aligned_highlights == []
    assert ("All human beings are born free and equal in ", False) in hit.pieces()


def test_results_group_by_document_in_rank_order(security_corpus):
    results = search(security_corpus, "security")
    groups = results.by_document()
    assert [hit for _, hits in groups for hit in hits] == sorted(
        results.hits, key=lambda h: [slug for slug, _ in groups].index(h.slug))
    assert sorted(slug for slug, _ in groups) == ["security-law", "udhr"]


def test_a_page_past_the_end_says_so(security_corpus):
    results = search(security_corpus, "security", page=9)
    assert results.past_end and results.hits == [] and results.total == 4
    assert not search(security_corpus, "security").past_end


# --- exact words (no stemming) and search within one document -------------------------


def test_exact_words_are_not_matched_by_stem(security_corpus):
    stemmed = search(security_corpus, "national", SearchFilters(document="security-law"))
    assert stemmed.total == 3  # "nation", "national" and "nations" share a stem
    exact = search(security_corpus, "national", SearchFilters(exact=True))
    assert exact.total == 2 and {h.row for h in exact.hits} == {1, 2}
    for hit in exact.hits:
        assert {hit.text[a:b].lower() for a, b in hit.highlights} == {"national"}
    assert search(security_corpus, "nations", SearchFilters(exact=True)).total == 1
    assert search(security_corpus, "國家", SearchFilters(exact=True)).total == 4  # Han: as is
    both = search(security_corpus, '"national security" 安全', SearchFilters(exact=True))
    assert both.pairs and both.total == 2


def test_the_exact_index_follows_deletions(security_corpus):
    from bitext.store.schema import Document

    _check(security_corpus)
    with security_corpus.transaction() as session:
        session.execute(delete(Document).where(Document.slug == "security-law"))
    assert search(security_corpus, "national", SearchFilters(exact=True)).total == 0
    assert search(security_corpus, "security", SearchFilters(exact=True)).total == 1
    _check(security_corpus)


def test_search_within_one_document(security_corpus):
    inside = search(security_corpus, "安全", SearchFilters(document="udhr"))
    assert {h.slug for h in inside.hits} == {"udhr"} and inside.total == 1
    assert search(security_corpus, "安全").total == 3
    assert search(security_corpus, "安全", SearchFilters(document="nope")).total == 0


@pytest.fixture
def security_client(security_corpus):
    from bitext.web.app import create_app

    with TestClient(create_app(security_corpus), raise_server_exceptions=False) as client:
        yield client


def test_search_page_marks_the_terms_on_both_sides_of_a_pair(security_client):
    page = security_client.get("/search", params={"q": '"national security" 安全'})
    assert page.status_code == 200 and "2 matching aligned pairs" in page.text
    assert page.text.count("<mark>安全</mark>") == 2
    assert "<mark>National security</mark>" in page.text
    assert "<mark>national security</mark>" in page.text


def test_marks_never_let_stored_or_typed_markup_through(empty_library):
    from bitext.web.app import create_app

    meta = dict(DOCUMENTS[1][0], slug="markup")
    add_document(empty_library, meta, "<b>安全</b>是<script>x</script>。",
                 "<i>Security</i> <mark>first</mark> <script>alert(1)</script>.")
    with TestClient(create_app(empty_library)) as client:
        page = client.get("/search", params={"q": "security 安全 <mark>"}).text
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;b&gt;<mark>安全</mark>&lt;/b&gt;" in page
    assert "&lt;i&gt;<mark>Security</mark>&lt;/i&gt;" in page
    assert "&lt;mark&gt;" in page


def test_empty_search_page_shows_examples_that_work(security_client):
    page = security_client.get("/search")
    assert page.status_code == 200 and "Try" in page.text
    links = re.findall(r'href="(/search\?q=[^"]+)"', page.text)
    assert len(links) >= 3
    first = security_client.get(links[0].replace("&amp;", "&"))
    assert "matching aligned pairs" in first.text


def test_search_page_past_the_end_says_so(security_client):
    page = security_client.get("/search", params={"q": "security", "page": 5})
    assert page.status_code == 200 and "past the end" in page.text
    assert "page=1" in page.text  # the link to the last page


def test_search_page_groups_by_document_and_searches_exact_words(security_client):
    grouped = security_client.get("/search", params={"q": "security", "group": "true"}).text
    assert grouped.count('class="search-group"') == 2
    exact = security_client.get("/search", params={"q": "national", "exact": "true"}).text
    assert "2 matching sentences" in exact and "checked" in exact
    stemmed = security_client.get("/search", params={"q": "national"}).text
    assert "3 matching sentences" in stemmed
    api = security_client.get("/api/search", params={"q": "national", "exact": "true"}).json()
    assert api["total"] == 2


def test_the_reader_searches_within_its_document(security_client):
    reader = security_client.get("/documents/udhr").text
    form = re.search(r'<form class="doc-search"[^>]*action="([^"]+)"', reader)
    assert form and 'name="document" value="udhr"' in reader
    found = security_client.get(form.group(1), params={"document": "udhr", "q": "安全"})
    assert found.status_code == 200 and "1 matching sentence" in found.text
    assert 'href="/documents/udhr#p2"' in found.text
    assert "security-law" not in found.text


def test_the_cli_searches_pairs_and_exact_words_with_absolute_links(security_corpus,
                                                                     monkeypatch):
    """`bitext search` as a user runs it: pairs, exact words, a document, and each hit's
    absolute address from public_base_url (or a note saying the links are relative)."""
    from typer.testing import CliRunner

    from bitext.cli import app

    if not security_corpus.is_sqlite:
        pytest.skip("the CLI's --db takes a SQLite file")
    db = security_corpus.url.database
    runner = CliRunner()
    monkeypatch.setenv("BITEXT_PUBLIC_BASE_URL", "https://lib.example")
    pairs = runner.invoke(app, ["--db", db, "search", '"national security" 安全'])
    assert pairs.exit_code == 0, pairs.output
    assert "2 matching aligned pairs" in pairs.output
    assert "https://lib.example/documents/security-law#p1" in pairs.output
    assert "[安全]" in pairs.output and "[National security]" in pairs.output
    exact = runner.invoke(app, ["--db", db, "search", "national", "--exact"])
    assert "2 matching sentences" in exact.output
    inside = runner.invoke(app, ["--db", db, "search", "安全", "--document", "udhr"])
    assert "1 matching sentences" in inside.output
    monkeypatch.setenv("BITEXT_PUBLIC_BASE_URL", "")
    relative = runner.invoke(app, ["--db", db, "concordance", "national", "--exact"])
    assert relative.exit_code == 0 and "/documents/security-law#p1" in relative.output
    assert "public_base_url" in relative.stderr


# --- glossary terms: their expansion, on request ------------------------------------------

FOUR = (
    {
        "slug": "four", "title_original": "意识", "title_translation": "Consciousness",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published",
        "date": "2018-01-01",
    },
    "党员要增强四个意识。\n\n要增强政治意识和大局意识。\n\n核心意识最重要。",
    "Party members must strengthen the four consciousnesses.\n\n"
    "They must strengthen political consciousness and consciousness of the big picture.\n\n"
    "Consciousness of the core matters most.",
)
GLOSSARY_LINE = (
    '{"zh": "四个意识", "zh_hant": "四個意識", "canonical_en": "Four Consciousnesses",'
    ' "expansion_zh": "政治意识、大局意识、核心意识、看齐意识"}\n'
)


@pytest.fixture
def glossary_corpus(empty_library):
    from bitext.services.glossary import import_glossary

    add_document(empty_library, *FOUR)
    import_glossary(empty_library, GLOSSARY_LINE.encode(), "jsonl")
    return empty_library


def test_a_glossary_term_brings_its_expansion_on_request(glossary_corpus):
    from bitext.services.search import concordance

    plain_search = search(glossary_corpus, "四个意识")
    assert plain_search.total == 1 and plain_search.expansions == []
    expanded = search(glossary_corpus, "四個意識", include_expansions=True)  # either script
    assert expanded.total == 1
    found = {e.part: (e.total, [h.row for h in e.hits]) for e in expanded.expansions}
    assert found == {"政治意识": (1, [2]), "大局意识": (1, [2]), "核心意识": (1, [3]),
                     "看齐意识": (0, [])}
    for expansion in expanded.expansions:
        for hit in expansion.hits:
            assert expansion.part in {hit.text[a:b] for a, b in hit.highlights}
    kwic = concordance(glossary_corpus, '"四个意识"', include_expansions=True)
    assert kwic.expanded == ("政治意识", "大局意识", "核心意识", "看齐意识")
    assert sorted(line.match for line in kwic.lines) == sorted(
        ["四个意识", "政治意识", "大局意识", "核心意识"])
    assert search(glossary_corpus, "政治", include_expansions=True).expansions == []


def test_the_search_page_offers_the_expansion(glossary_corpus):
    from bitext.web.app import create_app

    with TestClient(create_app(glossary_corpus)) as client:
        page = client.get("/search", params={"q": "四个意识", "expand": "true"}).text
        assert "Passages using its expansion" in page and "<mark>核心意识</mark>" in page
        assert "Passages using its expansion" not in client.get(
            "/search", params={"q": "四个意识"}).text
        api = client.get("/api/search", params={"q": "四个意识", "expand": "true"}).json()
        assert api["expansions"][0]["hits"][0]["url"] == "/documents/four#p2"


# --- properties of the text processing (no database) -----------------------------------

HAN_WORDS = st.text(alphabet="国家安全人民權利意识", min_size=1, max_size=4)
LATIN_WORDS = st.text(alphabet="abcnorstuy", min_size=1, max_size=8)


@given(st.lists(st.one_of(HAN_WORDS, LATIN_WORDS, HAN_WORDS.map(lambda w: f'"{w} x"')),
                min_size=1, max_size=6))
def test_a_query_splits_by_script_into_every_phrase_once(words):
    from bitext.core.text.tokenize import parse_query
    from bitext.services.search import split_by_script

    query = parse_query(" ".join(words), ["en"])
    split = split_by_script(query)
    if split is None:
        return
    han, other = split
    assert sorted(map(repr, han.phrases + other.phrases)) == sorted(map(repr, query.phrases))
    assert han.phrases and other.phrases
    assert all(t.forms[0][0] in "国家安全人民权利意识" for p in han.phrases for t in p.tokens)
    assert not any(t.forms[0][0] in "国家安全人民权利意识" for p in other.phrases
                   for t in p.tokens)


@given(st.text(alphabet="国家安全 nationals security,.<>&\"", max_size=60),
       st.sampled_from(["national", "安全", '"national security" 安全', "security 国"]),
       st.booleans())
def test_marked_pieces_rebuild_the_text_and_mark_only_matches(body, typed, exact):
    from bitext.core.text.tokenize import highlight_spans, parse_query
    from bitext.services.search import _pieces

    query = parse_query(typed, [] if exact else ["en"])
    spans = highlight_spans(body, None if exact else "en", query)
    pieces = _pieces(body, spans)
    assert "".join(piece for piece, _ in pieces) == body
    assert [piece for piece, marked in pieces if marked] == [body[a:b] for a, b in spans]
    if exact:
        assert all(piece.lower() != "nationals" for piece, marked in pieces if marked)


def test_migration_0008_indexes_the_words_as_written_of_documents_added_before_it(
        security_corpus):
    """0008 alone, down and up over a library with documents (run through Alembic's
    operations, so that other revisions' steps are not part of this test)."""
    import importlib

    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    exact_search = importlib.import_module(
        "bitext.store.migrations.versions.0008_search_exact")
    with security_corpus.engine.begin() as connection:
        with Operations.context(MigrationContext.configure(connection)):
            exact_search.downgrade()
        columns = {c["name"] for c in inspect(connection).get_columns("segment_tokens")}
        assert not columns & {"exact", "tsv_exact"}
        assert "search_exact" not in inspect(connection).get_table_names()
        with Operations.context(MigrationContext.configure(connection)):
            exact_search.upgrade()
    assert search(security_corpus, "national", SearchFilters(exact=True)).total == 2
    assert search(security_corpus, "nations", SearchFilters(exact=True)).total == 1
    assert search(security_corpus, "national").total == 3
    _check(security_corpus)


@pytest.mark.parametrize(("query", "limit", "exact"), [
    ('"national security" 安全', 2, False), ("security 安全", 3, False),
    ("national 安全", 2, True), ("nations 安全", 1, True), ("people 人", 3, False),
])
def test_pairs_found_from_the_rarer_side_are_the_pairs_the_join_finds(
        security_corpus, monkeypatch, query, limit, exact):
    """A common word on one side: the pairs come from the rarer side's matches and their
    partners' tokens; they are the ones the SQL join of both sides' matches finds."""
    from bitext.store import search_index

    filters = SearchFilters(exact=exact)
    joined = search(security_corpus, query, filters)
    monkeypatch.setattr(search_index, "PAIR_DRIVER_LIMIT", limit)

    def no_join(*args, **kwargs):
        raise AssertionError("the pairs should come from the rarer side")

    for backend in (search_index.SQLITE, search_index.POSTGRES):
        monkeypatch.setattr(backend, "pairs", no_join)
    driven = search(security_corpus, query, filters)
    assert driven.pairs and driven.total == joined.total
    assert {(h.slug, h.row, h.segment_id) for h in driven.hits} == {
        (h.slug, h.row, h.segment_id) for h in joined.hits}
    assert [h.score for h in driven.hits] == sorted((h.score for h in driven.hits),
                                                    reverse=True)
