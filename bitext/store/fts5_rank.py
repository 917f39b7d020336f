"""Exact bm25 top-k on SQLite FTS5 without scoring every match.

FTS5 ranks by computing bm25 for every matching row: for a word in a quarter of a large
library that is hundreds of thousands of rows per page of results. Here the FTS5 rowid of a
sentence (its *rank key*) starts with a *cell*: a class of its length in tokens and of how
often its most repeated token occurs, cells ordered by the highest bm25 any row of theirs can
reach. Matches then come in cell order, and once the k best rows found so far beat the best
score any later cell allows, no later row can enter the top k: the scan stops, and the result
is exactly what ``ORDER BY bm25, segment_id LIMIT k`` returns.

The bound: FTS5's bm25 of a row is ``sum(idf(p) * f(p) * (k1 + 1) / (f(p) + k1 * (1 - b +
b * D / avgdl)))`` over the query's phrases ``p``, where ``f(p)`` is how often ``p`` occurs in
the row (at most ``D``, the row's length, and at most the count of its most repeated token, or
of Han tokens starting with one character, which bounds a one-character prefix query). The
index is tokenized with FTS5's ``ascii`` tokenizer, so FTS5 sees exactly our tokens: its
``D`` is our ``len(tokens)`` (a row's other column, the other side, is empty). ``avgdl``
comes from the table's totals, as in FTS5. The sum of the ``idf`` is counted as FTS5 counts
it (rows holding each phrase), or, when every matching row holds every phrase, bounded from
above by the scores already read (see ``_idf_cap``), which spares counting the rows of
common words.

Only the order of the scan changes: every row read is scored by FTS5's own ``bm25()``, the
stop is safe by construction (a float margin covers rounding), and ties go to the lower
segment id, as in ``ORDER BY rank, segment_id``.
"""

import bisect
import functools
import heapq
import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

K1, B = 1.2, 0.75  # FTS5's bm25 constants
CELL_SHIFT = 40  # rank key = cell << CELL_SHIFT | segment id
MAX_SEGMENT_ID = (1 << CELL_SHIFT) - 1
BATCH_ROWS = 512  # matches read between two checks of the bound
EARLY_STOP_ROWS = 2048  # below this many matches, scoring them all is cheaper than the bound
IDF_SAMPLE_ROWS = 2048  # first matches whose scores bound the idf sum (see fts5_top)
JOIN_CANDIDATES = 4096  # fts5_among: at most this many matches are checked by a join
_MARGIN = 1 + 1e-9  # floating-point slack between our bound and FTS5's arithmetic

# Class edges: a class covers [edge, next edge - 1]; the last one is open.
_TF_EDGES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32, 64)
_DL_EDGES = (*range(1, 65), 72, 80, 96, 112, 128, 160, 192, 256, 384, 512, 1024, 4096)
_OPEN = 1 << 30
_HAN_START = "\u3040"  # Han tokens (bigrams, one-character prefix queries) start at or above
# The order of cells is fixed on disk (it is in every rank key); it is the order of their
# bounds for an average length of 25 tokens. Another average only makes the scan less
# selective, never wrong: the bounds are computed for the real average at query time.
_REFERENCE_AVGDL = 25.0


def _upper(edges: Sequence[int], i: int) -> int:
    return edges[i + 1] - 1 if i + 1 < len(edges) else _OPEN


def _bm25_term(tf: float, dl: float, avgdl: float) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))


def _cell_bound(tf_class: int, dl_class: int, avgdl: float) -> float:
    """The largest bm25 term of one phrase in a row of this cell (idf 1)."""
    tf_max = _upper(_TF_EDGES, tf_class)
    dl_low, dl_high = _DL_EDGES[dl_class], _upper(_DL_EDGES, dl_class)
    # f <= min(tf_max, D): the term grows with D while f can grow with it, then falls.
    dl = min(max(tf_max, dl_low), dl_high)
    return _bm25_term(min(tf_max, dl), dl, avgdl)


