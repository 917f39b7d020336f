"""The migrations and the ORM describe the same schema, on SQLite and on PostgreSQL.

A column added to ``bitext.store.schema`` without a migration (or a migration that differs
from the ORM) would work in tests that create tables from the ORM and fail on a real library
that was migrated; here the library is migrated exactly as ``open_library`` does it. A
populated library also goes down and up again without losing a row: on SQLite a migration
must alter tables in place, never copy one (a copy drops the original, and with foreign keys
on the drop cascades to every row that refers to it).
"""


import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from bitext.services.accounts import add_user
from bitext.services.editing import edit_metadata, edit_paragraph, metadata_version
from bitext.services.library import add_document, open_library
from bitext.services.reading import get_document
from bitext.services.reports import submit_report
from bitext.store.database import Database
from bitext.store.migrate import alembic_config, upgrade
from bitext.store.schema import Base
from bitext.store.search_index import backend_for

# Migration 0002 creates the search index with its own DDL, per backend, and the search
# backends (bitext.store.search_index) read and write it with SQL: it has no ORM classes on
# purpose, so the comparison leaves out exactly these tables and their indexes.
SEARCH_TABLES = {
    "segment_tokens",  # tokens of each sentence, both backends (a tsvector column on PG)
    "bead_members",  # the bead holding each segment, kept by triggers on beads
    "search_index",  # SQLite: the FTS5 virtual table over segment_tokens
    # SQLite: the shadow tables FTS5 creates for search_index (no _content table: the
    # content is external, in segment_tokens)
    "search_index_data",
    "search_index_idx",
    "search_index_docsize",
    "search_index_config",
    # SQLite: the FTS5 table of the words as written (0008), over a view of segment_tokens
    "search_exact",
    "search_exact_data",
    "search_exact_idx",
    "search_exact_docsize",
    "search_exact_config",
}


def _outside_orm(obj, name, type_, reflected, compare_to) -> bool:
    """include_object for compare_metadata: everything except the search tables."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table not in SEARCH_TABLES


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated(request, tmp_path):
    """An empty database brought to head by the project's own migration code."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'library.db'}"
    database = Database(url)
    upgrade(database)
    yield database
    database.dispose()


def test_migrations_at_head_match_the_orm(migrated):
    with migrated.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_object": _outside_orm,
        })
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_search_tables_exist_where_they_are_left_out(migrated):
    """The exclusions name real tables: a renamed search table must be renamed here too."""
    with migrated.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    expected = SEARCH_TABLES if migrated.is_sqlite else {"segment_tokens", "bead_members"}
    assert expected <= tables


# --- down to 0006 and up again on a populated library: nothing lost -----------------------

# FTS5's own storage (segments of its b-tree): rebuilding an index changes these rows, not
# what the index holds, which the search backend's check verifies instead.
FTS5_SHADOW_TABLES = {t for t in SEARCH_TABLES if t.endswith(("_data", "_idx", "_docsize",
                                                               "_config"))}
