"""search index: segment_tokens, plus FTS5 (SQLite) or a tsvector GIN index (PostgreSQL);
bead_members, the beads each segment belongs to

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
    # rank_key is the FTS5 rowid (bitext.store.fts5_rank): the sentence's cell, then its id.
    # Rows are keyed by segment id, which grows, so that their text is appended; rank keys
    # (scattered) are a narrow index.
    "CREATE TABLE segment_tokens ("
    " segment_id INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,"
    " rank_key INTEGER NOT NULL UNIQUE,"
    " document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
    " side VARCHAR(16) NOT NULL,"
    " tokens TEXT NOT NULL)",
    # External content: the FTS5 table stores only the inverted index; its text lives in
    # segment_tokens. The backend inserts into both tables itself (an insert trigger makes
    # FTS5 flush to disk for every row); the triggers keep deletions and updates in step,
    # including cascades from segments and documents.
    "CREATE VIRTUAL TABLE search_index USING fts5(tokens, content='segment_tokens',"
    " content_rowid='rank_key', tokenize='ascii')",
    "CREATE TRIGGER segment_tokens_ad AFTER DELETE ON segment_tokens BEGIN"
    " INSERT INTO search_index(search_index, rowid, tokens)"
    " VALUES ('delete', old.rank_key, old.tokens); END",
    "CREATE TRIGGER segment_tokens_au AFTER UPDATE ON segment_tokens BEGIN"
    " INSERT INTO search_index(search_index, rowid, tokens)"
    " VALUES ('delete', old.rank_key, old.tokens);"
    " INSERT INTO search_index(rowid, tokens) VALUES (new.rank_key, new.tokens); END",
]

# bead_members: (segment, alignment) -> the bead holding the segment, derived from each
# bead's id lists by triggers, so that every writer of beads keeps it exact in its own
# transaction. Search reads it to find a hit's paragraph row and aligned sentence.
_SQLITE_MEMBERS = (
    "SELECT value, {row}.alignment_id, {row}.level, {row}.position"
    " FROM json_each({row}.source_ids)"
    " UNION ALL SELECT value, {row}.alignment_id, {row}.level, {row}.position"
    " FROM json_each({row}.target_ids)"
)
_SQLITE_INSERT = (
    "INSERT OR IGNORE INTO bead_members (segment_id, alignment_id, level, position) "
    + _SQLITE_MEMBERS.format(row="new") + ";"
)
_SQLITE_DELETE = (
    "DELETE FROM bead_members WHERE alignment_id = old.alignment_id AND level = old.level"
    " AND position = old.position AND segment_id IN (SELECT value FROM json_each(old.source_ids)"
    " UNION ALL SELECT value FROM json_each(old.target_ids));"
)
SQLITE_MEMBERS_DDL = [
    "CREATE TABLE bead_members ("
    " segment_id INTEGER NOT NULL, alignment_id INTEGER NOT NULL,"
    " level VARCHAR(16) NOT NULL, position INTEGER NOT NULL,"
    " PRIMARY KEY (segment_id, alignment_id, level, position)) WITHOUT ROWID",
    f"CREATE TRIGGER beads_members_ai AFTER INSERT ON beads BEGIN {_SQLITE_INSERT} END",
    f"CREATE TRIGGER beads_members_ad AFTER DELETE ON beads BEGIN {_SQLITE_DELETE} END",
    "CREATE TRIGGER beads_members_au AFTER UPDATE ON beads BEGIN"
    f" {_SQLITE_DELETE} {_SQLITE_INSERT} END",
    "INSERT OR IGNORE INTO bead_members (segment_id, alignment_id, level, position)"
    " SELECT j.value, b.alignment_id, b.level, b.position FROM beads b, json_each(b.source_ids) j"
    " UNION ALL SELECT j.value, b.alignment_id, b.level, b.position"
    " FROM beads b, json_each(b.target_ids) j",
]

_PG_IDS = (
    "SELECT CAST(value AS integer) FROM json_array_elements_text({row}.source_ids)"
    " UNION ALL SELECT CAST(value AS integer) FROM json_array_elements_text({row}.target_ids)"
)
POSTGRES_MEMBERS_DDL = [
    "CREATE TABLE bead_members ("
    " segment_id integer NOT NULL, alignment_id integer NOT NULL,"
    " level varchar(16) NOT NULL, position integer NOT NULL,"
    " PRIMARY KEY (segment_id, alignment_id, level, position))",
    "CREATE FUNCTION bead_members_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP IN ('DELETE', 'UPDATE') THEN"
    " DELETE FROM bead_members WHERE alignment_id = OLD.alignment_id AND level = OLD.level"
    f" AND position = OLD.position AND segment_id IN ({_PG_IDS.format(row='OLD')}); END IF;"
    " IF TG_OP IN ('INSERT', 'UPDATE') THEN"
    " INSERT INTO bead_members (segment_id, alignment_id, level, position)"
    " SELECT ids.id, NEW.alignment_id, NEW.level, NEW.position"
    f" FROM ({_PG_IDS.format(row='NEW')}) AS ids(id) ON CONFLICT DO NOTHING; END IF;"
    " RETURN NULL; END $$",
    "CREATE TRIGGER beads_members AFTER INSERT OR UPDATE OR DELETE ON beads"
    " FOR EACH ROW EXECUTE FUNCTION bead_members_sync()",
    "INSERT INTO bead_members (segment_id, alignment_id, level, position)"
    " SELECT CAST(j.value AS integer), b.alignment_id, b.level, b.position"
    " FROM beads b, json_array_elements_text(b.source_ids) AS j"
    " UNION ALL SELECT CAST(j.value AS integer), b.alignment_id, b.level, b.position"
    " FROM beads b, json_array_elements_text(b.target_ids) AS j ON CONFLICT DO NOTHING",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DDL + SQLITE_MEMBERS_DDL:
            op.execute(statement)
    elif dialect == "postgresql":
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
        op.execute("ALTER TABLE segment_tokens ADD COLUMN tsv tsvector NOT NULL")
        op.execute("CREATE INDEX ix_segment_tokens_tsv ON segment_tokens USING gin (tsv)")
        for statement in POSTGRES_MEMBERS_DDL:
            op.execute(statement)
    else:
        raise RuntimeError(f"no search index for {dialect}")
    op.create_index("ix_segment_tokens_document", "segment_tokens", ["document_id", "side"])
    _index_existing_documents()


def _index_existing_documents() -> None:
    """Index the sentences of the latest revision of each side of every document.

    On SQLite the rows go into segment_tokens only, then into this revision's FTS5 table
    (one column, ``tokens``) in rowid order: the backend's own writer writes the FTS5 table
    of the latest revision, whose columns differ (0003)."""
    from sqlalchemy.orm import Session

    from bitext.core.text.tokenize import index_tokens
    from bitext.store.fts5_rank import rank_key
    from bitext.store.search_index import tsvector_literal

    session = Session(bind=op.get_bind())
    sqlite = session.get_bind().dialect.name == "sqlite"
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
        if not sqlite:  # this revision's columns (the backend's writer has later ones)
            for sid, body in rows:
                tokens = index_tokens(body, language)
                session.execute(
                    sa.text("INSERT INTO segment_tokens (segment_id, document_id, side,"
                            " tokens, tsv) VALUES (:s, :d, :side, :t, CAST(:tsv AS tsvector))"),
                    {"s": sid, "d": document_id, "side": side, "t": " ".join(tokens),
                     "tsv": tsvector_literal(tokens)},
                )
            continue
        texts: dict[int, str] = {r[0]: r[1] for r in rows}
        for sid, body in texts.items():
            tokens = index_tokens(body, language)
            session.execute(
                sa.text("INSERT INTO segment_tokens (rank_key, segment_id, document_id, side,"
                        " tokens) VALUES (:k, :s, :d, :side, :t)"),
                {"k": rank_key(sid, tokens), "s": sid, "d": document_id, "side": side,
                 "t": " ".join(tokens)},
            )
    if sqlite:
        session.execute(sa.text("INSERT INTO search_index (rowid, tokens)"
                                " SELECT rank_key, tokens FROM segment_tokens ORDER BY rank_key"))
    session.flush()
    session.close()


def downgrade() -> None:
    # IF EXISTS throughout: this also takes down the first draft of 0002 (no bead_members,
    # an insert trigger), so that a library made with it can go down and up again.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("segment_tokens_ai", "segment_tokens_ad", "segment_tokens_au",
                        "beads_members_ai", "beads_members_ad", "beads_members_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_index")
    else:
        op.execute("DROP TRIGGER IF EXISTS beads_members ON beads")
        op.execute("DROP FUNCTION IF EXISTS bead_members_sync()")
    op.execute("DROP TABLE IF EXISTS bead_members")
    op.execute("DROP INDEX IF EXISTS ix_segment_tokens_document")
    op.execute("DROP TABLE IF EXISTS segment_tokens")