_CELLS = sorted(
    ((t, d) for t in range(len(_TF_EDGES)) for d in range(len(_DL_EDGES))),
    key=lambda cell: (-_cell_bound(cell[0], cell[1], _REFERENCE_AVGDL), cell[1], cell[0]),
)
_CELL_OF = {cell: number for number, cell in enumerate(_CELLS)}


def rank_key(segment_id: int, tokens: Sequence[str]) -> int:
    """The FTS5 rowid of a sentence: its cell, then its segment id."""
    if not 0 < segment_id <= MAX_SEGMENT_ID:
        raise ValueError(f"segment id {segment_id} does not fit in a rank key")
    if not tokens or "".join(tokens).isascii():
        tf = max(Counter(tokens).values(), default=0)
    else:
        # A token occurs at most as often as its first character starts a token, which also
        # bounds a one-character prefix query: count Han tokens that way, others exactly.
        firsts = Counter(map(itemgetter(0), tokens))
        tf = max((n for char, n in firsts.items() if char >= _HAN_START), default=0)
        if min(firsts) < _HAN_START:
            tf = max(tf, *Counter(tokens).values())
    dl = len(tokens)
    cell = (
        max(0, bisect.bisect_right(_TF_EDGES, min(tf, dl)) - 1),
        max(0, bisect.bisect_right(_DL_EDGES, dl) - 1),
    )
    return _CELL_OF[cell] << CELL_SHIFT | segment_id


def segment_of(key: int) -> int:
    return key & MAX_SEGMENT_ID


@functools.lru_cache(maxsize=16)
def _remaining_bounds(avgdl: float) -> tuple[float, ...]:
    """For each cell, the largest bound of it and every later cell."""
    bounds = [_cell_bound(t, d, avgdl) for t, d in _CELLS]
    for i in range(len(bounds) - 2, -1, -1):
        bounds[i] = max(bounds[i], bounds[i + 1])
    return tuple(bounds)


def _index_totals(connection: sqlite3.Connection, table: str) -> tuple[int, int] | None:
    """(rows, tokens) from FTS5's "averages" record, which its bm25 reads too: the number
    of rows, then the tokens of each column, summed (bm25 takes a row's length over all its
    columns)."""
    row = connection.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    if not row or not row[0]:
        return None
    values: list[int] = []
    block = row[0]
    i = 0
    while i < len(block):  # SQLite varints (9th byte: all 8 bits)
        value, i = _varint(block, i)
        values.append(value)
    return (values[0], sum(values[1:])) if len(values) >= 2 and values[0] > 0 else None


def _varint(block: bytes, i: int) -> tuple[int, int]:
    value = 0
    for _ in range(8):
        byte = block[i]
        i += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i
    return (value << 8) | block[i], i + 1


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0 else 1e-6


class Ranked(NamedTuple):
    rows: list[tuple[int, int, str, float]]  # (segment_id, document_id, side, score)
    read: int  # matches read, before filtering
    exhausted: bool  # every match was read
    passed: int | None = None  # matches that pass the filters, when all were counted


# The candidates (rank keys) that pass the filters. CROSS JOIN: SQLite keeps this order
# (never all rows of a status first).
_VERIFY = (
    "SELECT st.rank_key, st.segment_id, st.document_id, st.side FROM segment_tokens st"
    " CROSS JOIN documents d WHERE st.rank_key IN ({keys}) AND d.id = st.document_id"
    " AND {filter_sql}"
)


