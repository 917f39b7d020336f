"""All settings in one declared list; each has a default, a unit in its name and a help text.

Environment variables override defaults: ``BITEXT_<NAME>`` (e.g. ``BITEXT_DATABASE_URL``).
"""

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The platform's per-user data folder: on Linux ``$XDG_DATA_HOME/bitext``, else
    ``~/.local/share/bitext``; ``~/Library/Application Support/bitext`` on macOS."""
    return Path(user_data_dir("bitext", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BITEXT_")

    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: an SQLite file in the data directory."
    )
    data_dir: Path = Field(
        default_factory=default_data_dir, description="Where bitext keeps its files."
    )
    sqlite_busy_timeout_ms: int = Field(5000, description="How long a writer waits for the lock.")
    sqlite_max_page_count: int | None = Field(
        None, description="Cap on the SQLite file's size in pages (a quota); default: none."
    )
    import_max_bytes: int = Field(20_000_000, description="Largest file accepted for import.")
    public_base_url: str = Field(
        "", description="The library's public address (https://…), for permalinks in "
        "citations printed by the CLI; the web uses the address it is reached at."
    )
    library_name: str = Field("bitext", description="The library's name in citations.")
    page_size_documents: int = Field(20, description="Documents per library page.")
    secret_key: SecretStr | None = Field(
        None,
        description="Key that signs the session and CSRF cookies; default: the contents of "
        "secret_key_file. Changing it logs everybody out.",
    )
    secret_key_file: Path | None = Field(
        None,
        description="File holding the signing key; default: <data_dir>/secret_key, created "
        "once with mode 0600.",
    )
    https_cookies: bool = Field(
        False,
        description="Always mark cookies Secure with the __Host- prefix (set it behind an "
        "HTTPS proxy); HTTPS requests get them anyway.",
    )
    max_body_bytes: int = Field(
        2_000_000, description="Largest request body (a form post) from a signed-in editor."
    )
    max_body_bytes_anonymous: int = Field(
        100_000, description="Largest request body without a session: login and error reports."
    )
    reports_per_address_per_hour: int = Field(
        10, description="Error reports one client address may file per hour."
    )
    csrf_token_max_age_s: int = Field(
        12 * 3600, description="How long a form stays valid after the page was loaded."
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'library.db'}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
