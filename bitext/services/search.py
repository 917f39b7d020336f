"""Search and the parallel concordance: one query box for both languages.

A query is parsed by the one tokenizer (:mod:`bitext.core.text.tokenize`), matched by the
backend of the database (:mod:`bitext.store.search_index`), and each hit is returned with
its highlighted text, the aligned sentence in the other language (through the sentence
beads of the document's latest alignment) and a permalink to its paragraph row.
"""

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from bitext.core.text.tokenize import Query, QueryError, match_spans, parse_query, tokenize
from bitext.errors import InputError
from bitext.store.database import Database
from bitext.store.search_index import Match, SearchFilters, backend_for

SEARCH_TIME_LIMIT_MS = 2000
MAX_PER_PAGE = 100
COUNT_LIMIT = 1000  # beyond this, totals are shown as "1000+"
CONCORDANCE_MAX_SENTENCES = 2000
CONCORDANCE_CONTEXT_CHARS = 60
SNIPPET_CHARS = 300
CONCORDANCE_SORTS = ("date", "-date", "left", "right")
SIDES = ("original", "translation")

__all__ = [
    "SearchFilters", "SearchHit", "SearchResults", "ConcordanceLine", "Concordance",
    "search", "concordance", "concordance_csv", "plain", "CONCORDANCE_SORTS",
]