def fts5_top(
    connection: sqlite3.Connection,
    expression: str,
    groups: Sequence[Sequence[str]],
    need: int,
    filter_sql: str,
    params: dict,
    *,
    table: str = "search_index",
) -> Ranked:
    """The ``need`` best rows for ``expression`` that pass ``filter_sql`` (conditions on
    ``st`` = segment_tokens and ``d`` = documents, with named ``params``), best first;
    ties by segment id. ``expression`` ANDs ``groups``, each an OR of FTS5 phrases: bm25
    counts every phrase of every group, in order. Run it in a read transaction, so the
    totals read here are the ones FTS5 uses."""
    if need <= 0:
        return Ranked([], 0, False)
    phrases = [phrase for group in groups for phrase in group]
    # Every row holds every phrase when no group has alternatives: then a row's score is at
    # least the idf sum times the term of one occurrence in a row as long as it can be,
    # which bounds the idf sum without counting the phrases' rows.
    sampling = all(len(group) == 1 for group in groups)
    sample: list[tuple[int, float]] = []  # the first rows, kept to bound the idf sum
    idf_cap = math.inf
    bounds: tuple[float, tuple[float, ...]] | None = None  # (idf sum, remaining bounds)
    read = 0
    best: list[tuple[float, int, int, int, str]] = []  # min-heap of (score, -segment, ...)
    verify = _VERIFY.format(filter_sql=filter_sql, keys="{keys}")
    cursor = connection.execute(
        f"SELECT rowid, bm25({table}) FROM {table} WHERE {table} MATCH ? ORDER BY rowid",
        (expression,),
    )
    exhausted = False
    try:
        while True:
            batch = cursor.fetchmany(BATCH_ROWS)
            if not batch:
                exhausted = True
                break
            if sampling and read < IDF_SAMPLE_ROWS:
                sample += batch
            read += len(batch)
            floor = best[0][0] if len(best) >= need else -math.inf
            candidates = [(-rank, key) for key, rank in batch if -rank >= floor]
            if candidates:
                _admit(connection, verify, params, candidates, best, need)
            if len(best) < need or read < EARLY_STOP_ROWS:
                continue
            if sample:  # the cap tightens as rows come
                idf_cap = min(idf_cap, _idf_cap(connection, table, sample))
                sample = []
            if bounds is None or idf_cap < bounds[0]:
                bounds = _bounds(connection, table, phrases, idf_cap)
            idf_sum, remaining = bounds
            if idf_sum * remaining[batch[-1][0] >> CELL_SHIFT] * _MARGIN < best[0][0]:
                break  # no later row can score as high as the k-th best
    finally:
        cursor.close()
    rows = [(sid, doc, side, score) for score, _, sid, doc, side in sorted(best, reverse=True)]
    return Ranked(rows, read, exhausted)


def fts5_among(
    connection: sqlite3.Connection,
    expression: str,
    need: int,
    filter_sql: str,
    params: dict,
    kept: int,
    span: tuple[int, int],
    *,
    count_limit: int = 0,
    table: str = "search_index",
) -> Ranked:
    """What :func:`fts5_top` returns, for a filter that keeps few sentences (``kept``),
    whose segment ids lie in ``span`` (lowest, highest): FTS5 scores only the matches
    among them, and every one that passes is counted. Same scores, same order.

    A match outside the span is dropped by its rowid alone. When few matches are left
    (a document, a year of documents written together), FTS5 scores them all without a
    join, the best are checked against the filters (joined to their documents) until
    ``need`` pass, and those that pass are counted up to ``count_limit`` (0: not counted,
    ``passed`` is None); otherwise a match passes if its rowid is among the kept ones, a
    set that costs a look-up per kept sentence to build, and all are scored and counted."""
    in_span = f"({table}.rowid & {MAX_SEGMENT_ID}) BETWEEN {int(span[0])} AND {int(span[1])}"
    match = {**params, "fts5_expression": expression}
    in_span_count = connection.execute(
        f"SELECT count(*) FROM {table} WHERE {table} MATCH :fts5_expression AND {in_span}",
        match,
    ).fetchone()[0]
    if in_span_count <= max(JOIN_CANDIDATES, kept // 4):
        scored = connection.execute(
            f"SELECT -bm25({table}), rowid FROM {table}"
            f" WHERE {table} MATCH :fts5_expression AND {in_span}", match,
        ).fetchall()
        best: list[tuple[float, int, int, int, str]] = []
        if need > 0:
            _admit(connection, _VERIFY.format(filter_sql=filter_sql, keys="{keys}"), params,
                   scored, best, need)
        passed = connection.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} CROSS JOIN segment_tokens st"
            f" ON st.rank_key = {table}.rowid CROSS JOIN documents d ON d.id = st.document_id"
            f" WHERE {table} MATCH :fts5_expression AND {in_span} AND {filter_sql}"
            f" LIMIT {int(count_limit)})", match,
        ).fetchone()[0] if count_limit > 0 else None
        ranked = [(sid, doc, side, score) for score, _, sid, doc, side in sorted(best,
                                                                               reverse=True)]
        return Ranked(ranked, in_span_count, True, passed)
    rows = connection.execute(
        f"SELECT st.segment_id, st.document_id, st.side, -bm25({table}) FROM {table}"
        f" CROSS JOIN segment_tokens st ON st.rank_key = {table}.rowid"
        f" WHERE +{table}.rowid IN (SELECT st.rank_key FROM documents d CROSS JOIN"
        f" segment_tokens st ON st.document_id = d.id WHERE {filter_sql})"
        f" AND {table} MATCH :fts5_expression AND {in_span}",
        match,
    ).fetchall()
    rows.sort(key=lambda row: (-row[3], row[0]))
    return Ranked(rows[: max(need, 0)], len(rows), True, len(rows))


