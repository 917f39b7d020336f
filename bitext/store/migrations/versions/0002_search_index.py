"""search index: segment_tokens, plus FTS5 (SQLite) or a tsvector GIN index (PostgreSQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_DDL = [
    # External content: the FTS5 table stores only the inverted index; its text lives in
    # segment_tokens, and the triggers keep both in step inside every write transaction.
    "CREATE VIRTUAL TABLE search_index USING fts5(tokens, content='segment_tokens',"
    " content_rowid='segment_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER segment_tokens_ai AFTER INSERT ON segment_tokens BEGIN"
    " INSERT INTO search_index(rowid, tokens) VALUES (new.segment_id, new.tokens); END",
    "CREATE TRIGGER segment_tokens_ad AFTER DELETE ON segment_tokens BEGIN"
    " INSERT INTO search_index(search_index, rowid, tokens)"
    " VALUES ('delete', old.segment_id, old.tokens); END",
    "CREATE TRIGGER segment_tokens_au AFTER UPDATE ON segment_tokens BEGIN"
    " INSERT INTO search_index(search_index, rowid, tokens)"
    " VALUES ('delete', old.segment_id, old.tokens);"
    " INSERT INTO search_index(rowid, tokens) VALUES (new.segment_id, new.tokens); END",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "segment_tokens",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["segment_id"], ["segments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("segment_id"),
    )
    op.create_index("ix_segment_tokens_document", "segment_tokens", ["document_id", "side"])
    if dialect == "sqlite":
        for statement in SQLITE_DDL:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE segment_tokens ADD COLUMN tsv tsvector NOT NULL")
        op.execute("CREATE INDEX ix_segment_tokens_tsv ON segment_tokens USING gin (tsv)")
    else:
        raise RuntimeError(f"no search index for {dialect}")
    _index_existing_documents()


def _index_existing_documents() -> None:
    """Index the sentences of the latest revision of each side of every document."""
    from sqlalchemy.orm import Session

    from bitext.store.search_index import index_revision

    session = Session(bind=op.get_bind())
    latest = session.execute(
        sa.text(
            "SELECT r.id, r.document_id, r.side,"
            " CASE r.side WHEN 'original' THEN d.language_original"
            " ELSE d.language_translation END"
            " FROM revisions r JOIN documents d ON d.id = r.document_id"
            " WHERE r.number = (SELECT max(number) FROM revisions r2"
            " WHERE r2.document_id = r.document_id AND r2.side = r.side)"
        )
    ).all()
    for revision_id, document_id, side, language in latest:
        rows = session.execute(
            sa.text(
                "SELECT s.id, s.text FROM revision_paragraphs rp"
                " JOIN segments s ON s.parent_id = rp.segment_id"
                " WHERE rp.revision_id = :r ORDER BY rp.position, s.position"
            ),
            {"r": revision_id},
        ).all()
        index_revision(
            session, document_id, side, language, [r[0] for r in rows], [r[1] for r in rows]
        )
    session.flush()
    session.close()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("segment_tokens_ai", "segment_tokens_ad", "segment_tokens_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_index")
    op.drop_index("ix_segment_tokens_document", table_name="segment_tokens")
    op.drop_table("segment_tokens")
