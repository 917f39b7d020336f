"""The search index: one token string per sentence segment, and two backends over it.

``segment_tokens`` holds, for the sentences of the *latest* revision of each side of each
document, the output of :func:`bitext.core.text.tokenize.token_string`. SQLite indexes it
with an external-content FTS5 table (``search_index``, ``ascii`` tokenizer: our tokens pass
through unchanged) whose rowid is the sentence's rank key (see :mod:`bitext.store.fts5_rank`,
which ranks without scoring every match) and whose two columns are the two sides (a
sentence's tokens in its side's column, the other empty: FTS5 filters a side by itself,
and bm25 sees the same row length and average as with one column); PostgreSQL with a
``tsvector`` column built from the same tokens (no parser, no stemming: the tokens are
already final) and a GIN index.
Both backends receive a parsed :class:`~bitext.core.text.tokenize.Query` and quote every
token, so user text never reaches the engine as syntax.
"""

import dataclasses
import datetime as dt
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from sqlalchemy import bindparam, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bitext.core.sides import SIDES
from bitext.core.text.tokenize import (
    Phrase,
    Query,
    Token,
    index_token_forms,
    phrase_spans,
)
from bitext.errors import BitextError
from bitext.store.fts5_rank import MAX_SEGMENT_ID, Ranked, fts5_among, fts5_top, rank_key
from bitext.store.schema import Segment
from bitext.store.search_hits import rows_for_ids, sentence_partners

MAX_POSITION_PG = 16383  # tsvector positions stop here
PROGRESS_STEPS = 10_000  # SQLite VM steps between two looks at the clock
# A filter keeping at most this many sentences is ranked from them (fts5_among): a common
# word then needs no scan of the whole index in rank order (1.5 s at 1M pairs, one document).
FEW_SENTENCES = 65_536
# PostgreSQL ranks at most this many matches of a query (see PostgresBackend._ranked):
# at 1M pairs, 5,000 gave p95 31 ms with 86% of the full top 20, 20,000 gave 68 ms with 95%.
PG_CANDIDATES = 20_000
# A query in both languages whose one side has at most this many matches and the other more
# is paired from the rarer side (see ranked_pairs).
PAIR_DRIVER_LIMIT = 5_000  # about 0.15 ms per rare match (31k-pair Bible library)


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
    document: str | None = None  # a document's slug: search within it
    exact: bool = False  # words as written (the unstemmed index), not by stem


def _sentence_filters_only(filters: SearchFilters) -> bool:
    """Whether ``filters`` keep every document of their statuses (no filter on documents)."""
    return filters == SearchFilters(side=filters.side, statuses=filters.statuses,
                                    exact=filters.exact)


def _fts_table(filters: SearchFilters) -> str:
    return "search_exact" if filters.exact else "search_index"


def _tsv_column(filters: SearchFilters) -> str:
    return "st.tsv_exact" if filters.exact else "st.tsv"


@dataclass(frozen=True)
class Match:
    segment_id: int
    document_id: int
    side: str
    score: float  # higher is better


class IndexRow(NamedTuple):
    segment_id: int
    tokens: list[str]  # stemmed in the side's language
    exact: list[str] | None  # the words as written, when stemming changed some


class SearchBackend(Protocol):
    """What a full-text engine must do for bitext; one implementation per SQL dialect."""

    name: str

    def store(
        self, session: Session, document_id: int, side: str, rows: Sequence[IndexRow],
    ) -> None:
        """Index new sentences of one side of one document."""

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

    def page(
        self, session: Session, query: Query, filters: SearchFilters, *, limit: int,
        offset: int = 0, count_limit: int, time_limit_ms: int,
    ) -> tuple[list[Match], int]:
        """``match`` (ranked) and ``count`` at once: a page of results and the total."""

    def pairs(
        self, session: Session, first: Query, second: Query, filters: SearchFilters, *,
        time_limit_ms: int,
    ) -> list[Match]:
        """Aligned sentence pairs of the documents' latest alignments whose one side
        matches ``first`` and the other ``second``, best first (the sum of both sides'
        scores): one match per sentence bead, its original-side sentence."""

    def check(self, session: Session) -> None:
        """Raise if the index and ``segment_tokens`` disagree."""


