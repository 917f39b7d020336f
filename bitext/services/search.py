"""Search and the parallel concordance: one query box for both languages.

A query is parsed by the one tokenizer (:mod:`bitext.core.text.tokenize`), matched by the
store's index (:mod:`bitext.store.search_index`), and each hit is returned with its
highlighted text, the aligned sentence in the other language (through the sentence beads of
the document's latest alignment, :mod:`bitext.store.search_hits`) and its document's slug
and paragraph row: the web and the CLI make links of those.
"""

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from bitext.core.glossary.entry import parse_entry
from bitext.core.sides import as_side
from bitext.core.text.tokenize import (
    Phrase,
    Query,
    QueryError,
    fold,
    highlight_spans,
    parse_query,
    tokenize,
)
from bitext.errors import InputError
from bitext.formats.tabular import csv_safe
from bitext.settings import Settings
from bitext.store.database import Database, Session
from bitext.store.glossary import latest_entries
from bitext.store.search_hits import hit_contexts, sentence_prefixes
from bitext.store.search_index import (
    Match,
    SearchFilters,
    library_languages,
    matches_in_order,
    ranked_page,
    ranked_pairs,
)

SEARCH_TIME_LIMIT_MS = 2000
MAX_PER_PAGE = 100
COUNT_LIMIT = 1000  # beyond this, totals are shown as "1000+"
CONCORDANCE_MAX_SENTENCES = 2000
# Sentences read at once for a concordance: with sentences of up to 100,000 characters,
# the whole text of every matching sentence must never be in memory together.
CONCORDANCE_BATCH_SENTENCES = 100
CSV_ROWS_PER_CHUNK = 200
CONCORDANCE_SORTS = ("date", "-date", "left", "right")

__all__ = [
    "SearchFilters", "filters_from_text", "SearchHit", "SearchResults", "ConcordanceLine",
    "Concordance", "TextLimits",
    "search", "concordance", "concordance_csv", "concordance_csv_chunks", "plain",
    "CONCORDANCE_SORTS",
]


@dataclass(frozen=True)
class TextLimits:
    """How much of the library's text one search or concordance request may return (the
    settings of the same names). A sentence can be 100,000 characters long and match
    thousands of times: whole, it would turn one request into gigabytes."""

    snippet_chars: int  # a search hit's own sentence, around its first match
    context_chars: int  # a concordance line, each side of the match
    aligned_chars: int  # the aligned sentence: a prefix
    concordance_max_lines: int  # occurrences one concordance request reads

    @classmethod
    def from_settings(cls, settings: Settings) -> "TextLimits":
        return cls(settings.search_snippet_max_chars, settings.concordance_context_chars,
                   settings.aligned_text_max_chars, settings.concordance_max_lines)


def _limits(limits: TextLimits | None) -> TextLimits:
    return limits if limits is not None else TextLimits.from_settings(Settings())


