"""The search index: one token string per sentence segment, and two backends over it.

``segment_tokens`` holds, for the sentences of the *latest* revision of each side of each
document, the output of :func:`bitext.core.text.tokenize.token_string`. SQLite indexes it
with an external-content FTS5 table (``search_index``, kept in step by triggers); PostgreSQL
with a ``tsvector`` column built from the same tokens (no parser, no stemming: the tokens
are already final) and a GIN index. Both backends receive a parsed
:class:`~bitext.core.text.tokenize.Query` and quote every token, so user text never reaches
the engine as syntax.
"""

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bitext.core.text.tokenize import Phrase, Query, index_tokens
from bitext.errors import BitextError
from bitext.store.schema import Segment

MAX_POSITION_PG = 16383  # tsvector positions stop here


class SearchTimeout(BitextError):
    status = 503

    def __init__(self) -> None:
        super().__init__("the search took too long; try more specific words or filters")


@dataclass(frozen=True)
class SearchFilters:
    source: str | None = None
    author: str | None = None
    tag: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    side: str | None = None  # "original" or "translation"
    statuses: tuple[str, ...] = ("published",)


@dataclass(frozen=True)
class Match:
    segment_id: int
    document_id: int
    side: str
    score: float  # higher is better


class SearchBackend(Protocol):
    """What a full-text engine must do for bitext; one implementation per SQL dialect."""

    name: str

    def store(self, session: Session, rows: Sequence[dict]) -> None:
        """Insert rows of (segment_id, document_id, side, tokens)."""

    def match(
        self, session: Session, query: Query, filters: SearchFilters, *,
        limit: int, offset: int = 0, ranked: bool = True, time_limit_ms: int,
    ) -> list[Match]:
        """Matching sentences, best first when ``ranked`` (else by segment id)."""

    def count(
        self, session: Session, query: Query, filters: SearchFilters, *, limit: int,
        time_limit_ms: int,
    ) -> int:
        """How many sentences match, counting at most ``limit``."""

    def check(self, session: Session) -> None:
        """Raise if the index and ``segment_tokens`` disagree."""


# --- writing -------------------------------------------------------------------------


