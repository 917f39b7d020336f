"""Bring a database to the newest schema with Alembic (from empty, or from any older one)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bitext.store.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(database: Database) -> None:
    """Apply pending migrations in one transaction."""
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_current(database: Database) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with database.read_engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head
