"""Search benchmark: the service against the engine's own full-ranking query, per query class.

Two corpora, on SQLite or PostgreSQL:

* ``repeated``: the Bible TSVs in ../shared/data/corpus/bible, copied until the library
  holds about 1,000,000 aligned pairs (33 copies: 1,026,186 pairs). Each copy pairs a
  Chinese Union Version (traditional or simplified, alternating) with an English version
  (KJV or WEB): the same two texts over and over, which flatters nothing but is no real
  library either.
* ``distinct``: every distinct text at hand once: the demo library (bitext/demo), the
  corpus's other bilingual document (versions/cpc-constitution-2017-en), the six MAC-Dev
  chapters, and each Bible text once (CUV traditional with KJV, CUV simplified with WEB).

Library documents go through the product's ``add_document`` (segmentation, alignment,
index). Bible books are written by bulk inserts (one document per book, one paragraph and one
sentence per verse, aligned verse to verse); their search index goes through the product's
own ``index_revision`` and is timed on its own.

Each query runs through the service (``bitext.services.search.search``: ranking, total,
hit context) and through the floor to beat: the engine's own full ranking with the same
filters, ``ORDER BY rank LIMIT 20`` over FTS5 on SQLite, ``ORDER BY ts_rank(...) DESC,
segment_id LIMIT 20`` over the tsvector (GIN index) on PostgreSQL (ties broken as the
service breaks them). Each is timed twice, in the order service, floor, floor, service, and
the faster time kept. The overlap of the two top 20s is printed too: on PostgreSQL the
service ranks only the first matches of a common query (PG_CANDIDATES in
bitext.store.search_index), a recall trade-off this measures.

    python bench/search.py --backend sqlite --corpus repeated [--copies 33] [--rebuild]
    python bench/search.py --backend postgresql --corpus distinct [--url URL]
    python bench/search.py --classes filter   # only the filtered classes, same queries

Figures are printed, never asserted (see STYLE.md).
"""

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bitext.core.text.tokenize import parse_query
from bitext.services.demo import load_demo
from bitext.services.library import add_document, open_library
from bitext.services.search import SEARCH_TIME_LIMIT_MS, SearchFilters, search
from bitext.store.database import Database
from bitext.store.fts5_rank import MAX_SEGMENT_ID
from bitext.store.search_index import (
    SearchTimeout,
    _filter_sql,
    fts5_expression,
    index_revision,
    library_facts,
    tsquery_literal,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BIBLE = DATA / "corpus" / "bible"
CPC = DATA / "corpus" / "versions" / "cpc-constitution-2017-en"
MAC_DEV = DATA / "mac-dev"
PAIRS = [("zh-cuv-traditional.tsv", "zh-Hant", "en-kjv.tsv"),
         ("zh-cuv-simplified.tsv", "zh-Hans", "en-web.tsv")]
TARGET_MS = {"sqlite": 50.0, "postgresql": 100.0}
PER_CLASS = 16
LIMIT = 20
HAN = re.compile(r"[\u4e00-\u9fff]+")


# --- corpus --------------------------------------------------------------------------


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


def library_documents() -> list[tuple[dict, str, str]]:
    """The distinct library documents other than the demo: (metadata, original, translation)."""
    docs = []
    cpc = json.loads((CPC / "meta.json").read_text(encoding="utf-8"))
    docs.append(({
        "slug": "cpc-constitution-2017", "title_original": cpc["title_zh"],
        "title_translation": cpc["title_en"], "language_original": "zh-Hans",
        "language_translation": "en", "date": cpc["date"], "status": "published",
        "source": "中国共产党第十九次全国代表大会",
        "source_translation": "19th CPC National Congress",
    }, (CPC / "zh.txt").read_text(encoding="utf-8"), (CPC / "en.txt").read_text(encoding="utf-8")))
    with open(MAC_DEV / "meta_data.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            number = row["text_id"]
            docs.append(({
                "slug": f"mac-dev-{number}", "title_original": row["book_title"],
                "title_translation": row["trans_title"], "language_original": "zh-Hans",
                "language_translation": "en", "date": f"{row['trans_pubdate']}-01-01",
                "status": "published", "authors": [{"name": row["author"]}],
                "source": row["book_title"], "source_translation": row["trans_title"],
                "translator": row["translator"], "tags": [row["genre"]],
            }, (MAC_DEV / "zh" / f"{number}.txt").read_text(encoding="utf-8"),
                (MAC_DEV / "en" / f"{number}.txt").read_text(encoding="utf-8")))
    return docs


def sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def build(database: Database, corpus: str, copies: int) -> dict:
    started = time.perf_counter()
    if corpus == "distinct":
        load_demo(database)
        for meta, original, translation in library_documents():
            add_document(database, meta, original, translation)
        copies = len(PAIRS)
    library_s = time.perf_counter() - started
    corpora = [(lang, books(read_tsv(zh), read_tsv(en))) for zh, lang, en in PAIRS]
    totals = {"pairs": 0, "index_s": 0.0}
    for copy in range(copies):
        language, by_book = corpora[copy % len(corpora)]
        with database.transaction() as session:
            write_bible_copy(session, copy, language, by_book, totals)
        print(f"  Bible copy {copy + 1}/{copies}: {totals['pairs']:,} pairs,"
              f" {time.perf_counter() - started:.0f} s, index"
              f" {2 * totals['pairs'] / totals['index_s']:,.0f} segments/s so far",
              file=sys.stderr, flush=True)
    if not database.is_sqlite:  # ids were given explicitly: move the sequence past them
        with database.transaction() as session:
            session.execute(text("SELECT setval(pg_get_serial_sequence('segments', 'id'),"
                                 " (SELECT max(id) FROM segments))"))
            session.execute(text("ANALYZE"))
    return {**totals, "library_s": library_s, "total_s": time.perf_counter() - started}


def write_bible_copy(session, copy: int, language: str,
                     by_book: dict[str, list[tuple[str, str]]], totals: dict) -> None:
    """One document per book, bulk-inserted on either backend; the index by the product."""
    json_param = ":{}" if session.get_bind().dialect.name == "sqlite" else "CAST(:{} AS json)"
    next_id = (session.scalar(text("SELECT max(id) FROM segments")) or 0) + 1
    now = dt.datetime.now()
    for number, (book, verses) in enumerate(by_book.items()):
        doc_id = session.execute(
            text("INSERT INTO documents (slug, status, title_original, title_translation,"
                 " language_original, language_translation, source, source_translation,"
                 " date, extra, created_at, updated_at) VALUES (:slug, 'published',"
                 " :t, :t, :lo, 'en', :so, :st, :date, '{}', :now, :now) RETURNING id"),
            {"slug": f"bible-{copy}-{book.lower()}", "t": f"{book} ({copy})", "lo": language,
             "so": f"圣经 {book} {copy}", "st": f"Bible {book} {copy}",
             "date": dt.date(1900 + copy, 1 + number % 12, 1 + number % 28), "now": now},
        ).scalar_one()
        revisions = {
            side: session.execute(
                text("INSERT INTO revisions (document_id, side, number, created_at)"
                     " VALUES (:d, :s, 1, :now) RETURNING id"),
                {"d": doc_id, "s": side, "now": now},
            ).scalar_one()
            for side in ("original", "translation")
        }
        segments, paragraphs = [], []
        sentence_ids: dict[str, list[int]] = {"original": [], "translation": []}
        for position, pair in enumerate(verses):
            for side, body in zip(("original", "translation"), pair, strict=True):
                pid, sid = next_id, next_id + 1
                next_id += 2
                h = sha(body)
                for row in ((pid, "paragraph", None, body), (sid, "sentence", pid, body)):
                    segments.append({"id": row[0], "d": doc_id, "side": side, "kind": row[1],
                                     "parent": row[2], "text": row[3], "h": h})
                paragraphs.append({"r": revisions[side], "p": position, "s": pid})
                sentence_ids[side].append(sid)
        session.execute(text(
            "INSERT INTO segments (id, document_id, side, kind, parent_id, position, text,"
            " text_sha256) VALUES (:id, :d, :side, :kind, :parent, 0, :text, :h)"), segments)
        session.execute(text("INSERT INTO revision_paragraphs (revision_id, position,"
                             " segment_id) VALUES (:r, :p, :s)"), paragraphs)
        alignment = session.execute(
            text("INSERT INTO alignments (document_id, original_revision_id,"
                 " translation_revision_id, method, created_at)"
                 " VALUES (:d, :o, :t, 'verse-id', :now) RETURNING id"),
            {"d": doc_id, "o": revisions["original"], "t": revisions["translation"],
             "now": now},
        ).scalar_one()
        beads = []
        for position, (so, st) in enumerate(
            zip(sentence_ids["original"], sentence_ids["translation"], strict=True)
        ):
            for level, ids in (("paragraph", (so - 1, st - 1)), ("sentence", (so, st))):
                beads.append({"a": alignment, "l": level, "p": position,
                              "s": json.dumps([ids[0]]), "t": json.dumps([ids[1]])})
        session.execute(text(  # bead_members is filled by triggers on beads
            "INSERT INTO beads (alignment_id, level, position, source_ids, target_ids, score,"
            f" confirmed) VALUES (:a, :l, :p, {json_param.format('s')},"
            f" {json_param.format('t')}, 1.0, false)"), beads)
        t0 = time.perf_counter()
        texts = {"original": [v[0] for v in verses], "translation": [v[1] for v in verses]}
        for side, lang in (("original", language), ("translation", "en")):
            index_revision(session, doc_id, side, lang, sentence_ids[side], texts[side])
        totals["index_s"] += time.perf_counter() - t0
        totals["pairs"] += len(verses)


# --- queries -------------------------------------------------------------------------


def make_queries(database: Database, seed: int = 7) -> dict[str, list[tuple[str, SearchFilters]]]:
    """Query classes, drawn with a fixed seed from the Bible texts (in both corpora): common
    words are among the 100 most frequent (by verses holding them), rare ones in 3-10 verses
    of one translation. Filters are the product's: side (in these corpora the original is
    Chinese and the translation English, but for one demo document), source (every document
    has its own) and a year (date range)."""
    rng = random.Random(seed)
    english = list(read_tsv("en-kjv.tsv").values()) + list(read_tsv("en-web.tsv").values())
    chinese = {"zh-Hant": list(read_tsv("zh-cuv-traditional.tsv").values()),
               "zh-Hans": list(read_tsv("zh-cuv-simplified.tsv").values())}
    words = Counter(w for v in english for w in {
        w.strip(".,;:!?()[]'\"`").lower() for w in v.split()} if len(w) > 3 and w.isalpha())
    bigrams = Counter(b for v in chinese["zh-Hans"] for b in {
        run[i : i + 2] for run in HAN.findall(v) for i in range(len(run) - 1)})
    common_en = [w for w, _ in words.most_common(100)]
    rare_en = sorted(w for w, n in words.items() if 3 <= n <= 10)
    common_zh = [b for b, _ in bigrams.most_common(100)]
    rare_zh = sorted(b for b, n in bigrams.items() if 3 <= n <= 10)
    half = PER_CLASS // 2

    def traditional(simplified: str) -> str:  # the same verse's bigram in the other script
        for i, verse in enumerate(chinese["zh-Hans"]):
            at = verse.find(simplified)
            if at >= 0 and i < len(chinese["zh-Hant"]):
                return chinese["zh-Hant"][i][at : at + len(simplified)]
        return simplified

    def phrase(verses: list[str], n: int) -> str:
        verse = [w.strip(".,;:!?()[]'\"`") for w in rng.choice(verses).split()]
        i = rng.randrange(max(1, len(verse) - n))
        return '"' + " ".join(verse[i : i + n]) + '"'

    none = SearchFilters()
    with database.reader() as session:
        documents = session.execute(text(
            "SELECT source, date FROM documents WHERE source IS NOT NULL AND date IS NOT NULL"
            " ORDER BY id")).all()
    picks = rng.sample(documents, PER_CLASS)
    year = [(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)).year for _, d in picks]
    common_mix = rng.sample(common_en, half) + rng.sample(common_zh, half)
    return {
        "en word, common": [(w, none) for w in rng.sample(common_en, PER_CLASS)],
        "en word, rare": [(w, none) for w in rng.sample(rare_en, PER_CLASS)],
        "zh word, common (both scripts)": [
            (traditional(b) if i % 2 else b, none)
            for i, b in enumerate(rng.sample(common_zh, PER_CLASS))],
        "zh word, rare (both scripts)": [
            (traditional(b) if i % 2 else b, none)
            for i, b in enumerate(rng.sample(rare_zh, PER_CLASS))],
        "multi-term (2-3 words)": [
            (" ".join(rng.sample(common_en, 2)), none) for _ in range(half // 2)]
            + [(f"{rng.choice(common_en)} {rng.choice(rare_en)}", none) for _ in range(half // 2)]
            + [(" ".join(rng.sample(common_zh, 2)), none) for _ in range(half // 2)]
            + [(" ".join(rng.sample(common_en, 3)), none) for _ in range(half // 2)],
        "phrase (quoted)": [(phrase(english, rng.choice((2, 3))), none) for _ in range(half)]
            + [('"' + rng.choice([r for r in HAN.findall(rng.choice(chinese["zh-Hans"]))
                                   if len(r) >= 4] or ["耶和华的"])[:4] + '"', none)
               for _ in range(half)],
        "filter: side (language)": [
            (w, SearchFilters(side=rng.choice(("original", "translation"))))
            for w in common_mix],
        "filter: document (source)": [
            (w, SearchFilters(source=source)) for w, (source, _) in zip(
                rng.sample(common_en, half) + rng.sample(common_zh, half), picks, strict=True)],
        "filter: year": [
            (w, SearchFilters(date_from=dt.date(y, 1, 1), date_to=dt.date(y, 12, 31)))
            for w, y in zip(rng.sample(common_en, half) + rng.sample(common_zh, half), year,
                            strict=True)],
    }


# --- timing --------------------------------------------------------------------------


def floor_query(database: Database, ties: bool = False) -> Callable:
    """The engine's own full ranking of one query with the service's filters: every match
    scored, the best ``LIMIT`` returned (their segment ids). With ``ties``, FTS5's equal
    scores go to the lower segment id, as in the service (PostgreSQL's floor always does):
    the reference of the overlap, not timed."""
    sqlite = database.is_sqlite
    tie = f", rowid & {MAX_SEGMENT_ID}" if ties else ""

    def run(session, parsed, filters: SearchFilters) -> list:
        params: dict = {"limit": LIMIT}
        where = _filter_sql(filters, params, dates_as_text=sqlite)
        # Unfiltered (every document is published here), the index alone answers.
        joined = filters != SearchFilters()
        if sqlite:
            params["q"] = fts5_expression(parsed)
            sql = ("SELECT rowid FROM search_index WHERE search_index MATCH :q"
                   f" ORDER BY rank{tie} LIMIT :limit")
            if joined:
                sql = ("SELECT st.segment_id FROM search_index"
                       " JOIN segment_tokens st ON st.rank_key = search_index.rowid"
                       " JOIN documents d ON d.id = st.document_id"
                       f" WHERE search_index MATCH :q AND {where}"
                       f" ORDER BY search_index.rank{', st.segment_id' if ties else ''}"
                       " LIMIT :limit")
        else:
            params["q"] = tsquery_literal(parsed)
            sql = ("SELECT st.segment_id FROM segment_tokens st, CAST(:q AS tsquery) AS q(q)"
                   " WHERE st.tsv @@ q.q ORDER BY ts_rank(st.tsv, q.q) DESC, st.segment_id"
                   " LIMIT :limit")
            if joined:
                sql = ("SELECT st.segment_id FROM segment_tokens st"
                       " JOIN documents d ON d.id = st.document_id,"
                       f" CAST(:q AS tsquery) AS q(q) WHERE st.tsv @@ q.q AND {where}"
                       " ORDER BY ts_rank(st.tsv, q.q) DESC, st.segment_id LIMIT :limit")
        return session.execute(text(sql), params).all()

    return run


def measure(database: Database, classes: dict) -> dict[str, dict[str, list[float]]]:
    floor = floor_query(database)
    reference = floor_query(database, ties=True) if database.is_sqlite else floor
    with database.reader() as session:
        languages = library_facts(session).languages
    timings: dict[str, dict[str, list[float]]] = {}
    hits = 0
    refused: list[str] = []
    for queries in classes.values():  # warm-up of the caches, not timed
        for query, filters in queries:
            with contextlib.suppress(SearchTimeout):
                search(database, query, filters)

    found: list[int] = []  # the service's segment ids, of the last call

    def service(query: str, filters: SearchFilters) -> float:
        """Milliseconds; a search refused at the service's time limit counts as its time."""
        nonlocal hits
        found.clear()
        t0 = time.perf_counter()
        try:
            result = search(database, query, filters, per_page=LIMIT)
            hits += len(result.hits)
            found.extend(h.segment_id for h in result.hits)
        except SearchTimeout:
            refused.append(query)
        return (time.perf_counter() - t0) * 1000

    for name, queries in classes.items():
        times: dict[str, list[float]] = {"service": [], "floor": [], "overlap": []}
        for query, filters in queries:
            first = service(query, filters)
            parsed = parse_query(query, languages)
            with database.reader() as session:
                if not database.is_sqlite:  # as the service does: no generic plans
                    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
                pair = []
                for _ in range(2):
                    t0 = time.perf_counter()
                    best = floor(session, parsed, filters)
                    pair.append((time.perf_counter() - t0) * 1000)
                if database.is_sqlite:
                    best = reference(session, parsed, filters)
            times["floor"].append(min(pair))
            times["service"].append(min(first, service(query, filters)))
            # FTS5's rowid (unfiltered floor) is the rank key: its low bits are the segment
            expected = {row[0] & MAX_SEGMENT_ID for row in best}
            times["overlap"].append(
                len(expected.intersection(found)) / len(expected) if expected else
                float(not found))
        timings[name] = times
    timings["_hits"] = {"n": [hits], "refused": refused}
    return timings


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# --- where the library lives ---------------------------------------------------------


def library_url(args) -> str:
    name = f"bitext-bench-{args.corpus}" + (f"-{args.copies}" if args.corpus == "repeated"
                                             else "")
    if args.backend == "sqlite":
        path = Path(f"/tmp/{name}.db")
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = args.url or os.environ.get("BITEXT_TEST_POSTGRES_URL")
    if not server:
        sys.exit("--backend postgresql needs --url or BITEXT_TEST_POSTGRES_URL")
    database = name.replace("-", "_")
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                   {"n": database})
        if exists and args.rebuild:
            connection.execute(text(f'DROP DATABASE "{database}"'))
        if not exists or args.rebuild:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return make_url(server).set(database=database).render_as_string(hide_password=False)


def is_empty(database: Database) -> bool:
    with database.reader() as session:
        return not session.scalar(text("SELECT count(*) FROM documents"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="PostgreSQL server (default BITEXT_TEST_POSTGRES_URL);"
                        " the bench makes its own database there")
    parser.add_argument("--corpus", choices=("repeated", "distinct"), default="repeated")
    parser.add_argument("--copies", type=int, default=33,
                        help="repeated corpus: Bible copies, 31k pairs each")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true",
                        help="build the library if it is empty, then stop (no timing)")
    parser.add_argument("--classes", metavar="WORDS",
                        help="time only the query classes whose name holds one of these"
                        " comma-separated words (e.g. filter); the queries stay the same")
    args = parser.parse_args()
    url = library_url(args)
    database = open_library(url)
    built = build(database, args.corpus, args.copies) if is_empty(database) else None
    if args.build_only:
        database.dispose()
        print(f"built: {built}" if built else "the library existed: nothing built")
        return
    classes = make_queries(database)
    if args.classes:
        words = [w.strip() for w in args.classes.split(",") if w.strip()]
        classes = {n: q for n, q in classes.items() if any(w in n for w in words)}
        if not classes:
            sys.exit(f"--classes {args.classes}: no query class matches")
    timings = measure(database, classes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with database.reader() as session:
        pairs = session.scalar(text(
            "SELECT count(*) FROM beads WHERE level = 'sentence'"))
        bible = session.scalar(text(
            "SELECT count(*) FROM beads b JOIN alignments a ON a.id = b.alignment_id"
            " JOIN documents d ON d.id = a.document_id"
            " WHERE b.level = 'sentence' AND d.slug LIKE 'bible-%'"))
        documents = session.scalar(text("SELECT count(*) FROM documents"))
    database.dispose()
    report(args, url, built, timings, peak_mb, pairs, bible, documents)


def report(args, url, built, timings, peak_mb, pairs, bible, documents) -> None:
    target = TARGET_MS[args.backend]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nbackend: {args.backend}; corpus: {args.corpus}; machine: 2 cores, shared with"
          " other developers' work while this ran (figures are noisy)")
    if args.corpus == "repeated":
        print(f"corpus: the Bible TSVs repeated {args.copies} times (CUV traditional + KJV and"
              " CUV simplified + WEB, alternating): the same text over and over, not a real"
              " library")
    else:
        print("corpus: distinct texts, no repetition: 7 demo documents, the CPC constitution"
              " (2017), 6 MAC-Dev chapters, CUV traditional + KJV and CUV simplified + WEB once")
    print(f"aligned sentence pairs (sentence beads): {pairs:,} in {documents:,} documents"
          f" ({bible:,} of them Bible verses, {pairs - bible:,} from other documents)")
    print(f"library: {url.split('@')[-1] if '@' in url else url}")
    print(f"floor: {'FTS5 ORDER BY rank' if args.backend == 'sqlite' else 'ts_rank ORDER BY'}"
          f" LIMIT {LIMIT} with the same filters (every match ranked)")
    print("\n| query class | n | service p50 / p95 ms | floor p50 / p95 ms |"
          " service/floor p50, p95 | top-20 overlap with the floor (mean, min) |")
    print("| --- | --- | --- | --- | --- | --- |")
    everything: dict[str, list[float]] = {"service": [], "floor": [], "overlap": []}
    for name, times in timings.items():
        if name.startswith("_"):
            continue
        s50, s95 = percentile(times["service"], 50), percentile(times["service"], 95)
        f50, f95 = percentile(times["floor"], 50), percentile(times["floor"], 95)
        for key in everything:
            everything[key] += times[key]
        print(f"| {name} | {len(times['service'])} | {s50:.1f} / {s95:.1f} |"
              f" {f50:.1f} / {f95:.1f} | {s50 / f50:.2f}×, {s95 / f95:.2f}× |"
              f" {statistics.mean(times['overlap']):.0%}, {min(times['overlap']):.0%} |")
    s50, s95 = percentile(everything["service"], 50), percentile(everything["service"], 95)
    f50, f95 = percentile(everything["floor"], 50), percentile(everything["floor"], 95)
    n = len(everything["service"])
    overlap = statistics.mean(everything["overlap"])
    print(f"| **all** | {n} | {s50:.1f} / {s95:.1f} | {f50:.1f} / {f95:.1f} |"
          f" {s50 / f50:.2f}×, {s95 / f95:.2f}× | {overlap:.0%},"
          f" {min(everything['overlap']):.0%} |")
    print("overlap: the share of the floor's top 20 that the service's first page holds (the"
          " same sentences, in any order); below 100% where the floor's ties break"
          " differently or, on PostgreSQL, where a query matches more sentences than the"
          " service ranks (PG_CANDIDATES)" if args.backend == "postgresql" else
          "overlap: the share of the floor's top 20 (equal scores to the lower segment id, as"
          " in the service) that the service's first page holds; below 100% only where a"
          " side filter with several phrases weighs them by their frequency in that side")
    verdict = "met" if s95 <= target else "MISSED"
    print(f"\nservice p95 {s95:.1f} ms vs target ≤ {target:.0f} ms: {verdict}"
          f" (load average while timing: {load})")
    print(f"service max {max(everything['service']):.1f} ms; floor max"
          f" {max(everything['floor']):.1f} ms; hits returned {timings['_hits']['n'][0]:,}")
    refused = timings["_hits"]["refused"]
    print(f"searches refused at the service's {SEARCH_TIME_LIMIT_MS} ms limit (timed as"
          f" such): {len(refused)}" + (f" ({', '.join(sorted(set(refused)))})" if refused else ""))
    rate = None
    if built:
        rate = 2 * built["pairs"] / built["index_s"]
        print(f"index build (index_revision, Bible sentences, both sides): {rate:,.0f}"
              f" segments/s ({built['index_s']:.0f} s); whole build {built['total_s']:.0f} s"
              f" (library documents through add_document: {built['library_s']:.0f} s)")
    else:
        print("index build: not measured (the library existed; --rebuild to build it)")
    print(f"peak RSS of this process: {peak_mb:.0f} MB"
          + ("" if args.backend == "sqlite" else " (the PostgreSQL server's memory not counted)"))
    fields = {
        "backend": args.backend, "corpus": args.corpus, "pairs": pairs, "queries": n,
        "service_p50_ms": f"{s50:.1f}", "service_p95_ms": f"{s95:.1f}",
        "floor_p50_ms": f"{f50:.1f}", "floor_p95_ms": f"{f95:.1f}",
        "target_p95_ms": f"{target:.0f}", "target": verdict.lower(),
        "index_segments_per_s": f"{rate:.0f}" if rate else "na",
        "build_s": f"{built['total_s']:.0f}" if built else "na",
        "peak_rss_mb": f"{peak_mb:.0f}", "top20_overlap": f"{overlap:.3f}",
        "load_avg": load.split(",")[0], "cores": 2, "machine": "shared",
    }
    print(" ".join(f"{k}={v}" for k, v in fields.items()))


if __name__ == "__main__":
    main()