def index_revision(
    session: Session,
    document_id: int,
    side: str,
    language: str,
    sentence_ids: Sequence[int],
    texts: Sequence[str] | None = None,
) -> None:
    """Make the index hold exactly ``sentence_ids`` for this side of this document.

    Call it in the transaction that writes the revision: sentences kept from the previous
    revision keep their rows, dropped ones are removed, new ones are tokenized and added.
    ``texts`` (same order) saves reading them back.
    """
    existing = set(
        session.scalars(
            text("SELECT segment_id FROM segment_tokens WHERE document_id = :d AND side = :s"),
            {"d": document_id, "s": side},
        )
    )
    wanted = list(dict.fromkeys(sentence_ids))
    stale = existing.difference(wanted)
    if stale:
        session.execute(
            text("DELETE FROM segment_tokens WHERE segment_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted(stale)},
        )
    if texts is None:
        by_id = dict(
            session.execute(select(Segment.id, Segment.text).where(Segment.id.in_(wanted))).all()
        )
        texts = [by_id[i] for i in wanted]
    else:
        texts = list(dict(zip(sentence_ids, texts, strict=True)).values())
    rows = [
        {"segment_id": sid, "document_id": document_id, "side": side,
         "tokens": index_tokens(body, language)}
        for sid, body in zip(wanted, texts, strict=True)
        if sid not in existing
    ]
    if rows:
        backend_for(session).store(session, rows)


def backend_for(session: Session) -> SearchBackend:
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return SQLITE
    if name == "postgresql":
        return POSTGRES
    raise BitextError(f"search is not available on {name}")


# --- shared SQL ----------------------------------------------------------------------


def _filter_sql(filters: SearchFilters, params: dict) -> str:
    """WHERE conditions on ``d`` (documents) and ``st`` (segment_tokens); values bound."""
    where = ["d.status IN :statuses"]
    params["statuses"] = list(filters.statuses)
    if filters.side:
        where.append("st.side = :side")
        params["side"] = filters.side
    if filters.source:
        where.append("(d.source = :source OR d.source_translation = :source)")
        params["source"] = filters.source
    if filters.author:
        where.append(
            "d.id IN (SELECT document_id FROM document_authors"
            " WHERE name = :author OR romanized = :author)"
        )
        params["author"] = filters.author
    if filters.tag:
        where.append(
            "d.id IN (SELECT dt.document_id FROM document_tags dt JOIN tags t"
            " ON t.id = dt.tag_id WHERE t.name = :tag)"
        )
        params["tag"] = filters.tag
    if filters.date_from:
        where.append("d.date >= :date_from")
        params["date_from"] = filters.date_from
    if filters.date_to:
        where.append("d.date <= :date_to")
        params["date_to"] = filters.date_to
    return " AND ".join(where)


def _scalar(session: Session, sql: str, params: dict) -> int:
    statement = text(sql).bindparams(bindparam("statuses", expanding=True))
    return int(session.execute(statement, params).scalar_one())


def _run(session: Session, sql: str, params: dict) -> list[Match]:
    statement = text(sql).bindparams(bindparam("statuses", expanding=True))
    return [Match(*row) for row in session.execute(statement, params)]


# --- SQLite FTS5 ---------------------------------------------------------------------


def fts5_expression(query: Query) -> str:
    """The MATCH string: every token double-quoted (quotes doubled), phrases joined by
    ``+``, a phrase's language variants OR-ed, phrases AND-ed."""
    return " AND ".join(_fts5_phrase(p) for p in query.phrases)


def _fts5_phrase(phrase: Phrase) -> str:
    prefix = phrase.tokens[-1].prefix
    variants = []
    for forms in phrase.variants():
        quoted = " + ".join('"' + form.replace('"', '""') + '"' for form in forms)
        variants.append(quoted + ("*" if prefix else ""))
    return "(" + " OR ".join(variants) + ")"


class SQLiteBackend:
    name = "sqlite"

    def store(self, session: Session, rows: Sequence[dict]) -> None:
        session.execute(
            text(
                "INSERT INTO segment_tokens (segment_id, document_id, side, tokens)"
                " VALUES (:segment_id, :document_id, :side, :tokens)"
            ),
            [{**row, "tokens": " ".join(row["tokens"])} for row in rows],
        )

    def count(self, session, query, filters, *, limit, time_limit_ms):
        params = {"q": fts5_expression(query), "limit": limit}
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM search_index"
            " JOIN segment_tokens st ON st.segment_id = search_index.rowid"
            " JOIN documents d ON d.id = st.document_id"
            f" WHERE search_index MATCH :q AND {_filter_sql(filters, params)} LIMIT :limit)"
        )
        with _sqlite_deadline(session, time_limit_ms):
            return _scalar(session, sql, params)

    def match(self, session, query, filters, *, limit, offset=0, ranked=True, time_limit_ms):
        params = {"q": fts5_expression(query), "limit": limit, "offset": offset}
        order = "ORDER BY search_index.rank, st.segment_id" if ranked else "ORDER BY st.segment_id"
        sql = (
            "SELECT st.segment_id, st.document_id, st.side,"
            f" {'-search_index.rank' if ranked else '0.0'}"
            " FROM search_index JOIN segment_tokens st ON st.segment_id = search_index.rowid"
            " JOIN documents d ON d.id = st.document_id"
            f" WHERE search_index MATCH :q AND {_filter_sql(filters, params)}"
            f" {order} LIMIT :limit OFFSET :offset"
        )
        with _sqlite_deadline(session, time_limit_ms):
            return _run(session, sql, params)

    def check(self, session: Session) -> None:
        session.execute(text("INSERT INTO search_index(search_index) VALUES('integrity-check')"))


