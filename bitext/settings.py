"""All settings in one declared list; each has a default, a unit in its name and a help text.

Environment variables override defaults: ``BITEXT_<NAME>`` (e.g. ``BITEXT_DATABASE_URL``).
"""

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/bitext``, else ``~/.local/share/bitext``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bitext"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BITEXT_")

    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: an SQLite file in the data directory."
    )
    data_dir: Path = Field(
        default_factory=default_data_dir, description="Where bitext keeps its files."
    )
    sqlite_busy_timeout_ms: int = Field(5000, description="How long a writer waits for the lock.")
    import_max_bytes: int = Field(20_000_000, description="Largest file accepted for import.")
    page_size_documents: int = Field(20, description="Documents per library page.")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'library.db'}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
