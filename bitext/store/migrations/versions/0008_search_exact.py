"""search exact: an index of the words as written (no stemming), for exact-word search

The search index holds stemmed words ("national" and "nations" are both ``nation``), so a
search cannot tell them apart. segment_tokens gets ``exact``: a sentence's tokens without
stemming, NULL where they equal ``tokens`` (a language without a stemmer, Han text).

SQLite: a second FTS5 table, ``search_exact``, over a view of segment_tokens with the same
two side columns and the same rowids (rank keys). A rank key's cell bounds the exact tokens
too: stemming maps words one to one, so a row has as many exact tokens as stemmed ones and
no exact token is repeated more often than its stem. PostgreSQL: ``tsv_exact`` and its GIN
index.

Revision ID: 0008_search_exact
Revises: 0007_alignment_engine
Create Date: 2026-12-02 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_search_exact"
down_revision = "0007_alignment_engine"
branch_labels = None
depends_on = None

_SIDE_COLUMNS = ", ".join(
    f"CASE side WHEN '{side}' THEN coalesce(exact, tokens) END AS {side}"
    for side in ("original", "translation")
)


def _old(row: str) -> str:
    return ", ".join(
        f"CASE {row}.side WHEN '{side}' THEN coalesce({row}.exact, {row}.tokens) END"
        for side in ("original", "translation")
    )


SQLITE_DDL = [
    f"CREATE VIEW segment_tokens_exact AS SELECT rank_key, {_SIDE_COLUMNS} FROM segment_tokens",
    "CREATE VIRTUAL TABLE search_exact USING fts5(original, translation,"
    " content='segment_tokens_exact', content_rowid='rank_key', tokenize='ascii')",
    "CREATE TRIGGER segment_tokens_exact_ad AFTER DELETE ON segment_tokens BEGIN"
    " INSERT INTO search_exact(search_exact, rowid, original, translation)"
    f" VALUES ('delete', old.rank_key, {_old('old')}); END",
    "CREATE TRIGGER segment_tokens_exact_au AFTER UPDATE ON segment_tokens BEGIN"
    " INSERT INTO search_exact(search_exact, rowid, original, translation)"
    f" VALUES ('delete', old.rank_key, {_old('old')});"
    " INSERT INTO search_exact(rowid, original, translation)"
    f" VALUES (new.rank_key, {_old('new')}); END",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("segment_tokens", sa.Column("exact", sa.Text(), nullable=True))
    if dialect == "postgresql":
        op.execute("ALTER TABLE segment_tokens ADD COLUMN tsv_exact tsvector")
    _fill_exact(postgres=dialect == "postgresql")
    if dialect == "postgresql":
        op.execute("UPDATE segment_tokens SET tsv_exact = tsv WHERE tsv_exact IS NULL")
        op.execute("ALTER TABLE segment_tokens ALTER COLUMN tsv_exact SET NOT NULL")
        op.execute("CREATE INDEX ix_segment_tokens_tsv_exact ON segment_tokens"
                   " USING gin (tsv_exact)")
        return
    for statement in SQLITE_DDL:
        op.execute(statement)
    op.execute("INSERT INTO search_exact(rowid, original, translation)"
               " SELECT rank_key, original, translation FROM segment_tokens_exact"
               " ORDER BY rank_key")


def _fill_exact(*, postgres: bool) -> None:
    """The unstemmed tokens of the indexed sentences, where stemming changed some (before
    the triggers that keep search_exact exist, so no FTS5 row is written twice). Tokenized
    by the frozen tokenizer that wrote the stemmed tokens, not by today's."""
    from bitext.store.migrations.tokenizer_v1 import tsvector_literal, words_as_written

    bind = op.get_bind()
    result = bind.execute(sa.text(
        "SELECT st.segment_id, s.text, st.tokens FROM segment_tokens st"
        " JOIN segments s ON s.id = st.segment_id"
    ))
    set_tsv = ", tsv_exact = CAST(:tsv AS tsvector)" if postgres else ""
    update = sa.text(f"UPDATE segment_tokens SET exact = :exact{set_tsv} WHERE segment_id = :s")
    changed = []  # the texts are read a batch at a time; only the new tokens are kept
    for sid, body, tokens in (row for batch in result.partitions(10_000) for row in batch):
        exact = words_as_written(body)
        if " ".join(exact) != tokens:
            params = {"exact": " ".join(exact), "s": sid}
            if postgres:
                params["tsv"] = tsvector_literal(exact)
            changed.append(params)
    if not changed:
        return
    # search_index's update trigger would rewrite each row's unchanged stemmed tokens
    resync = None if postgres else bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'segment_tokens_au'"
    )).scalar()
    if resync:
        bind.execute(sa.text("DROP TRIGGER segment_tokens_au"))
    bind.execute(update, changed)
    if resync:
        bind.execute(sa.text(resync))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_segment_tokens_tsv_exact")
        op.execute("ALTER TABLE segment_tokens DROP COLUMN tsv_exact")
    else:
        for statement in ("DROP TRIGGER segment_tokens_exact_ad",
                          "DROP TRIGGER segment_tokens_exact_au", "DROP TABLE search_exact",
                          "DROP VIEW segment_tokens_exact"):
            op.execute(statement)
    op.execute("ALTER TABLE segment_tokens DROP COLUMN exact")
