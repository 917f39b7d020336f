"""Translation checks and glossary usage, timed on the demo library plus the CPC
Constitution (2017, ../shared/data/corpus/versions), with the seed glossary.

For each document: ``bitext qa``'s service (read the rows and the glossary, run every
check) timed twice, the faster kept, against the target of 5 s per document; and, as the
reference measured in the same run, reading the document's rows alone (the floor every
check pays). Then the glossary pages on a cold cache: the index (every term's occurrences)
and every entry page (the renderings found for the term's occurrences; the first one also
computes the library's phrase statistics).

    python bench/qa.py [--db PATH] [--rebuild]

Figures are printed, never asserted (see STYLE.md).
"""

import argparse
import time
from pathlib import Path

from bitext.services.demo import load_demo
from bitext.services.glossary import entry_page, glossary_index, import_glossary
from bitext.services.library import add_document, open_library
from bitext.services.qa import check_document
from bitext.services.reading import get_document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CPC = SHARED / "corpus" / "versions" / "cpc-constitution-2017-en"
SEED = SHARED / "glossary" / "formulations.jsonl"
TARGET_S = 5.0


def build(db: Path) -> None:
    database = open_library(f"sqlite:///{db}")
    load_demo(database)
    if CPC.is_dir():
        meta = {"slug": "cpc-constitution-2017", "title_original": "中国共产党章程",
                "title_translation": "Constitution of the Communist Party of China",
                "language_original": "zh-Hans", "language_translation": "en",
                "date": "2017-10-24", "status": "published"}
        add_document(database, meta, (CPC / "zh.txt").read_text(encoding="utf-8"),
                     (CPC / "en.txt").read_text(encoding="utf-8"))
    import_glossary(database, SEED.read_bytes(), "jsonl")
    database.dispose()


def best_of_two(action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(2):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bitext-bench-qa.db"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if not SEED.is_file():
        raise SystemExit("the seed glossary (../shared/data/glossary) is not here")
    if args.rebuild and args.db.exists():
        args.db.unlink()
    if not args.db.exists():
        start = time.perf_counter()
        build(args.db)
        print(f"built the library in {time.perf_counter() - start:.0f} s")
    database = open_library(f"sqlite:///{args.db}")
    slowest, findings, rows = 0.0, 0, 0
    with database.reader() as session:
        slugs = [s for (s,) in session.connection().exec_driver_sql(
            "SELECT slug FROM documents ORDER BY slug")]
    for slug in slugs:
        qa_s, report = best_of_two(lambda slug=slug: check_document(database, slug))
        read_s, _ = best_of_two(lambda slug=slug: get_document(database, slug))
        slowest = max(slowest, qa_s)
        findings += len(report.findings)
        rows += report.rows
        print(f"{slug:50} {report.rows:5} rows {len(report.findings):4} findings  qa {qa_s:6.2f} s"
              f"  (reading the document alone: {read_s:5.2f} s)")
    start = time.perf_counter()
    index = glossary_index(database)
    usage_s = time.perf_counter() - start
    occurrences = sum(s.occurrences for s in index)
    start = time.perf_counter()
    pages = [entry_page(database, s.entry.term) for s in index]
    pages_s = time.perf_counter() - start
    print(f"glossary index: {len(index)} terms, {occurrences} occurrences, {usage_s:.1f} s; "
          f"all {len(pages)} entry pages once: {pages_s:.1f} s (cold; both cached until the "
          "library or the glossary changes)")
    found = sum(sum(r.count for r in p.renderings) for p in pages)
    verdict = "met" if slowest < TARGET_S else "missed"
    print(f"slowest document {slowest:.2f} s against the target {TARGET_S:.0f} s: {verdict}")
    fields = {"documents": len(slugs), "rows": rows, "findings": findings,
              "qa_slowest_s": f"{slowest:.2f}", "target_s": f"{TARGET_S:.0f}",
              "target": verdict, "glossary_index_s": f"{usage_s:.1f}",
              "entry_pages_s": f"{pages_s:.1f}", "occurrences": occurrences,
              "renderings_found": found, "cores": 2, "machine": "shared"}
    print(" ".join(f"{k}={v}" for k, v in fields.items()))
    database.dispose()


if __name__ == "__main__":
    main()