@dataclass(frozen=True)
class SearchHit:
    slug: str
    title: str  # in the language of the hit's side
    date: dt.date | None
    side: str
    language: str
    segment_id: int
    text: str
    highlights: list[tuple[int, int]]  # character spans of ``text`` that matched
    aligned_side: str
    aligned_language: str
    aligned_text: str  # the aligned sentence(s) in the other language ("" if none)
    row: int | None  # paragraph-bead position, 1-based
    url: str
    score: float

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` cut into (piece, highlighted) for templates, trimmed around the hits."""
        return _pieces(self.text, self.highlights)


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    total_is_capped: bool  # more than ``total`` matched
    page: int
    per_page: int
    filters: SearchFilters = field(default_factory=SearchFilters)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class ConcordanceLine:
    slug: str
    title: str
    date: dt.date | None
    side: str
    language: str
    segment_id: int
    left: str
    match: str
    right: str
    aligned_text: str
    row: int | None
    url: str


@dataclass(frozen=True)
class Concordance:
    term: str
    lines: list[ConcordanceLine]  # this page
    total: int  # occurrences found (in at most CONCORDANCE_MAX_SENTENCES sentences)
    truncated: bool  # more sentences matched than were read
    sort: str
    page: int
    per_page: int


def search(
    database: Database,
    query: str,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    per_page: int = 20,
    time_limit_ms: int = SEARCH_TIME_LIMIT_MS,
) -> SearchResults:
    """Ranked sentences matching ``query`` in either language, with their counterparts."""
    filters = _checked(filters)
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    with database.reader() as session:
        parsed = _parse(session, query)
        backend = backend_for(session)
        matches = backend.match(
            session, parsed, filters, limit=per_page, offset=(page - 1) * per_page,
            time_limit_ms=time_limit_ms,
        )
        total = backend.count(
            session, parsed, filters, limit=COUNT_LIMIT + 1, time_limit_ms=time_limit_ms
        )
        hits = _hits(session, parsed, matches)
    return SearchResults(
        query, hits, min(total, COUNT_LIMIT), total > COUNT_LIMIT, page, per_page, filters
    )


def concordance(
    database: Database,
    term: str,
    filters: SearchFilters | None = None,
    *,
    sort: str = "date",
    page: int = 1,
    per_page: int = 100,
    time_limit_ms: int = SEARCH_TIME_LIMIT_MS,
) -> Concordance:
    """Every occurrence of ``term`` (a word or a phrase) with its left and right context and
    its aligned sentence. ``per_page=0`` returns all lines (for CSV)."""
    if sort not in CONCORDANCE_SORTS:
        raise InputError(f"sort must be one of: {', '.join(CONCORDANCE_SORTS)}")
    filters = _checked(filters)
    page = max(1, page)
    with database.reader() as session:
        parsed = _parse(session, term)
        matches = backend_for(session).match(
            session, parsed, filters, limit=CONCORDANCE_MAX_SENTENCES + 1, ranked=False,
            time_limit_ms=time_limit_ms,
        )
        truncated = len(matches) > CONCORDANCE_MAX_SENTENCES
        hits = _hits(session, parsed, matches[:CONCORDANCE_MAX_SENTENCES])
    lines = [line for hit in hits for line in _kwic(hit)]
    lines.sort(key=_SORT_KEYS[sort])
    shown = lines if per_page <= 0 else lines[(page - 1) * per_page : page * per_page]
    return Concordance(term, shown, len(lines), truncated, sort, page, per_page)


CSV_COLUMNS = (
    "date", "slug", "title", "side", "language", "left", "match", "right", "aligned",
    "permalink",
)


def concordance_csv(result: Concordance, base_url: str = "") -> str:
    """The lines as CSV (a header row, then one row per occurrence)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in result.lines:
        writer.writerow([
            line.date.isoformat() if line.date else "", line.slug, _csv_safe(line.title),
            line.side, line.language, _csv_safe(line.left), _csv_safe(line.match),
            _csv_safe(line.right), _csv_safe(line.aligned_text), base_url + line.url,
        ])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def plain(value):
    """Results as JSON-ready data (dicts, lists, ISO dates), for the API and ``--json``."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- internals -----------------------------------------------------------------------


def _checked(filters: SearchFilters | None) -> SearchFilters:
    filters = filters or SearchFilters()
    if filters.side is not None and filters.side not in SIDES:
        raise InputError("side must be original or translation")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InputError("the start date is after the end date")
    return filters


def _parse(session: Session, query: str) -> Query:
    try:
        return parse_query(query, _library_languages(session))
    except QueryError as error:
        raise InputError(str(error)) from None


def _library_languages(session: Session) -> list[str]:
    rows = session.execute(
        text(
            "SELECT language_original FROM documents UNION"
            " SELECT language_translation FROM documents"
        )
    ).scalars()
    return sorted(set(rows))


@dataclass(frozen=True)
class _Doc:
    slug: str
    title_original: str
    title_translation: str
    date: dt.date | None
    language_original: str
    language_translation: str
    alignment_id: int | None


def _hits(session: Session, query: Query, matches: Sequence[Match]) -> list[SearchHit]:
    if not matches:
        return []
    segment_ids = [m.segment_id for m in matches]
    segments = {
        row[0]: row[1:]
        for row in session.execute(
            text("SELECT id, parent_id, text FROM segments WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": segment_ids},
        )
    }
    docs = _documents(session, sorted({m.document_id for m in matches}))
    rows, counterparts = _alignment_context(session, docs, matches, segments)
    aligned_ids = sorted({i for ids in counterparts.values() for i in ids})
    aligned_text = dict(
        session.execute(
            text("SELECT id, text FROM segments WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": aligned_ids},
        ).all()
    ) if aligned_ids else {}
    hits = []
    for m in matches:
        parent_id, body = segments[m.segment_id]
        doc = docs[m.document_id]
        original = m.side == "original"
        language = doc.language_original if original else doc.language_translation
        row = rows.get(parent_id)
        hits.append(
            SearchHit(
                slug=doc.slug,
                title=doc.title_original if original else doc.title_translation,
                date=doc.date,
                side=m.side,
                language=language,
                segment_id=m.segment_id,
                text=body,
                highlights=match_spans(tokenize(body, language), query),
                aligned_side="translation" if original else "original",
                aligned_language=doc.language_translation if original else doc.language_original,
                aligned_text=" ".join(
                    aligned_text[i] for i in counterparts.get(m.segment_id, ())
                ),
                row=row,
                url=f"/documents/{doc.slug}" + (f"#p{row}" if row else ""),
                score=float(m.score),
            )
        )
    return hits


def _documents(session: Session, ids: list[int]) -> dict[int, _Doc]:
    statement = text(
        "SELECT d.id, d.slug, d.title_original, d.title_translation, d.date,"
        " d.language_original, d.language_translation,"
        " (SELECT max(a.id) FROM alignments a WHERE a.document_id = d.id)"
        " FROM documents d WHERE d.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    docs = {}
    for row in session.execute(statement, {"ids": ids}):
        date = row[4]
        if isinstance(date, str):  # SQLite through text(): ISO string
            date = dt.date.fromisoformat(date)
        docs[row[0]] = _Doc(row[1], row[2], row[3], date, row[5], row[6], row[7])
    return docs


def _alignment_context(
    session: Session, docs: dict[int, _Doc], matches: Sequence[Match], segments: dict
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Row number of each hit's paragraph, and the other-side sentence ids of each hit.

    Only the beads that contain one of the hits are read (JSON membership in SQL), so a
    hit in a 30,000-bead document costs one indexed scan, not a Python loop over beads.
    """
    by_alignment: dict[int, list[Match]] = {}
    for m in matches:
        alignment_id = docs[m.document_id].alignment_id
        if alignment_id is not None:
            by_alignment.setdefault(alignment_id, []).append(m)
    rows: dict[int, int] = {}
    counterparts: dict[int, list[int]] = {}
    dialect = session.get_bind().dialect.name
    for alignment_id, group in by_alignment.items():
        sentence_ids = [m.segment_id for m in group]
        paragraph_ids = sorted({segments[i][0] for i in sentence_ids if segments[i][0]})
        for level, position, source, target in _beads_containing(
            session, dialect, alignment_id, paragraph_ids + sentence_ids
        ):
            if level == "paragraph":
                for pid in (*source, *target):
                    rows[pid] = position + 1
            elif level == "sentence":
                for sid in source:
                    counterparts[sid] = target
                for sid in target:
                    counterparts[sid] = source
    return rows, counterparts


def _beads_containing(
    session: Session, dialect: str, alignment_id: int, ids: list[int]
) -> list[tuple[str, int, list[int], list[int]]]:
    """The beads (paragraph and sentence) of one alignment that hold any of ``ids``.

    A substring test on the JSON text narrows the rows cheaply in SQL (no JSON parsing
    of every bead); Python then keeps only true members (``12`` is inside ``[123]``).
    """
    if not ids:
        return []
    find = "strpos(CAST(b.{col} AS text), :i{n}) > 0" if dialect == "postgresql" \
        else "instr(b.{col}, :i{n}) > 0"
    conditions = " OR ".join(
        find.format(col=col, n=n) for n in range(len(ids)) for col in ("source_ids", "target_ids")
    )
    statement = text(
        "SELECT b.level, b.position, b.source_ids, b.target_ids FROM beads b"
        f" WHERE b.alignment_id = :a AND ({conditions})"
    )
    params = {"a": alignment_id, **{f"i{n}": str(i) for n, i in enumerate(ids)}}
    wanted = set(ids)
    out = []
    for level, position, source, target in session.execute(statement, params):
        if isinstance(source, str):
            source, target = json.loads(source), json.loads(target)
        if wanted.intersection(source) or wanted.intersection(target):
            out.append((level, position, list(source), list(target)))
    return out


def _pieces(body: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    start, end = 0, len(body)
    if len(body) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_CHARS // 3)
        end = min(len(body), start + SNIPPET_CHARS)
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    cursor = start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if a > cursor:
            pieces.append((body[cursor:a], False))
        pieces.append((body[a:b], True))
        cursor = b
    if cursor < end:
        pieces.append((body[cursor:end], False))
    if end < len(body):
        pieces.append(("…", False))
    return pieces


def _kwic(hit: SearchHit) -> list[ConcordanceLine]:
    width = CONCORDANCE_CONTEXT_CHARS
    lines = []
    for a, b in hit.highlights:
        left = hit.text[max(0, a - width) : a]
        right = hit.text[b : b + width]
        lines.append(
            ConcordanceLine(
                slug=hit.slug, title=hit.title, date=hit.date, side=hit.side,
                language=hit.language, segment_id=hit.segment_id,
                left=("…" if a > width else "") + left, match=hit.text[a:b],
                right=right + ("…" if b + width < len(hit.text) else ""),
                aligned_text=hit.aligned_text, row=hit.row, url=hit.url,
            )
        )
    return lines


def _date_key(line: ConcordanceLine) -> tuple:
    return (line.date is None, line.date or dt.date.min, line.slug, line.segment_id)


_SORT_KEYS = {
    "date": _date_key,
    "-date": lambda line: (
        line.date is None, -(line.date or dt.date.min).toordinal(), line.slug, line.segment_id
    ),
    "left": lambda line: (line.left.lstrip("…").casefold()[::-1].lstrip(), _date_key(line)),
    "right": lambda line: (line.right.casefold().lstrip(), _date_key(line)),
}
