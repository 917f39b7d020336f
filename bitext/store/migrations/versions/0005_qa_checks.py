"""qa_checks: the translation checks' findings per alignment (revision pair) of a document

Revision ID: 0005_qa_checks
Revises: 0004_glossary
Create Date: 2026-12-02 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_qa_checks"
down_revision = "0004_glossary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("alignment_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("glossary_version", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["alignment_id"], ["alignments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_qa_checks_document", "qa_checks", ["document_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_qa_checks_document", table_name="qa_checks")
    op.drop_table("qa_checks")