ZH = "第一条。人人生而自由。\n第二条。人人平等。\n第三条。人人有权利。\n"
EN = ("Article 1. All are born free.\nArticle 2. All are equal.\n"
      "Article 3. Everyone has rights.\n")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def populated(request, tmp_path):
    """A library at head holding what a real one holds: documents (one with a version date)
    with their segments, alignments and beads, tags and authors, a correction (revisions,
    audit log), a metadata edit, a report, an account; each document a work of its own
    (``add_document`` files it so, as migration 0010 files the documents it finds)."""
    url = (request.getfixturevalue("postgres_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'library.db'}")
    database = open_library(url)
    base = {"title_original": "宣言", "title_translation": "Declaration",
            "language_original": "zh-Hans", "language_translation": "en",
            "status": "published", "date": "1948-12-10", "tags": ["rights"],
            "authors": [{"name": "联合国", "romanized": "Lianheguo"}]}
    add_document(database, {**base, "slug": "declaration", "version_date": "2018-03-11"},
                 ZH, EN)
    add_document(database, {**base, "slug": "second", "date": None, "status": "draft"},
                 ZH, EN.replace("equal", "equal in rights"))
    editor = add_user(database, "editor1", "correct horse battery", "editor")
    paragraph = get_document(database, "declaration").rows[1].translation[0].id
    edit_paragraph(database, editor, "declaration", "translation", paragraph, 1,
                   "Article 2. All are equal before the law.", "typo")
    edit_metadata(database, editor, "declaration", metadata_version(database, "declaration"),
                  {"summary": "The rights of everyone."}, "summary")
    paragraph = get_document(database, "declaration").rows[2].translation[0].id
    submit_report(database, "declaration", paragraph, "translation", "rights",
                  "Everyone has the right.", None, "127.0.0.1")
    yield database
    database.dispose()


def _migrate(database: Database, command, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command(config, revision)


def _tables(database: Database) -> dict[str, list[str]]:
    """Each table's columns (FTS5 storage and Alembic's revision aside)."""
    with database.engine.connect() as connection:
        found = inspect(connection)
        return {name: [column["name"] for column in found.get_columns(name)]
                for name in found.get_table_names()
                if name not in {*FTS5_SHADOW_TABLES, "alembic_version"}}


def _rows(database: Database, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of ``tables``, ``tables``' columns only, in a stable order."""
    with database.engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote
        return {name: sorted((tuple(row) for row in connection.execute(text(
                    f"SELECT {', '.join(map(quote, columns))} FROM {quote(name)}"))), key=repr)
                for name, columns in tables.items()}


def _projected(rows: dict[str, list[tuple]], columns: dict[str, list[str]],
               onto: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """``rows`` (with ``columns``) cut to the tables and columns of ``onto``."""
    return {name: sorted((tuple(row[columns[name].index(c)] for c in wanted)
                          for row in rows[name]), key=repr)
            for name, wanted in onto.items()}


def _root_pages(database: Database) -> dict[str, int]:
    """Where each SQLite table's b-tree starts: a table copied and renamed starts elsewhere."""
    with database.engine.connect() as connection:
        return dict(connection.execute(text(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'table'")).all())


def _schema(database: Database) -> set[tuple]:
    with database.engine.connect() as connection:
        return set(connection.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master"
                                           " WHERE name NOT LIKE 'sqlite_%'")).all())


def test_down_to_0006_and_up_again_loses_no_row(populated):
    """Every row a 0006 library holds comes back unchanged, and every table has as many rows
    as before: no downgrade empties a table through a foreign key's ON DELETE CASCADE (as
    SQLite batch mode did, copying alignments and documents to drop one column). On SQLite
    no table is copied at all, so its triggers and indexes stay, and the schema is the same."""
    database = populated
    at_head = _tables(database)
    before = _rows(database, at_head)
    assert all(before[name] for name in (
        "documents", "segments", "alignments", "beads", "revisions", "revision_paragraphs",
        "reports", "metadata_revisions", "audit_log", "works", "work_versions",
        "work_translations", "segment_tokens", "bead_members"))
    if database.is_sqlite:
        pages, schema = _root_pages(database), _schema(database)
    _migrate(database, command.downgrade, "0006_import_jobs")
    at_0006 = _tables(database)
    assert not {"works", "work_versions", "work_translations"} & set(at_0006)
    assert "engine" not in at_0006["alignments"] and "version_date" not in at_0006["documents"]
    assert _rows(database, at_0006) == _projected(before, at_head, at_0006)
    _migrate(database, command.upgrade, "head")
    assert _tables(database) == at_head
    after = _rows(database, at_head)
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()}
    assert _projected(after, at_head, at_0006) == _projected(before, at_head, at_0006)
    with database.reader() as session:
        backend_for(session).check(session)
    if database.is_sqlite:
        kept_pages = {name: page for name, page in _root_pages(database).items()
                      if name in at_0006}
        assert kept_pages == {name: pages[name] for name in kept_pages}
        assert _schema(database) == schema