# --- writing -------------------------------------------------------------------------


# Sentences tokenized and stored at a time: an 80,000-unit TMX tokenized at once held
# ~200 MB of token lists and rows (each batch is one FTS5 insert run, in rowid order).
INDEX_BATCH = 5_000


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
    new = [i for i in wanted if i not in existing]
    given = None if texts is None else dict(zip(sentence_ids, texts, strict=True))
    backend = backend_for(session)
    for start in range(0, len(new), INDEX_BATCH):  # memory bounded by a batch, not a document
        batch = new[start:start + INDEX_BATCH]
        by_id = given if given is not None else dict(
            session.execute(select(Segment.id, Segment.text).where(Segment.id.in_(batch))).all()
        )
        rows = []
        for sid in batch:
            tokens, exact = index_token_forms(by_id[sid], language)
            rows.append(IndexRow(sid, tokens, None if exact == tokens else exact))
        backend.store(session, document_id, side, rows)


def ranked_page(
    session: Session, query: Query, filters: SearchFilters, *, limit: int, offset: int,
    count_limit: int, time_limit_ms: int,
) -> tuple[list[Match], int]:
    """A page of the best matches and how many match (counted up to ``count_limit``)."""
    return backend_for(session).page(
        session, query, filters, limit=limit, offset=offset, count_limit=count_limit,
        time_limit_ms=time_limit_ms,
    )


def matches_in_order(
    session: Session, query: Query, filters: SearchFilters, *, limit: int, time_limit_ms: int,
) -> list[Match]:
    """The first ``limit`` matches by segment id (document order), unranked."""
    return backend_for(session).match(
        session, query, filters, limit=limit, ranked=False, time_limit_ms=time_limit_ms,
    )


def ranked_pairs(
    session: Session, first: Query, second: Query, filters: SearchFilters, *,
    time_limit_ms: int,
) -> list[Match]:
    """Aligned pairs with ``first`` matched on one side and ``second`` on the other, best
    first, one per sentence bead (its original-side sentence); the side filter does not
    apply (both sides are searched).

    Both sides' matches are joined in SQL and ranked by both scores, unless one query is
    common (more than PAIR_DRIVER_LIMIT matches) and the other is not: then every match
    of the rare one is read and its partners' tokens are checked for the common one
    (reading all matches of a common word is what would be slow), and the pairs are
    ranked by the rare side's score. Both common: the SQL join, under the time limit."""
    filters = dataclasses.replace(filters, side=None)
    deadline = time.monotonic() + time_limit_ms / 1000
    backend = backend_for(session)
    counts = [backend.count(session, query, filters, limit=PAIR_DRIVER_LIMIT + 1,
                            time_limit_ms=time_limit_ms) for query in (first, second)]
    if min(counts) > PAIR_DRIVER_LIMIT or max(counts) <= PAIR_DRIVER_LIMIT:
        return backend.pairs(session, first, second, filters, time_limit_ms=time_limit_ms)
    rare, common = (first, second) if counts[0] <= counts[1] else (second, first)
    driving = backend.match(session, rare, filters, limit=PAIR_DRIVER_LIMIT,
                            time_limit_ms=time_limit_ms)
    partners = sentence_partners(session, [m.segment_id for m in driving])
    tokens = _indexed_tokens(session, {i for p in partners.values() for i in p[2]},
                             exact=filters.exact)
    best: dict[tuple[int, int], Match] = {}
    for number, match in enumerate(driving):
        if number % 256 == 0 and time.monotonic() > deadline:
            raise SearchTimeout()
        if match.segment_id not in partners:
            continue
        alignment_id, position, others = partners[match.segment_id]
        found = [i for i in others if i in tokens and _holds(tokens[i], common)]
        if not found:
            continue
        original = match.segment_id if match.side == "original" else min(found)
        pair = Match(original, match.document_id, "original", match.score)
        kept = best.get((alignment_id, position))
        if kept is None or (pair.score, -pair.segment_id) > (kept.score, -kept.segment_id):
            best[alignment_id, position] = pair
    return sorted(best.values(), key=lambda m: (-m.score, m.segment_id))


