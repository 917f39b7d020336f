"""The migrations and the ORM describe the same schema, on SQLite and on PostgreSQL.

A column added to ``bitext.store.schema`` without a migration (or a migration that differs
from the ORM) would work in tests that create tables from the ORM and fail on a real library
that was migrated; here the library is migrated exactly as ``open_library`` does it.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bitext.store.database import Database
from bitext.store.migrate import upgrade
from bitext.store.schema import Base

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
