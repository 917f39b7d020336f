"""Search benchmark: a library of >= 1,000,000 aligned sentence pairs, 200 queries.

Builds (once) an SQLite library from the Bible TSVs in ../shared/data/corpus/bible: each
copy pairs a Chinese Union Version (traditional or simplified, alternating) with an English
version (KJV or WEB), one document per book, one paragraph and one sentence per verse,
aligned verse to verse. Library rows are bulk-inserted (bead_members fills itself from the
beads, by trigger); the search index is built through the product's own ``index_revision``
and timed on its own. Then 200 representative queries run through the service layer
(``bitext.services.search.search``) and, on the same file, through the backend's ranking
alone (the statements the service issues to rank), and p50/p95 of both are printed.

    python bench/search.py [--db /tmp/bitext-bench.db] [--copies 33] [--rebuild]

Figures are printed, never asserted (see STYLE.md).
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import random
import resource
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bitext.core.text.tokenize import parse_query
from bitext.services.library import open_library
from bitext.services.search import SEARCH_TIME_LIMIT_MS, SearchFilters, search
from bitext.store.search_index import SQLITE, fts5_expression, index_revision

BIBLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "bible"
PAIRS = [("zh-cuv-traditional.tsv", "zh-Hant", "en-kjv.tsv"),
         ("zh-cuv-simplified.tsv", "zh-Hans", "en-web.tsv")]
QUERIES = 200


def read_tsv(name: str) -> dict[str, str]:
    rows = {}
    with open(BIBLE / name, encoding="utf-8") as f:
        next(f)
        for line in f:
            key, _, body = line.rstrip("\n").partition("\t")
            if body.strip():
                rows[key] = body.strip()
    return rows


def books(zh: dict[str, str], en: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for key, original in zh.items():
        if key in en:
            out.setdefault(key.split(".")[0], []).append((original, en[key]))
    return out


def sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def build(url: str, copies: int) -> dict:
    database = open_library(url)
    corpora = []
    for zh_name, zh_lang, en_name in PAIRS:
        corpora.append((zh_lang, books(read_tsv(zh_name), read_tsv(en_name))))
    pairs = index_s = beads_s = 0.0
    bead_count = 0
    started = time.perf_counter()
    with database.transaction() as session:
        next_id = (session.scalar(text("SELECT max(id) FROM segments")) or 0) + 1
    for copy in range(copies):
        language, by_book = corpora[copy % len(corpora)]
        with database.transaction() as session:
            for number, (book, verses) in enumerate(by_book.items()):
                slug = f"bible-{copy}-{book.lower()}"
                date = dt.date(1900 + copy, 1 + number % 12, 1 + number % 28)
                doc_id = session.execute(
                    text(
                        "INSERT INTO documents (slug, status, title_original, title_translation,"
                        " language_original, language_translation, source, source_translation,"
                        " date, extra, created_at, updated_at) VALUES (:slug, 'published',"
                        " :t, :t, :lo, 'en', '圣经', 'Bible', :date, '{}', :now, :now)"
                        " RETURNING id"
                    ),
                    {"slug": slug, "t": f"{book} ({copy})", "lo": language, "date": date,
                     "now": dt.datetime.now()},
                ).scalar_one()
                revisions = {}
                for side in ("original", "translation"):
                    revisions[side] = session.execute(
                        text("INSERT INTO revisions (document_id, side, number, created_at)"
                             " VALUES (:d, :s, 1, :now) RETURNING id"),
                        {"d": doc_id, "s": side, "now": dt.datetime.now()},
                    ).scalar_one()
                segments, paragraphs, sentence_ids = [], [], {"original": [], "translation": []}
                for position, pair in enumerate(verses):
                    for side, body in zip(("original", "translation"), pair, strict=True):
                        pid, sid = next_id, next_id + 1
                        next_id += 2
                        h = sha(body)
                        segments.append((pid, doc_id, side, "paragraph", None, 0, body, h))
                        segments.append((sid, doc_id, side, "sentence", pid, 0, body, h))
                        paragraphs.append((revisions[side], position, pid))
                        sentence_ids[side].append(sid)
                raw = session.connection().connection.driver_connection
                raw.executemany(
                    "INSERT INTO segments (id, document_id, side, kind, parent_id, position,"
                    " text, text_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", segments)
                raw.executemany(
                    "INSERT INTO revision_paragraphs (revision_id, position, segment_id)"
                    " VALUES (?, ?, ?)", paragraphs)
                alignment = session.execute(
                    text("INSERT INTO alignments (document_id, original_revision_id,"
                         " translation_revision_id, method, created_at)"
                         " VALUES (:d, :o, :t, 'verse-id', :now) RETURNING id"),
                    {"d": doc_id, "o": revisions["original"], "t": revisions["translation"],
                     "now": dt.datetime.now()},
                ).scalar_one()
                beads = []
                for position, (so, st) in enumerate(
                    zip(sentence_ids["original"], sentence_ids["translation"], strict=True)
                ):
                    beads.append((alignment, "paragraph", position, json.dumps([so - 1]),
                                  json.dumps([st - 1]), 1.0, 0))
                    beads.append((alignment, "sentence", position, json.dumps([so]),
                                  json.dumps([st]), 1.0, 0))
                t0 = time.perf_counter()  # bead_members is filled by triggers on beads
                raw.executemany(
                    "INSERT INTO beads (alignment_id, level, position, source_ids, target_ids,"
                    " score, confirmed) VALUES (?, ?, ?, ?, ?, ?, ?)", beads)
                beads_s += time.perf_counter() - t0
                bead_count += len(beads)
                t0 = time.perf_counter()
                texts = {"original": [v[0] for v in verses], "translation": [v[1] for v in verses]}
                for side, lang in (("original", language), ("translation", "en")):
                    index_revision(session, doc_id, side, lang, sentence_ids[side], texts[side])
                index_s += time.perf_counter() - t0
                pairs += len(verses)
        print(f"  copy {copy + 1}/{copies}: {int(pairs):,} pairs, "
              f"{time.perf_counter() - started:.0f} s, index {2 * pairs / index_s:,.0f}"
              " segments/s so far", file=sys.stderr)
    database.dispose()
    return {"pairs": int(pairs), "index_s": index_s, "beads": bead_count, "beads_s": beads_s,
            "total_s": time.perf_counter() - started}


def make_queries(seed: int = 7) -> list[str]:
    """200 queries: English words and phrases, Chinese words in both scripts, single
    characters, two-word queries, a few with filters' worth of rarity, and hostile ones."""
    rng = random.Random(seed)
    kjv = list(read_tsv("en-kjv.tsv").values())
    web = list(read_tsv("en-web.tsv").values())
    trad = list(read_tsv("zh-cuv-traditional.tsv").values())
    simp = list(read_tsv("zh-cuv-simplified.tsv").values())
    words = [w.strip(".,;:!?()[]'\"").lower() for v in kjv + web for w in v.split()]
    words = [w for w in words if len(w) > 3 and w.isalpha()]
    queries: list[str] = []
    queries += rng.sample(words, 50)  # English words, weighted by frequency
    queries += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(25)]
    for _ in range(25):  # quoted English phrases of 2-3 words from a verse
        verse = rng.choice(kjv + web).split()
        i = rng.randrange(max(1, len(verse) - 3))
        queries.append('"' + " ".join(verse[i : i + rng.choice((2, 3))]) + '"')
    for source in (trad, simp):  # Chinese words of 2-4 characters in both scripts
        for _ in range(25):
            verse = "".join(c for c in rng.choice(source) if "\u4e00" <= c <= "\u9fff")
            n = rng.choice((2, 2, 3, 4))
            i = rng.randrange(max(1, len(verse) - n))
            queries.append(verse[i : i + n] or "神")
    queries += rng.sample([c for v in simp[:500] for c in v if "\u4e00" <= c <= "\u9fff"], 15)
    queries += rng.sample(words, 17)
    queries += ["God", "Jerusalem", "耶路撒冷", "摩西", "love", "covenant", "以色列人",
                "kingdom of heaven", "park.", "multi-agent", "NEAR(a b, 0)",
                "'; DROP TABLE segments;--", '"unbalanced',
                "a* b*", "col:term", "\\", "light darkness", "愛"]
    return queries[:QUERIES]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else values[0]