def _holds(tokens: list[str], query: Query) -> bool:
    """Whether a sentence's index tokens hold every phrase of ``query`` (as FTS5 and the
    tsquery match them: the phrase's tokens in a row, a prefix for a last lone Han
    character)."""
    positions = [Token(t, i, i + 1, False) for i, t in enumerate(tokens)]
    return all(phrase_spans(positions, phrase) for phrase in query.phrases)


def _indexed_tokens(session: Session, segment_ids: set[int], *,
                    exact: bool) -> dict[int, list[str]]:
    """The index tokens of each sentence (the words as written when ``exact``)."""
    column = "coalesce(exact, tokens)" if exact else "tokens"
    statement = text(
        f"SELECT segment_id, {column} FROM segment_tokens WHERE segment_id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    return {sid: joined.split(" ") if joined else []
            for sid, joined in rows_for_ids(session, statement, segment_ids)}


def library_languages(session: Session) -> list[str]:
    """The languages of every document, both sides (what queries are stemmed for)."""
    return library_facts(session).languages


def backend_for(session: Session) -> SearchBackend:
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return SQLITE
    if name == "postgresql":
        return POSTGRES
    raise BitextError(f"search is not available on {name}")


# --- shared SQL ----------------------------------------------------------------------


def _filter_sql(filters: SearchFilters, params: dict, *, dates_as_text: bool = False) -> str:
    """WHERE conditions on ``d`` (documents) and ``st`` (segment_tokens); values bound by
    name (lists one name per item), so the SQL runs through SQLAlchemy and the DB-API."""
    statuses = [f"status_{i}" for i in range(len(filters.statuses))]
    where = [f"d.status IN ({', '.join(':' + n for n in statuses)})" if statuses else "0 = 1"]
    params.update(zip(statuses, filters.statuses, strict=True))
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
    if filters.document:
        where.append("d.slug = :document")
        params["document"] = filters.document
    for name, value, op in (("date_from", filters.date_from, ">="),
                            ("date_to", filters.date_to, "<=")):
        if value:
            where.append(f"d.date {op} :{name}")
            params[name] = value.isoformat() if dates_as_text else value
    return " AND ".join(where)


@dataclass(frozen=True)
class LibraryFacts:
    languages: list[str]  # of every document, both sides
    statuses: frozenset[str]  # that some document has


def library_facts(session: Session) -> LibraryFacts:
    """What queries need to know of the documents. SQLite keeps it with the connection until
    another connection commits (``PRAGMA data_version``) or this one writes (its total
    changes): searches do not re-read it."""
    connection = session.connection()
    version = None
    if connection.dialect.name == "sqlite":
        version = (connection.exec_driver_sql("PRAGMA data_version").scalar(),
                   _sqlite3(connection).total_changes)
        cached = connection.info.get("bitext_library_facts")
        if cached is not None and cached[0] == version:
            return cached[1]
    rows = connection.exec_driver_sql(
        "SELECT DISTINCT language_original, language_translation, status FROM documents"
    ).all()
    facts = LibraryFacts(sorted({r[0] for r in rows} | {r[1] for r in rows}),
                         frozenset(r[2] for r in rows))
    if version is not None:
        connection.info["bitext_library_facts"] = (version, facts)
    return facts


def _keeps_every_document(session: Session, filters: SearchFilters) -> bool:
    """Whether every document passes ``filters`` (counted on the documents table, far
    smaller than the index); the side, in the FTS5 expression, is not asked about."""
    if _sentence_filters_only(filters):
        return library_facts(session).statuses <= set(filters.statuses)
    params: dict = {}
    where = _filter_sql(dataclasses.replace(filters, side=None), params)
    dropped = session.execute(text(
        f"SELECT (SELECT count(*) FROM documents)"
        f" - (SELECT count(*) FROM documents d WHERE {where})"
    ), params).scalar_one()
    return dropped == 0


