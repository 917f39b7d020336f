"""alignments.engine: the engine, its version and its signals, kept with each alignment

Revision ID: 0007_alignment_engine
Revises: 0006_import_jobs
Create Date: 2026-12-02 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_alignment_engine"
down_revision = "0006_import_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alignments", sa.Column("engine", sa.JSON(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite >= 3.35), never batch mode: its copy of
    # alignments would drop the original, and with foreign keys on, the drop cascades to
    # every bead of every alignment.
    op.drop_column("alignments", "engine")