@contextmanager
def _sqlite_deadline(session: Session, time_limit_ms: int) -> Iterator[None]:
    """Interrupt a statement that runs past ``time_limit_ms`` (a progress handler)."""
    raw = session.connection().connection.driver_connection
    deadline = time.monotonic() + time_limit_ms / 1000
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error.orig):
            raise SearchTimeout() from None
        raise
    finally:
        raw.set_progress_handler(None, 0)


# --- PostgreSQL ----------------------------------------------------------------------


def _pg_quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: Sequence[str]) -> str:
    """Tokens with their 1-based positions, as tsvector input: no parser runs over them."""
    return " ".join(
        f"{_pg_quote(t)}:{min(i, MAX_POSITION_PG)}" for i, t in enumerate(tokens, start=1)
    )


def tsquery_literal(query: Query) -> str:
    """Same shape as :func:`fts5_expression`: ``<->`` joins a phrase, ``:*`` a prefix."""
    phrases = []
    for phrase in query.phrases:
        prefix = ":*" if phrase.tokens[-1].prefix else ""
        variants = [
            "(" + " <-> ".join(_pg_quote(f) for f in forms) + prefix + ")"
            for forms in phrase.variants()
        ]
        phrases.append("(" + " | ".join(variants) + ")")
    return " & ".join(phrases)


class PostgresBackend:
    name = "postgresql"

    def store(self, session: Session, rows: Sequence[dict]) -> None:
        session.execute(
            text(
                "INSERT INTO segment_tokens (segment_id, document_id, side, tokens, tsv)"
                " VALUES (:segment_id, :document_id, :side, :tokens, CAST(:tsv AS tsvector))"
            ),
            [
                {**row, "tokens": " ".join(row["tokens"]), "tsv": tsvector_literal(row["tokens"])}
                for row in rows
            ],
        )

    def count(self, session, query, filters, *, limit, time_limit_ms):
        params = {"q": tsquery_literal(query), "limit": limit}
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM segment_tokens st"
            " JOIN documents d ON d.id = st.document_id, CAST(:q AS tsquery) AS q(q)"
            f" WHERE st.tsv @@ q.q AND {_filter_sql(filters, params)} LIMIT :limit) AS m"
        )
        with _pg_deadline(session, time_limit_ms):
            return _scalar(session, sql, params)

    def match(self, session, query, filters, *, limit, offset=0, ranked=True, time_limit_ms):
        params = {"q": tsquery_literal(query), "limit": limit, "offset": offset}
        score = "ts_rank(st.tsv, q.q)" if ranked else "0.0"
        order = "ORDER BY 4 DESC, st.segment_id" if ranked else "ORDER BY st.segment_id"
        sql = (
            f"SELECT st.segment_id, st.document_id, st.side, {score}"
            " FROM segment_tokens st JOIN documents d ON d.id = st.document_id,"
            " CAST(:q AS tsquery) AS q(q)"
            f" WHERE st.tsv @@ q.q AND {_filter_sql(filters, params)}"
            f" {order} LIMIT :limit OFFSET :offset"
        )
        with _pg_deadline(session, time_limit_ms):
            return _run(session, sql, params)

    def check(self, session: Session) -> None:
        bad = session.scalar(
            text("SELECT count(*) FROM segment_tokens WHERE tsv IS NULL")
        )
        if bad:
            raise BitextError(f"{bad} indexed sentences have no tsvector")


@contextmanager
def _pg_deadline(session: Session, time_limit_ms: int) -> Iterator[None]:
    session.execute(text(f"SET LOCAL statement_timeout = {int(time_limit_ms)}"))
    try:
        yield
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == "57014":  # query_canceled
            raise SearchTimeout() from None
        raise


SQLITE = SQLiteBackend()
POSTGRES = PostgresBackend()
