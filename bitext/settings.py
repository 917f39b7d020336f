"""All settings in one declared list; each has a default, a unit in its name and a help text.

Environment variables override defaults: ``BITEXT_<NAME>`` (e.g. ``BITEXT_DATABASE_URL``).
"""

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    import_max_bytes: int = Field(
        20_000_000, description="Largest file accepted for import (each text of `bitext add`, "
        "the file of `bitext import`); a larger one is refused before it is read."
    )
    import_max_paragraph_chars: int = Field(
        100_000, description="Longest paragraph an import accepts; a longer one is refused, "
        "naming the paragraph."
    )
    import_max_sentence_chars: int = Field(
        2_000, description="Longest sentence: `bitext add` cuts a longer one into pieces at "
        "spaces or punctuation for alignment; `bitext import`, which keeps the file's beads, "
        "refuses it."
    )
    import_job_heartbeat_timeout_s: int = Field(
        60, description="A web import whose server process has not reported for this long "
        "died with it (a restart, a crash) and is shown as failed; nothing of it was written."
    )
    metadata_max_bytes: int = Field(
        1_000_000, description="Largest metadata file accepted."
    )
    metadata_max_field_chars: int = Field(
        2_000, description="Longest text in any metadata field (source, translator, a tag, an "
        "extra field…) but the summary and licence, which the schema caps."
    )
    metadata_max_list_items: int = Field(
        200, description="Most items in any list of the metadata (tags, authors…)."
    )
    public_base_url: str = Field(
        "", description="The library's public address (https://…, with any path prefix): "
        "every absolute link of the web (citations, feed, sitemap, canonical links, CSV "
        "permalinks) and the CLI's citations start with it. Unset, the web uses the address "
        "it is reached at, which must be one of allowed_hosts."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        ["localhost", "127.0.0.1", "[::1]"],
        description="Host names the web answers to (comma-separated; '*.example.org' for "
        "subdomains); requests naming another host are refused, so a forged Host header "
        "cannot put its name into links. The host of public_base_url is always allowed.",
    )
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(
        [],
        description="Addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are believed (comma-separated, '*' for any); default: "
        "none, so the client address (rate limits, the audit log) is the peer's.",
    )
    library_name: str = Field("bitext", description="The library's name in citations.")
    page_size_documents: int = Field(20, description="Documents per library page.")
    page_size_reports: int = Field(50, description="Error reports per page of the editors' queue.")
    page_size_audit_entries: int = Field(100, description="Entries per page of the audit log.")
    page_size_history: int = Field(
        50, description="Changes per page of a document's history of changes."
    )
    search_snippet_max_chars: int = Field(
        300, description="A matching sentence in search results (page, API, CLI) is cut to "
        "this many characters around its first match, marked with '…'."
    )
    concordance_context_chars: int = Field(
        60, description="Characters of the sentence shown each side of a concordance match."
    )
    aligned_text_max_chars: int = Field(
        300, description="The aligned sentence shown with a search hit or a concordance line "
        "is cut to this many characters, marked with '…'."
    )
    concordance_max_lines: int = Field(
        5000, description="Most occurrences one concordance request reads, sorts and returns "
        "across its pages and its CSV download; a longer list says it was cut."
    )
    sitemap_max_urls: int = Field(
        50_000, description="Most URLs in the sitemap (the library page and the newest "
        "published documents); 50,000 is the sitemap protocol's own limit for one file."
    )
    feed_max_notes_per_entry: int = Field(
        10, description="Most correction notes an Atom feed entry lists, newest first; it "
        "says how many earlier ones it left out."
    )
    feed_note_max_chars: int = Field(
        500, description="A correction note in the Atom feed is cut to this many characters, "
        "marked with '…'."
    )
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
    session_idle_timeout_s: int = Field(
        2 * 3600, description="An editor's session ends after this long without a request "
        "(and 12 hours after login in any case)."
    )
    login_failures_before_delay: int = Field(
        5, description="Wrong passwords for one user name from one client address before "
        "each further try from there must wait (other addresses are not affected)."
    )
    login_delay_first_s: int = Field(
        30, description="The first wait after login_failures_before_delay; it doubles with "
        "each further failure."
    )
    login_delay_max_s: int = Field(900, description="The longest wait between login tries.")
    login_failure_memory_s: int = Field(
        24 * 3600, description="How long a failed login counts towards the wait; a "
        "successful login from the same address forgets them at once."
    )

    @field_validator("allowed_hosts", "forwarded_allow_ips", mode="before")
    @classmethod
    def comma_separated(cls, value: object) -> object:
        """A list from ``"a, b"`` (how environment variables and options give it)."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("public_base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ValueError("public_base_url must start with https:// (or http://) and a host")
        return value.rstrip("/")

    def hosts_allowed(self) -> list[str]:
        """``allowed_hosts`` plus the host of ``public_base_url``."""
        public_host = urlsplit(self.public_base_url).hostname if self.public_base_url else None
        if not public_host:
            return list(self.allowed_hosts)
        return [*self.allowed_hosts, f"[{public_host}]" if ":" in public_host else public_host]

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'library.db'}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