def _idf_cap(connection: sqlite3.Connection, table: str, rows: list[tuple[int, float]]) -> float:
    """An upper bound of the idf sum from rows holding every phrase at least once: each
    scored at least (idf sum) x (the term of one occurrence in its cell's longest row)."""
    totals = _index_totals(connection, table)
    if totals is None:
        return math.inf
    singles = _single_terms(totals[1] / totals[0])
    return min(-rank / singles[key >> CELL_SHIFT] for key, rank in rows)


@functools.lru_cache(maxsize=16)
def _single_terms(avgdl: float) -> tuple[float, ...]:
    """For each cell, the bm25 term of one occurrence in its longest row (idf 1)."""
    return tuple(_bm25_term(1, _upper(_DL_EDGES, d), avgdl) for _, d in _CELLS)


def _bounds(
    connection: sqlite3.Connection, table: str, phrases: Sequence[str], idf_cap: float
) -> tuple[float, tuple[float, ...]]:
    """The sum of the phrases' idf (``idf_cap`` if finite, else from the number of rows
    holding each phrase, as FTS5's bm25 has it) and the bounds of the cells for the
    table's average length."""
    totals = _index_totals(connection, table)
    if totals is None:  # no statistics to bound with: read every match
        return math.inf, _remaining_bounds(1.0)
    rows, tokens = totals
    if idf_cap < math.inf:
        return idf_cap, _remaining_bounds(tokens / rows)
    hits: dict[str, int] = {}
    for phrase in phrases:
        if phrase not in hits:
            hits[phrase] = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (phrase,)
            ).fetchone()[0]
    idf_sum = sum(_idf(rows, hits[p]) for p in phrases if hits[p])
    return idf_sum, _remaining_bounds(tokens / rows)


def _admit(connection, verify, params, candidates, best, need) -> None:
    """Add the candidates that pass the filters to ``best``, checking the best ones first
    and only as many as can still enter it."""
    candidates.sort(reverse=True)
    start = 0
    while start < len(candidates):
        if len(best) >= need and candidates[start][0] < best[0][0]:
            return
        chunk = candidates[start : start + max(32, 2 * (need - len(best)))]
        start += len(chunk)
        scores = {key: score for score, key in chunk}
        keys = ",".join(map(str, scores))
        for key, sid, doc, side in connection.execute(verify.format(keys=keys), params):
            item = (scores[key], -sid, sid, doc, side)
            if len(best) < need:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