@dataclass(frozen=True)
class SearchHit:
    slug: str
    title: str  # in the language of the hit's side
    date: dt.date | None
    side: str
    language: str
    segment_id: int
    text: str  # the sentence, cut around its first match ("…" marks a cut)
    highlights: list[tuple[int, int]]  # character spans of ``text`` that matched
    aligned_side: str
    aligned_language: str
    aligned_text: str  # a prefix of the aligned sentence(s) in the other language ("" if none)
    aligned_highlights: list[tuple[int, int]]  # spans of ``aligned_text`` that matched
    row: int | None  # paragraph-bead position, 1-based (the reader's #p anchor)
    score: float

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` cut into (piece, highlighted) for templates."""
        return _pieces(self.text, self.highlights)

    def aligned_pieces(self) -> list[tuple[str, bool]]:
        """``aligned_text`` cut into (piece, highlighted)."""
        return _pieces(self.aligned_text, self.aligned_highlights)


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    total_is_capped: bool  # more than ``total`` matched
    page: int
    per_page: int
    filters: SearchFilters = field(default_factory=SearchFilters)
    pairs: bool = False  # terms in both languages: each hit is an aligned pair
    # with include_expansions, for a glossary term: the passages using each of its parts
    expansions: list["ExpansionHits"] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_end(self) -> bool:
        """A page after the last one was asked for (there are results, none on it)."""
        return self.total > 0 and not self.hits and self.page > self.pages

    def by_document(self) -> list[tuple[str, list[SearchHit]]]:
        """This page's hits grouped by document (slug), documents in the order of their
        best hit, hits in rank order within each."""
        groups: dict[str, list[SearchHit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.slug, []).append(hit)
        return list(groups.items())


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


@dataclass(frozen=True)
class Concordance:
    term: str
    lines: list[ConcordanceLine]  # this page
    total: int  # occurrences found (at most concordance_max_lines, in at most
    # CONCORDANCE_MAX_SENTENCES sentences)
    truncated: bool  # more sentences or occurrences matched than were read
    sort: str
    page: int
    per_page: int
    expanded: tuple[str, ...] = ()  # the glossary expansion's parts also found


@dataclass(frozen=True)
class ExpansionHits:
    """The best passages using one part of a glossary term's expansion (四个意识 ->
    政治意识), and how many there are."""

    part: str
    hits: list[SearchHit]
    total: int
    total_is_capped: bool


EXPANSION_HITS_SHOWN = 5


def search(
    database: Database,
    query: str,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    per_page: int = 20,
    time_limit_ms: int = SEARCH_TIME_LIMIT_MS,
    limits: TextLimits | None = None,
    include_expansions: bool = False,
) -> SearchResults:
    """Ranked sentences matching ``query`` in either language, with their counterparts,
    each cut to ``limits``.

    A query with terms in both languages (Han and other words) finds aligned pairs: the
    sentence beads whose one side has the Han terms and the other side the other terms,
    best first (see :func:`~bitext.store.search_index.ranked_pairs`; the side filter then
    does not apply).
    ``include_expansions``: when the query is a glossary term with an expansion, the
    best passages using each part of it come too (``expansions``)."""
    filters = _checked(filters)
    limits = _limits(limits)
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    expansions = []
    with database.reader() as session:  # one snapshot for the query and its expansion
        hits, total, pairs = _ranked_hits(session, query, filters, page, per_page,
                                          time_limit_ms, limits)
        for part in _expansion_parts(session, query) if include_expansions else []:
            found, found_total, _ = _ranked_hits(session, f'"{part}"', filters, 1,
                                                 EXPANSION_HITS_SHOWN, time_limit_ms, limits)
            expansions.append(ExpansionHits(part, found, min(found_total, COUNT_LIMIT),
                                            found_total > COUNT_LIMIT))
    return SearchResults(
        query, hits, min(total, COUNT_LIMIT), total > COUNT_LIMIT, page, per_page, filters,
        pairs=pairs, expansions=expansions,
    )


def _ranked_hits(session: Session, query: str, filters: SearchFilters, page: int,
                 per_page: int, time_limit_ms: int,
                 limits: TextLimits) -> tuple[list[SearchHit], int, bool]:
    """One page of hits for ``query``, the number found (counted up to COUNT_LIMIT + 1),
    and whether they are aligned pairs (a query in both scripts)."""
    offset = (page - 1) * per_page
    parsed = _parse(session, query, filters)
    by_script = split_by_script(parsed)
    if by_script is None:
        matches, total = ranked_page(
            session, parsed, filters, limit=per_page, offset=offset,
            count_limit=COUNT_LIMIT + 1, time_limit_ms=time_limit_ms,
        )
    else:
        found = ranked_pairs(session, *by_script, filters, time_limit_ms=time_limit_ms)
        matches, total = found[offset : offset + per_page], len(found)
    hits = [_snippet(hit, limits.snippet_chars)
            for hit in _hits(session, parsed, matches, limits.aligned_chars, filters.exact)]
    return hits, total, by_script is not None


def _expansion_parts(session: Session, query: str) -> list[str]:
    """The parts of the expansion of the glossary term ``query`` is (in either script,
    quoted or not): 四个意识 -> [政治意识, 大局意识, 核心意识, 看齐意识]; [] for any other
    query."""
    # services.glossary imports this module (its entry pages use the concordance)
    from bitext.services.glossary import expansion_parts

    wanted = fold(query.replace('"', "").strip())
    if not wanted:
        return []
    for stored in latest_entries(session):
        entry = parse_entry(stored.entry)
        if wanted in {fold(entry.term), fold(entry.term_hant)} and entry.expansion_zh:
            return [part for part in expansion_parts(entry) if fold(part) != wanted]
    return []


def split_by_script(query: Query) -> tuple[Query, Query] | None:
    """``query``'s Han phrases and its other phrases as two queries, when it has both and
    no phrase mixes them (then each is searched on its own side of an aligned pair)."""
    han: list[Phrase] = []
    other: list[Phrase] = []
    for phrase in query.phrases:
        scripts = {_is_han(token.forms[0]) for token in phrase.tokens}
        if len(scripts) != 1:
            return None
        (han if scripts.pop() else other).append(phrase)
    if not han or not other:
        return None
    return Query(query.text, tuple(han)), Query(query.text, tuple(other))


def _is_han(form: str) -> bool:
    tokens = tokenize(form)
    return bool(tokens) and tokens[0].han


def concordance(
    database: Database,
    term: str,
    filters: SearchFilters | None = None,
    *,
    sort: str = "date",
    page: int = 1,
    per_page: int = 100,
    time_limit_ms: int = SEARCH_TIME_LIMIT_MS,
    limits: TextLimits | None = None,
    include_expansions: bool = False,
) -> Concordance:
    """Every occurrence of ``term`` (a word or a phrase), up to
    ``limits.concordance_max_lines``, with its left and right context and a prefix of its
    aligned sentence. ``per_page=0`` returns all those lines (for CSV).
    ``include_expansions``: when ``term`` is a glossary term with an expansion, the
    occurrences of each part of it too (up to the same limit in all)."""
    if sort not in CONCORDANCE_SORTS:
        raise InputError(f"sort must be one of: {', '.join(CONCORDANCE_SORTS)}")
    filters = _checked(filters)
    limits = _limits(limits)
    page = max(1, page)
    lines: list[ConcordanceLine] = []
    truncated = False
    with database.reader() as session:
        parts = _expansion_parts(session, term) if include_expansions else []
        for searched in [term, *(f'"{part}"' for part in parts)]:
            parsed = _parse(session, searched, filters)
            matches = matches_in_order(
                session, parsed, filters, limit=CONCORDANCE_MAX_SENTENCES + 1,
                time_limit_ms=time_limit_ms,
            )
            room = limits.concordance_max_lines + 1 - len(lines)
            lines += islice(
                _occurrences(session, parsed, matches[:CONCORDANCE_MAX_SENTENCES], limits,
                             filters.exact),
                max(room, 0),
            )
            truncated = truncated or len(matches) > CONCORDANCE_MAX_SENTENCES
    truncated = truncated or len(lines) > limits.concordance_max_lines
    del lines[limits.concordance_max_lines:]
    lines.sort(key=_SORT_KEYS[sort])
    shown = lines if per_page <= 0 else lines[(page - 1) * per_page : page * per_page]
    return Concordance(term, shown, len(lines), truncated, sort, page, per_page,
                       expanded=tuple(parts))


CSV_COLUMNS = (
    "date", "slug", "title", "side", "language", "left", "match", "right", "aligned",
    "permalink",
)


Permalink = Callable[[str, int | None], str]  # (slug, row) -> the row's address


def concordance_csv(result: Concordance, permalink: Permalink) -> str:
    """The lines as CSV (a header row, then one row per occurrence); ``permalink`` makes
    each line's address from its document's slug and row."""
    return "".join(concordance_csv_chunks(result, permalink))


def concordance_csv_chunks(result: Concordance, permalink: Permalink) -> Iterator[str]:
    """``concordance_csv`` a few rows at a time, for a streamed download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for number, line in enumerate(result.lines, start=1):
        writer.writerow([
            line.date.isoformat() if line.date else "", line.slug, csv_safe(line.title),
            line.side, line.language, csv_safe(line.left), csv_safe(line.match),
            csv_safe(line.right), csv_safe(line.aligned_text), permalink(line.slug, line.row),
        ])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


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
    document: str | None = None,
    exact: bool = False,
) -> SearchFilters:
    """Filters as a user types them (blank means no filter; dates YYYY-MM-DD);
    ``document`` searches one document (its slug), ``exact`` matches words as written."""
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
        document=text(document), exact=exact,
    )


def _checked(filters: SearchFilters | None) -> SearchFilters:
    filters = filters or SearchFilters()
    if filters.side is not None:
        as_side(filters.side)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InputError("the start date is after the end date")
    return filters


def _parse(session: Session, query: str, filters: SearchFilters) -> Query:
    """The query, its words also stemmed for the library's languages (as written only,
    for an exact search)."""
    try:
        return parse_query(query, [] if filters.exact else library_languages(session))
    except QueryError as error:
        raise InputError(str(error)) from None


def _hits(
    session: Session, query: Query, matches: Sequence[Match], aligned_chars: int,
    exact: bool = False,
) -> list[SearchHit]:
    """The hits with their whole sentence and a prefix of ``aligned_chars`` characters of
    the aligned one (only that prefix is read); ``exact``: highlights of words as written,
    not of every form with the same stem."""
    if not matches:
        return []
    context = hit_contexts(session, [m.segment_id for m in matches])
    aligned_ids = {i for c in context.values() for i in c.aligned_ids}
    aligned_text = sentence_prefixes(session, aligned_ids, aligned_chars)
    hits = []
    for m in matches:
        c = context[m.segment_id]
        doc = c.document
        original = m.side == "original"
        language = doc.language_original if original else doc.language_translation
        aligned_language = doc.language_translation if original else doc.language_original
        aligned = _prefix(" ".join(aligned_text[i] for i in c.aligned_ids), aligned_chars)
        hits.append(
            SearchHit(
                slug=doc.slug,
                title=doc.title_original if original else doc.title_translation,
                date=doc.date,
                side=m.side,
                language=language,
                segment_id=m.segment_id,
                text=c.text,
                highlights=highlight_spans(c.text, None if exact else language, query),
                aligned_side="translation" if original else "original",
                aligned_language=aligned_language,
                aligned_text=aligned,
                aligned_highlights=highlight_spans(aligned, None if exact else aligned_language,
                                                   query),
                row=c.row,
                score=float(m.score),
            )
        )
    return hits


def _prefix(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars] + "…"


def _snippet(hit: SearchHit, chars: int) -> SearchHit:
    """``hit`` with its sentence cut to ``chars`` characters around the first match."""
    body = hit.text
    if len(body) <= chars:
        return hit
    start = max(0, (hit.highlights[0][0] if hit.highlights else 0) - chars // 3)
    end = min(len(body), start + chars)
    lead = "…" if start > 0 else ""
    shift = start - len(lead)
    spans = [(max(a, start) - shift, min(b, end) - shift)
             for a, b in hit.highlights if a < end and b > start]
    text = lead + body[start:end] + ("…" if end < len(body) else "")
    return dataclasses.replace(hit, text=text, highlights=spans)


def _pieces(body: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for a, b in spans:
        a = max(a, cursor)
        if a >= b:
            continue
        if a > cursor:
            pieces.append((body[cursor:a], False))
        pieces.append((body[a:b], True))
        cursor = b
    if cursor < len(body):
        pieces.append((body[cursor:], False))
    return pieces


def _occurrences(
    session: Session, query: Query, matches: Sequence[Match], limits: TextLimits,
    exact: bool,
) -> Iterator[ConcordanceLine]:
    """The concordance lines of ``matches``, reading the sentences a batch at a time; the
    caller stops reading when it has enough."""
    for start in range(0, len(matches), CONCORDANCE_BATCH_SENTENCES):
        batch = matches[start : start + CONCORDANCE_BATCH_SENTENCES]
        for hit in _hits(session, query, batch, limits.aligned_chars, exact):
            yield from _kwic(hit, limits.context_chars)


def _kwic(hit: SearchHit, width: int) -> Iterator[ConcordanceLine]:
    for a, b in hit.highlights:
        left = hit.text[max(0, a - width) : a]
        right = hit.text[b : b + width]
        yield ConcordanceLine(
            slug=hit.slug, title=hit.title, date=hit.date, side=hit.side,
            language=hit.language, segment_id=hit.segment_id,
            left=("…" if a > width else "") + left, match=hit.text[a:b],
            right=right + ("…" if b + width < len(hit.text) else ""),
            aligned_text=hit.aligned_text, aligned_language=hit.aligned_language,
            row=hit.row,
        )


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
