"""search speed: on SQLite, one FTS5 column per side, so that FTS5 filters a side itself

A side filter (a language) used to read every match of the query and join each one to
segment_tokens to learn its side: a common English word searched in the Chinese side read
hundreds of thousands of rows to keep none. segment_tokens gets two generated columns, the
tokens under the name of their side (NULL in the other), and search_index indexes those:
a row has the same length and the table the same average as before, so bm25 is unchanged
for queries without a side. The index on segment_tokens' document and side also holds the
rank key, so the rank keys of a few documents' sentences are read from the index alone.

On PostgreSQL, the same side filter read every match of the tsvector index and dropped the
other side's rows one by one; one GIN index per side (partial) gives a side's matches alone.

Revision ID: 0003_search
Revises: 0002
Create Date: 2026-12-02 13:00:00
"""

from alembic import op

revision = "0003_search"
down_revision = "0002"
branch_labels = None
depends_on = None

_DROP_INDEX = [
    "DROP TRIGGER segment_tokens_ad",
    "DROP TRIGGER segment_tokens_au",
    "DROP TABLE search_index",
]


def _index_ddl(columns: list[str]) -> list[str]:
    """search_index over ``columns`` of segment_tokens, the triggers that keep deletions and
    updates in step (the backend inserts into both tables itself, see 0002), and its
    content, added in rowid order (FTS5 writes its pending data to disk whenever a rowid is
    not above the previous one)."""
    names = ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE search_index USING fts5({names}, content='segment_tokens',"
        " content_rowid='rank_key', tokenize='ascii')",
        "CREATE TRIGGER segment_tokens_ad AFTER DELETE ON segment_tokens BEGIN"
        f" INSERT INTO search_index(search_index, rowid, {names})"
        f" VALUES ('delete', old.rank_key, {old}); END",
        "CREATE TRIGGER segment_tokens_au AFTER UPDATE ON segment_tokens BEGIN"
        f" INSERT INTO search_index(search_index, rowid, {names})"
        f" VALUES ('delete', old.rank_key, {old});"
        f" INSERT INTO search_index(rowid, {names}) VALUES (new.rank_key, {new}); END",
        f"INSERT INTO search_index(rowid, {names}) SELECT rank_key, {names}"
        " FROM segment_tokens ORDER BY rank_key",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for side in ("original", "translation"):
            op.execute(f"CREATE INDEX ix_segment_tokens_tsv_{side} ON segment_tokens"
                       f" USING gin (tsv) WHERE side = '{side}'")
    if op.get_bind().dialect.name != "sqlite":
        return
    for side in ("original", "translation"):
        op.execute(
            f"ALTER TABLE segment_tokens ADD COLUMN {side} TEXT GENERATED ALWAYS AS"
            f" (CASE side WHEN '{side}' THEN tokens END) VIRTUAL"
        )
    for statement in _DROP_INDEX + _index_ddl(["original", "translation"]):
        op.execute(statement)
    op.execute("DROP INDEX ix_segment_tokens_document")
    op.execute("CREATE INDEX ix_segment_tokens_document ON segment_tokens"
               " (document_id, side, rank_key)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for side in ("original", "translation"):
            op.execute(f"DROP INDEX ix_segment_tokens_tsv_{side}")
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX ix_segment_tokens_document")
    op.execute("CREATE INDEX ix_segment_tokens_document ON segment_tokens (document_id, side)")
    for statement in _DROP_INDEX:
        op.execute(statement)
    for side in ("original", "translation"):
        op.execute(f"ALTER TABLE segment_tokens DROP COLUMN {side}")
    for statement in _index_ddl(["tokens"]):
        op.execute(statement)