def _pairs_sql(side_matches: str, filter_sql: str) -> str:
    """Pairs from two sets of matches, ``side_matches`` formatted with the query's
    parameter name (``qa``, ``qb``), selecting (alignment_id, position, segment_id,
    document_id, side, score) of each match in its sentence bead. The two sides of one
    bead of the document's latest alignment pair up; a bead pairs once (its best pair)."""
    return (
        f"WITH a AS MATERIALIZED ({side_matches.format(q='qa')}),"
        f" b AS MATERIALIZED ({side_matches.format(q='qb')})"
        " SELECT min(CASE WHEN a.side = 'original' THEN a.segment_id ELSE b.segment_id END)"
        " AS sid, a.document_id, 'original', max(a.score + b.score) AS score"
        " FROM a JOIN b ON b.alignment_id = a.alignment_id AND b.position = a.position"
        " AND b.side <> a.side JOIN documents d ON d.id = a.document_id"
        " WHERE a.alignment_id = (SELECT max(x.id) FROM alignments x"
        f" WHERE x.document_id = a.document_id) AND {filter_sql}"
        " GROUP BY a.alignment_id, a.position, a.document_id ORDER BY score DESC, sid"
    )


def _scalar(session: Session, sql: str, params: dict) -> int:
    return int(session.execute(text(sql), params).scalar_one())


def _run(session: Session, sql: str, params: dict) -> list[Match]:
    return [Match(*row) for row in session.execute(text(sql), params)]


# --- SQLite FTS5 ---------------------------------------------------------------------


def fts5_expression(query: Query, side: str | None = None) -> str:
    """The MATCH string: every token double-quoted (quotes doubled), phrases joined by
    ``+``, a phrase's language variants OR-ed, phrases AND-ed; with ``side``, in that
    side's column only."""
    expression = " AND ".join(
        "(" + " OR ".join(_fts5_variants(p)) + ")" for p in query.phrases
    )
    return f"{_column_filter(side)}({expression})" if side else expression


def _fts5_variants(phrase: Phrase, side: str | None = None) -> list[str]:
    """The phrase once per variant, as FTS5 phrases (what bm25 sees as its phrases), in
    ``side``'s column if given."""
    suffix = "*" if phrase.tokens[-1].prefix else ""
    column = _column_filter(side) if side else ""
    return [
        column + " + ".join('"' + form.replace('"', '""') + '"' for form in forms) + suffix
        for forms in phrase.variants()
    ]


def _column_filter(side: str) -> str:
    """FTS5's column filter for one side. The name comes from SIDES, never from the user.
    bm25 then counts the idf of each phrase in that column: for one phrase the order is the
    same as with the whole index's idf; phrases of a query are weighed within the side."""
    if side not in SIDES:
        raise ValueError(f"no side {side!r}")
    return "{" + side + "} : "


