"""The version tokens of readers' pages, read from the library only after a commit.

``reading.document_version`` is one indexed query, yet through a session it cost a cached
page more than the rest of the request. While the library's commit counter
(``store.commits``) has not moved, nothing a page shows can have changed, so the token
read last is still the token: ``known`` answers from memory, ``current`` reads (and
remembers) when it must. Each worker process keeps its own; the counter sees the commits
of every process, so a write shows on the very next request whichever worker answers it.
Without a counter (PostgreSQL) nothing is remembered and every token is read.
"""

import threading

from bitext.services import reading
from bitext.store.commits import CommitCounter
from bitext.store.database import Database


class DocumentVersions:
    """``reading.document_version`` of published documents, remembered per commit."""

    def __init__(self, database: Database):
        self._database = database
        self._counter = CommitCounter(database)
        self._lock = threading.Lock()
        self._seen: int | None = None  # the counter the remembered tokens were read under
        self._tokens: dict[str, str] = {}

    def _observe(self) -> int | None:
        """The counter now (call with the lock held): tokens read under another value
        are forgotten."""
        counter = self._counter.value()
        if counter is None or counter != self._seen:
            self._tokens.clear()
            self._seen = counter
        return counter

    def known(self, slug: str) -> str | None:
        """The document's token if nothing was committed since it was read, else None.
        Costs no query (one ``PRAGMA`` on SQLite), so it may run on the event loop."""
        with self._lock:
            return None if self._observe() is None else self._tokens.get(slug)

    def current(self, slug: str) -> str:
        """The document's token, read if not known (NotFound as ``get_document``)."""
        with self._lock:
            counter = self._observe()
            token = self._tokens.get(slug)
        if token is not None:
            return token
        token = reading.document_version(self._database, slug)
        # Read after the counter was, so at least that new. Kept only if no one has seen
        # the counter move since; a commit after it moves it for the next caller.
        with self._lock:
            if counter is not None and self._seen == counter:
                self._tokens[slug] = token
        return token
