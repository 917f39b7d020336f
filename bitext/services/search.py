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

from sqlalchemy.orm import Session

from bitext.core.text.tokenize import Query, QueryError, highlight_spans, parse_query
from bitext.errors import InputError
from bitext.formats.tabular import csv_safe
from bitext.store.database import Database
from bitext.store.search_index import Match, SearchFilters, backend_for, library_facts

SEARCH_TIME_LIMIT_MS = 2000
MAX_PER_PAGE = 100
COUNT_LIMIT = 1000  # beyond this, totals are shown as "1000+"
CONCORDANCE_MAX_SENTENCES = 2000
CONCORDANCE_CONTEXT_CHARS = 60
SNIPPET_CHARS = 300
CONCORDANCE_SORTS = ("date", "-date", "left", "right")
SIDES = ("original", "translation")

__all__ = [
    "SearchFilters", "filters_from_text", "SearchHit", "SearchResults", "ConcordanceLine",
    "Concordance",
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
    aligned_language: str
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
        matches, total = backend_for(session).page(
            session, parsed, filters, limit=per_page, offset=(page - 1) * per_page,
            count_limit=COUNT_LIMIT + 1, time_limit_ms=time_limit_ms,
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
            line.date.isoformat() if line.date else "", line.slug, csv_safe(line.title),
            line.side, line.language, csv_safe(line.left), csv_safe(line.match),
            csv_safe(line.right), csv_safe(line.aligned_text), base_url + line.url,
        ])
    return out.getvalue()


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


def filters_from_text(
    source: str | None = None,
    author: str | None = None,
    tag: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    side: str | None = None,
    *,
    include_drafts: bool = False,
) -> SearchFilters:
    """Filters as a user types them (blank means no filter; dates YYYY-MM-DD)."""
    def text(value: str | None) -> str | None:
        return (value or "").strip() or None

    def date(value: str | None) -> dt.date | None:
        cleaned = text(value)
        try:
            return dt.date.fromisoformat(cleaned) if cleaned else None
        except ValueError:
            raise InputError("dates must be written YYYY-MM-DD") from None

    return SearchFilters(
        source=text(source), author=text(author), tag=text(tag),
        date_from=date(date_from), date_to=date(date_to), side=text(side),
        statuses=("published", "draft") if include_drafts else ("published",),
    )


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
    return library_facts(session).languages


@dataclass(frozen=True)
class _Doc:
    slug: str
    title_original: str
    title_translation: str
    date: dt.date | None
    language_original: str
    language_translation: str


def _hits(session: Session, query: Query, matches: Sequence[Match]) -> list[SearchHit]:
    if not matches:
        return []
    context = _hit_context(session, [m.segment_id for m in matches])
    aligned_ids = {i for c in context.values() for i in c.aligned_ids}
    aligned_text: dict[int, str] = dict(session.connection().exec_driver_sql(
        f"SELECT id, text FROM segments WHERE id IN ({_id_list(aligned_ids)})"
    ).all()) if aligned_ids else {}
    hits = []
    for m in matches:
        c = context[m.segment_id]
        doc = c.document
        original = m.side == "original"
        language = doc.language_original if original else doc.language_translation
        hits.append(
            SearchHit(
                slug=doc.slug,
                title=doc.title_original if original else doc.title_translation,
                date=doc.date,
                side=m.side,
                language=language,
                segment_id=m.segment_id,
                text=c.text,
                highlights=highlight_spans(c.text, language, query),
                aligned_side="translation" if original else "original",
                aligned_language=doc.language_translation if original else doc.language_original,
                aligned_text=" ".join(aligned_text[i] for i in c.aligned_ids),
                row=c.row,
                url=f"/documents/{doc.slug}" + (f"#p{c.row}" if c.row else ""),
                score=float(m.score),
            )
        )
    return hits


@dataclass(frozen=True)
class _Context:
    text: str
    document: _Doc
    row: int | None  # paragraph-bead position, 1-based
    aligned_ids: tuple[int, ...]  # the other side of the hit's sentence bead


# The hit, its document, and in the document's latest alignment the bead of its paragraph
# and the bead of the sentence itself: bead_members (kept by triggers on beads) finds each
# bead with one indexed look-up, the bead is then read by its primary key.
_CONTEXT_SQL = """
SELECT s.id, s.text, d.id, d.slug, d.title_original, d.title_translation, d.date,
       d.language_original, d.language_translation, pm.position, b.source_ids, b.target_ids
FROM segments s
JOIN documents d ON d.id = s.document_id
LEFT JOIN bead_members pm ON pm.segment_id = s.parent_id AND pm.level = 'paragraph'
     AND pm.alignment_id = (SELECT max(a.id) FROM alignments a WHERE a.document_id = d.id)
LEFT JOIN bead_members sm ON sm.segment_id = s.id AND sm.level = 'sentence'
     AND sm.alignment_id = (SELECT max(a.id) FROM alignments a WHERE a.document_id = d.id)
LEFT JOIN beads b ON b.alignment_id = sm.alignment_id AND b.level = sm.level
     AND b.position = sm.position
WHERE s.id IN ({ids})
ORDER BY pm.position, sm.position
"""


def _id_list(ids) -> str:
    """Integer ids as SQL literals (no parameters: these queries run as the driver's)."""
    return ",".join(str(int(i)) for i in sorted(ids))


def _hit_context(session: Session, segment_ids: list[int]) -> dict[int, _Context]:
    docs: dict[int, _Doc] = {}
    context = {}
    rows = session.connection().exec_driver_sql(_CONTEXT_SQL.format(ids=_id_list(segment_ids)))
    for (sid, body, doc_id, slug, title_o, title_t, date, language_o, language_t, paragraph,
         source, target) in rows:
        doc = docs.get(doc_id)
        if doc is None:
            if isinstance(date, str):  # SQLite gives the ISO string
                date = dt.date.fromisoformat(date)
            doc = docs[doc_id] = _Doc(slug, title_o, title_t, date, language_o, language_t)
        aligned: tuple[int, ...] = ()
        if source is not None:
            if isinstance(source, str):
                source, target = json.loads(source), json.loads(target)
            aligned = tuple(target if sid in source else source)
        # with several beads holding a segment (not written by bitext), the last one wins
        context[sid] = _Context(body, doc, None if paragraph is None else paragraph + 1,
                                aligned)
    return context


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
                aligned_text=hit.aligned_text, aligned_language=hit.aligned_language,
                row=hit.row, url=hit.url,
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