class SQLiteBackend:
    name = "sqlite"

    def store(
        self, session: Session, document_id: int, side: str, rows: Sequence[IndexRow],
    ) -> None:
        # Straight into the content table and the FTS5 tables, one executemany each, in
        # rowid order: FTS5 writes its pending index data to disk whenever a rowid is not
        # above the previous one (and an insert trigger would make it flush for every row).
        column = SIDES.index(side)
        records = sorted(
            (rank_key(row.segment_id, row.tokens), row.segment_id, document_id, side,
             " ".join(row.tokens), None if row.exact is None else " ".join(row.exact))
            for row in rows
        )
        raw = _sqlite3(session.connection())
        raw.executemany(
            "INSERT INTO segment_tokens (rank_key, segment_id, document_id, side, tokens,"
            " exact) VALUES (?, ?, ?, ?, ?, ?)", records,
        )
        for table, tokens in (("search_index", 4), ("search_exact", 5)):
            raw.executemany(
                f"INSERT INTO {table} (rowid, original, translation) VALUES (?, ?, ?)",
                [(r[0], *((r[tokens] or r[4], None) if column == 0 else
                          (None, r[tokens] or r[4]))) for r in records],
            )

    def count(self, session, query, filters, *, limit, time_limit_ms, every=None):
        table = _fts_table(filters)
        params = {"q": fts5_expression(query, filters.side), "limit": limit}
        if every is None:
            every = _keeps_every_document(session, filters)
        if every:  # then the index alone can count
            sql = (f"SELECT count(*) FROM (SELECT 1 FROM {table}"
                   f" WHERE {table} MATCH :q LIMIT :limit)")
        else:
            sql = (
                f"SELECT count(*) FROM (SELECT 1 FROM {table}"
                f" CROSS JOIN segment_tokens st ON st.rank_key = {table}.rowid"
                " CROSS JOIN documents d ON d.id = st.document_id"
                f" WHERE {table} MATCH :q AND {_filter_sql(filters, params)}"
                " LIMIT :limit)"
            )
        with _sqlite_deadline(session, time_limit_ms):
            return _scalar(session, sql, params)

    def page(self, session, query, filters, *, limit, offset=0, count_limit, time_limit_ms):
        every = _keeps_every_document(session, filters)
        with _sqlite_deadline(session, time_limit_ms):
            ranked = self._ranked(session, query, filters, offset + limit, count_limit)
        if ranked.passed is not None:
            total = min(ranked.passed, count_limit)
        elif every and (ranked.exhausted or ranked.read >= count_limit):
            total = min(ranked.read, count_limit)  # the ranking read them: no count needed
        elif ranked.exhausted and len(ranked.rows) < offset + limit:
            # Fewer rows passed the filters than asked for: the ranking checked every match
            # and kept all that passed, so they are the total (a selective filter's worst
            # case, which a count would read through again).
            total = min(len(ranked.rows), count_limit)
        else:
            total = self.count(session, query, filters, limit=count_limit,
                               time_limit_ms=time_limit_ms, every=every)
        return [Match(*row) for row in ranked.rows[offset:]], total

    def _ranked(self, session, query, filters, need, count_limit=0):
        params: dict = {}
        where = _filter_sql(filters, params, dates_as_text=True)  # bound by the DB-API
        raw = _sqlite3(session.connection())
        expression = fts5_expression(query, filters.side)
        if not _sentence_filters_only(filters):
            kept, low, high = _kept_sentences(raw, where, params)
            if not kept:
                return Ranked([], 0, True, 0)
            if kept <= FEW_SENTENCES:
                return fts5_among(raw, expression, need, where, params, kept, (low, high),
                                  count_limit=count_limit, table=_fts_table(filters))
        groups = [_fts5_variants(phrase, filters.side) for phrase in query.phrases]
        return fts5_top(raw, expression, groups, need, where, params, table=_fts_table(filters))

    def match(self, session, query, filters, *, limit, offset=0, ranked=True, time_limit_ms):
        table = _fts_table(filters)
        if not ranked:
            params = {"q": fts5_expression(query, filters.side), "limit": limit,
                      "offset": offset}
            if _keeps_every_document(session, filters):  # sorted by the ids in the rowids
                sql = (
                    "SELECT st.segment_id, st.document_id, st.side, 0.0 FROM (SELECT rowid AS"
                    f" k FROM {table} WHERE {table} MATCH :q ORDER BY rowid &"
                    f" {MAX_SEGMENT_ID} LIMIT :limit OFFSET :offset) AS m"
                    " CROSS JOIN segment_tokens st ON st.rank_key = m.k ORDER BY st.segment_id"
                )
            else:
                sql = (
                    f"SELECT st.segment_id, st.document_id, st.side, 0.0 FROM {table}"
                    f" CROSS JOIN segment_tokens st ON st.rank_key = {table}.rowid"
                    " CROSS JOIN documents d ON d.id = st.document_id"
                    f" WHERE {table} MATCH :q AND {_filter_sql(filters, params)}"
                    " ORDER BY st.segment_id LIMIT :limit OFFSET :offset"
                )
            with _sqlite_deadline(session, time_limit_ms):
                return _run(session, sql, params)
        with _sqlite_deadline(session, time_limit_ms):
            best = self._ranked(session, query, filters, offset + limit).rows
        return [Match(*row) for row in best[offset:]]

    def pairs(self, session, first, second, filters, *, time_limit_ms):
        table = _fts_table(filters)
        params = {"qa": fts5_expression(first), "qb": fts5_expression(second)}
        matches = (
            "SELECT m.alignment_id, m.position, st.segment_id, st.document_id, st.side,"
            f" -bm25({table}) AS score FROM {table} CROSS JOIN segment_tokens st"
            f" ON st.rank_key = {table}.rowid CROSS JOIN bead_members m"
            " ON m.segment_id = st.segment_id AND m.level = 'sentence'"
            f" WHERE {table} MATCH :{{q}}"
        )
        sql = _pairs_sql(matches, _filter_sql(filters, params))
        with _sqlite_deadline(session, time_limit_ms):
            return _run(session, sql, params)

    def check(self, session: Session) -> None:
        for table in ("search_index", "search_exact"):
            session.execute(text(f"INSERT INTO {table}({table}) VALUES('integrity-check')"))
        _check_bead_members(session, "json_each({col})")