def measure(url: str, path: Path, queries: list[str]) -> dict:
    """Each query through the service, and through the backend alone: the same ranking
    statements the service issues (``SQLITE.match``: FTS5 MATCH with bm25 in rank-key
    order, phrase counts, filter checks), on one open read transaction. Each is timed
    twice, in the order service, raw, raw, service (whichever runs first meets colder
    caches), and the faster time kept, which also damps the noise of a shared machine. For
    reference, FTS5's own full ranking (``ORDER BY rank LIMIT 20``: bm25 of every match)."""
    database = open_library(url)
    service, raw, full, failures = [], [], [], 0
    with database.reader() as session:
        languages = sorted(set(session.scalars(text(
            "SELECT language_original FROM documents UNION SELECT language_translation"
            " FROM documents"))))
    connection = sqlite3.connect(path)
    for query in queries:  # warm-up of the page cache, not timed
        with contextlib.suppress(Exception):
            search(database, query)

    def time_service(query: str) -> tuple[float, bool]:
        t0 = time.perf_counter()
        try:
            search(database, query)
        except Exception:  # noqa: BLE001 - refused queries are timed too
            return (time.perf_counter() - t0) * 1000, False
        return (time.perf_counter() - t0) * 1000, True

    with database.reader() as session:

        def time_raw(parsed) -> float:
            t0 = time.perf_counter()
            SQLITE.match(session, parsed, SearchFilters(), limit=20,
                         time_limit_ms=SEARCH_TIME_LIMIT_MS)
            return (time.perf_counter() - t0) * 1000

        for query in queries:
            first, answered = time_service(query)
            failures += not answered
            try:
                parsed = parse_query(query, languages)
            except ValueError:
                service.append(min(first, time_service(query)[0]))
                continue
            raw.append(min(time_raw(parsed), time_raw(parsed)))
            service.append(min(first, time_service(query)[0]))
            t0 = time.perf_counter()
            connection.execute(
                "SELECT rowid, rank FROM search_index WHERE search_index MATCH ?"
                " ORDER BY rank LIMIT 20", (fts5_expression(parsed),)
            ).fetchall()
            full.append((time.perf_counter() - t0) * 1000)
    connection.close()
    database.dispose()
    return {"service": service, "raw": raw, "full": full, "refused": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bitext-bench.db"))
    parser.add_argument("--copies", type=int, default=33, help="31k pairs per copy")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    built = None
    if not args.db.exists():
        built = build(url, args.copies)
    queries = make_queries()
    timing = measure(url, args.db, queries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    s50, s95 = percentile(timing["service"], 50), percentile(timing["service"], 95)
    r50, r95 = percentile(timing["raw"], 50), percentile(timing["raw"], 95)
    with sqlite3.connect(args.db) as c:
        pairs = c.execute("SELECT count(*) FROM segment_tokens").fetchone()[0] // 2
    print("\n| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| aligned sentence pairs | {pairs:,} | ≥ 1,000,000 |")
    if built:
        rate = 2 * built["pairs"] / built["index_s"]
        print(f"| index build (tokenize + insert, both sides) | {rate:,.0f} segments/s "
              f"({built['index_s']:.0f} s) | ≥ 20,000/s |")
        print(f"| bead inserts incl. bead_members triggers | {built['beads']:,} beads,"
              f" {built['beads_s']:.0f} s | — |")
        print(f"| whole build incl. bulk library rows | {built['total_s']:.0f} s | — |")
    print(f"| queries (refused with a message) | {len(queries)} ({timing['refused']}) | 200 |")
    print(f"| service p50 / p95 | {s50:.1f} / {s95:.1f} ms | p95 ≤ 50 ms |")
    print(f"| raw FTS5 p50 / p95 (the service's ranking statements) | {r50:.1f} / {r95:.1f} ms"
          " | — |")
    print(f"| service / raw (p50, p95) | {s50 / r50:.2f}× / {s95 / r95:.2f}× | ≤ 1.5× |")
    f50, f95 = percentile(timing["full"], 50), percentile(timing["full"], 95)
    print(f"| FTS5 ORDER BY rank LIMIT 20 (bm25 of every match) p50 / p95 | {f50:.1f} /"
          f" {f95:.1f} ms | — |")
    print(f"| peak RSS | {peak_mb:.0f} MB | < 500 MB |")
    print(f"| database file | {args.db.stat().st_size / 1e6:.0f} MB | — |")


if __name__ == "__main__":
    main()
