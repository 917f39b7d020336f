"""documents.version_date: the date of the version translated, beside the original's date

Revision ID: 0009_version_date
Revises: 0008_search_exact
Create Date: 2026-12-02 16:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_version_date"
down_revision = "0008_search_exact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("version_date", sa.Date(), nullable=True))
    op.create_index("ix_documents_version_date", "documents", ["version_date"])


def downgrade() -> None:
    op.drop_index("ix_documents_version_date", table_name="documents")
    # In place (SQLite >= 3.35), never batch mode: its copy of documents would drop the
    # original, which cascades to every row of every table that refers to a document.
    op.drop_column("documents", "version_date")