def _kept_sentences(raw: sqlite3.Connection, where: str, params: dict) -> tuple[int, int, int]:
    """How many sentences the filters keep (counting to FEW_SENTENCES + 1, from the
    documents that pass, through the index on segment_tokens' document id), and the lowest
    and highest segment id among those counted."""
    kept, low, high = raw.execute(
        "SELECT count(*), min(segment_id), max(segment_id) FROM (SELECT st.segment_id"
        " FROM documents d CROSS JOIN segment_tokens st ON st.document_id = d.id"
        f" WHERE {where} LIMIT {max(FEW_SENTENCES, 0) + 1})",
        params,
    ).fetchone()
    return kept, low or 0, high or 0


def _sqlite3(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under SQLAlchemy's, for what only the driver offers: bulk
    FTS5 writes, progress handlers, ``total_changes``."""
    raw = connection.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError("the SQLite search backend needs Python's sqlite3 driver")
    return raw


@contextmanager
def _sqlite_deadline(session: Session, time_limit_ms: int) -> Iterator[None]:
    """Interrupt a statement that runs past ``time_limit_ms`` (a progress handler)."""
    raw = _sqlite3(session.connection())
    deadline = time.monotonic() + time_limit_ms / 1000
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        # interrupted mid-statement, or while FTS5 opened its table on a fresh connection
        # ("vtable constructor failed")
        if "interrupted" in str(getattr(error, "orig", error)) or time.monotonic() > deadline:
            raise SearchTimeout() from None
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _check_bead_members(session: Session, elements: str) -> None:
    """Raise unless ``bead_members`` lists exactly the segments of every bead.

    ``elements`` is the dialect's JSON array function, ``{col}`` standing for the column."""
    members = "SELECT segment_id, alignment_id, level, position FROM bead_members"
    from_beads = " UNION ".join(
        f"SELECT CAST(j.value AS INTEGER), b.alignment_id, b.level, b.position"
        f" FROM beads b, {elements.format(col='b.' + col)} AS j"
        for col in ("source_ids", "target_ids")
    )
    differ = session.scalar(text(
        f"SELECT (SELECT count(*) FROM (SELECT * FROM ({members}) AS m"
        f" EXCEPT SELECT * FROM ({from_beads}) AS b) AS x)"
        f" + (SELECT count(*) FROM (SELECT * FROM ({from_beads}) AS b"
        f" EXCEPT SELECT * FROM ({members}) AS m) AS y)"
    ))
    if differ:
        raise BitextError(f"{differ} bead memberships disagree with the beads")


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

    def store(
        self, session: Session, document_id: int, side: str, rows: Sequence[IndexRow],
    ) -> None:
        session.execute(
            text(
                "INSERT INTO segment_tokens (segment_id, document_id, side, tokens, tsv,"
                " exact, tsv_exact) VALUES (:segment_id, :document_id, :side, :tokens,"
                " CAST(:tsv AS tsvector), :exact, CAST(:tsv_exact AS tsvector))"
            ),
            [
                {"segment_id": row.segment_id, "document_id": document_id, "side": side,
                 "tokens": " ".join(row.tokens), "tsv": tsvector_literal(row.tokens),
                 "exact": None if row.exact is None else " ".join(row.exact),
                 "tsv_exact": tsvector_literal(row.exact or row.tokens)}
                for row in rows
            ],
        )

    def count(self, session, query, filters, *, limit, time_limit_ms):
        tsv = _tsv_column(filters)
        params = {"q": tsquery_literal(query), "limit": limit}
        where = _filter_sql(filters, params)
        if _sentence_filters_only(filters):
            # Filters on the sentence alone: the matches come from a materialized CTE,
            # planned without the LIMIT. With it in view, PostgreSQL bets on a sequential
            # scan stopping early, and when few matches pass it reads the whole table (734
            # ms; 63 ms this way, a side filter keeping none of 31k matches, 250k pairs).
            # Filters on documents keep the plain join, which can start from the documents.
            side = " AND st.side = :side" if filters.side else ""
            sql = (
                "WITH st AS MATERIALIZED (SELECT st.document_id, st.side"
                " FROM segment_tokens st, CAST(:q AS tsquery) AS q(q)"
                f" WHERE {tsv} @@ q.q{side}) SELECT count(*) FROM (SELECT 1 FROM st"
                f" JOIN documents d ON d.id = st.document_id WHERE {where} LIMIT :limit) AS m"
            )
        else:
            sql = (
                "SELECT count(*) FROM (SELECT 1 FROM segment_tokens st"
                " JOIN documents d ON d.id = st.document_id, CAST(:q AS tsquery) AS q(q)"
                f" WHERE {tsv} @@ q.q AND {where} LIMIT :limit) AS m"
            )
        with _pg_deadline(session, time_limit_ms):
            return _scalar(session, sql, params)

    def match(self, session, query, filters, *, limit, offset=0, ranked=True, time_limit_ms):
        tsv = _tsv_column(filters)
        if ranked:
            return self._ranked(session, query, filters, limit, offset, time_limit_ms)[0]
        params = {"q": tsquery_literal(query), "limit": limit, "offset": offset}
        sql = (
            "SELECT st.segment_id, st.document_id, st.side, 0.0"
            " FROM segment_tokens st JOIN documents d ON d.id = st.document_id,"
            " CAST(:q AS tsquery) AS q(q)"
            f" WHERE {tsv} @@ q.q AND {_filter_sql(filters, params)}"
            " ORDER BY st.segment_id LIMIT :limit OFFSET :offset"
        )
        with _pg_deadline(session, time_limit_ms):
            return _run(session, sql, params)

    def page(self, session, query, filters, *, limit, offset=0, count_limit, time_limit_ms):
        matches, candidates = self._ranked(session, query, filters, limit, offset,
                                           time_limit_ms)
        if candidates is not None and (candidates < PG_CANDIDATES or candidates >= count_limit):
            return matches, min(candidates, count_limit)  # no count needed
        return matches, self.count(session, query, filters, limit=count_limit,
                                   time_limit_ms=time_limit_ms)

    def _ranked(self, session, query, filters, limit, offset, time_limit_ms):
        """The best matches by ts_rank among the first PG_CANDIDATES matches read, and how
        many candidates there were (None past the last page).

        ts_rank reads each row's tsvector from the table: scoring every match of a common
        word (85,000 sentences at 1M pairs) is what made searches slow. Past that many
        matches, the ranking is of those the index gives first: in the table's order,
        the oldest sentences (where ties go anyway), or a filter's documents in turn. A
        recall trade-off, measured by bench/search.py (the top 20's overlap with a
        ranking of every match); the total is still counted over every match."""
        tsv = _tsv_column(filters)
        params = {"q": tsquery_literal(query), "limit": limit, "offset": offset,
                  "candidates": PG_CANDIDATES}
        with _pg_deadline(session, time_limit_ms):
            if _sentence_filters_only(filters):
                sentences = ("segment_tokens st JOIN documents d ON d.id = st.document_id"
                             f" WHERE {_filter_sql(filters, params)} AND")
            else:  # the documents first, so that their sentences' index and the tsvector's
                # are read once each and intersected (the plan otherwise chosen for a LIMIT
                # read the whole tsvector index once per document: 1.2 s, a year at 1M pairs)
                ids = _pg_document_ids(session, filters)
                if not ids:
                    return [], 0
                params.update(ids=ids, side=filters.side)
                side = " st.side = :side AND" if filters.side else ""
                sentences = ("segment_tokens st WHERE st.document_id ="
                             f" ANY(CAST(:ids AS integer[])) AND{side}")
            sql = (
                "SELECT c.segment_id, c.document_id, c.side, c.score, count(*) OVER ()"
                " FROM (SELECT st.segment_id, st.document_id, st.side,"
                f" ts_rank({tsv}, CAST(:q AS tsquery)) AS score FROM {sentences}"
                f" {tsv} @@ CAST(:q AS tsquery) LIMIT :candidates) AS c"
                " ORDER BY c.score DESC, c.segment_id LIMIT :limit OFFSET :offset"
            )
            rows = session.execute(text(sql), params).all()
        candidates = rows[0][4] if rows else (None if offset else 0)  # None: not seen
        return [Match(*row[:4]) for row in rows], candidates

    def pairs(self, session, first, second, filters, *, time_limit_ms):
        tsv = _tsv_column(filters)
        params = {"qa": tsquery_literal(first), "qb": tsquery_literal(second)}
        matches = (
            "SELECT m.alignment_id, m.position, st.segment_id, st.document_id, st.side,"
            f" ts_rank({tsv}, CAST(:{{q}} AS tsquery)) AS score FROM segment_tokens st"
            " JOIN bead_members m ON m.segment_id = st.segment_id AND m.level = 'sentence'"
            f" WHERE {tsv} @@ CAST(:{{q}} AS tsquery)"
        )
        sql = _pairs_sql(matches, _filter_sql(filters, params))
        with _pg_deadline(session, time_limit_ms):
            return _run(session, sql, params)

    def check(self, session: Session) -> None:
        bad = session.scalar(
            text("SELECT count(*) FROM segment_tokens WHERE tsv IS NULL OR tsv_exact IS NULL")
        )
        if bad:
            raise BitextError(f"{bad} indexed sentences have no tsvector")
        _check_bead_members(session, "json_array_elements_text({col})")


def _pg_document_ids(session: Session, filters: SearchFilters) -> list[int]:
    """The documents that pass ``filters`` (the side aside)."""
    params: dict = {}
    where = _filter_sql(dataclasses.replace(filters, side=None), params)
    return list(session.scalars(text(f"SELECT d.id FROM documents d WHERE {where}"), params))


@contextmanager
def _pg_deadline(session: Session, time_limit_ms: int) -> Iterator[None]:
    """Cancel a statement that runs past ``time_limit_ms``; plan every search statement for
    its own values. psycopg prepares a statement run five times, and PostgreSQL's generic
    plan for it cannot see how many sentences a tsquery or a date range selects: it read
    every sentence of the filtered documents, 5x slower than a GIN scan at 65k pairs.
    No sequential scans: with a LIMIT in view, PostgreSQL bets on a scan of the table
    stopping early, and when few matches pass a filter it reads every sentence (2.3 s at
    1M pairs, a common English word in the Chinese side); an index always serves."""
    session.execute(text(f"SET LOCAL statement_timeout = {int(time_limit_ms)};"
                         " SET LOCAL plan_cache_mode = force_custom_plan;"
                         " SET LOCAL enable_seqscan = off"))
    try:
        yield
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == "57014":  # query_canceled
            raise SearchTimeout() from None
        raise


SQLITE = SQLiteBackend()
POSTGRES = PostgresBackend()
