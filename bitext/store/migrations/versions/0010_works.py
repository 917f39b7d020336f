"""works, work_versions, work_translations: documents as translations of versions of a work

Every existing document becomes a work of its own (same slug) with one version (labelled
by its version date, else its date, else "1") of which it is the one translation, so no
URL, permalink, citation or search result changes.

Revision ID: 0010_works
Revises: 0009_version_date
Create Date: 2026-12-02 16:30:00
"""

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

revision = "0010_works"
down_revision = "0009_version_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    works = op.create_table(
        "works",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language_original", sa.String(35), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    versions = op.create_table(
        "work_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("work_id", sa.Integer(), sa.ForeignKey("works.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.UniqueConstraint("work_id", "label"),
    )
    # A table of its own rather than a column of documents: SQLite would copy the documents
    # table to add a foreign key, and dropping the copy's original cascades to every row
    # that refers to it.
    translations = op.create_table(
        "work_translations",
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version_id", sa.Integer(),
                  sa.ForeignKey("work_versions.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_work_translations_version_id", "work_translations", ["version_id"])
    _one_work_per_document(works, versions, translations)


def _one_work_per_document(works: sa.Table, versions: sa.Table,
                           translations: sa.Table) -> None:
    connection = op.get_bind()
    documents = sa.table("documents", sa.column("id"), sa.column("slug"),
                         sa.column("title_original"), sa.column("language_original"),
                         sa.column("date", sa.Date()), sa.column("version_date", sa.Date()),
                         sa.column("created_at", sa.DateTime()))
    rows = connection.execute(sa.select(
        documents.c.id, documents.c.slug, documents.c.title_original,
        documents.c.language_original, documents.c.date, documents.c.version_date,
        documents.c.created_at).order_by(documents.c.id)).all()
    for row in rows:
        work_id = connection.execute(works.insert().values(
            slug=row.slug, title=row.title_original, language_original=row.language_original,
            created_at=row.created_at).returning(works.c.id)).scalar_one()
        date = row.version_date or row.date
        version_id = connection.execute(versions.insert().values(
            work_id=work_id, label=date.isoformat() if date else "1", date=date, position=0,
        ).returning(versions.c.id)).scalar_one()
        connection.execute(translations.insert().values(document_id=row.id,
                                                        version_id=version_id))


# Works the upgrade would not make again from their documents: other than one version,
# without text, translated by one document of the work's slug and title.
_NOT_REBUILT = sa.text("""
SELECT w.slug FROM works w
WHERE (SELECT count(*) FROM work_versions v WHERE v.work_id = w.id) != 1
   OR EXISTS (SELECT 1 FROM work_versions v WHERE v.work_id = w.id AND (v.text IS NOT NULL
              OR (SELECT count(*) FROM work_translations t WHERE t.version_id = v.id) != 1))
   OR EXISTS (SELECT 1 FROM work_versions v
              JOIN work_translations t ON t.version_id = v.id
              JOIN documents d ON d.id = t.document_id
              WHERE v.work_id = w.id AND (d.slug != w.slug OR d.title_original != w.title))
ORDER BY w.slug
""")


def downgrade() -> None:
    """Refused while a work holds what 0009 has no place for (versions, translations, a
    version's text, its own slug or title): dropping the tables would lose it."""
    lost = op.get_bind().execute(_NOT_REBUILT).scalars().all()
    if lost:
        raise CommandError(
            f"cannot downgrade below 0010_works: {len(lost)} work(s) hold versions, "
            f"translations or names that 0009 would lose (first: {lost[0]!r})")
    op.drop_index("ix_work_translations_version_id", table_name="work_translations")
    op.drop_table("work_translations")
    op.drop_table("work_versions")
    op.drop_table("works")
