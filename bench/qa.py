"""Translation checks and glossary usage, timed on the demo library plus the CPC
Constitution (2017, ../shared/data/corpus/versions), with the seed glossary.

For each document: ``bitext qa``'s service (read the rows and the glossary, run every
check) timed twice, the faster kept, against the target of 5 s per document; and, as the
reference measured in the same run, reading the document's rows alone (the floor every
check pays). Then the glossary pages on a cold cache: the index (every term's occurrences)
and every entry page (the renderings found for the term's occurrences; the first one also
computes the library's phrase statistics).

Since the checks run in every write that changes a document's rows, the time one check
adds to such a write (an import, a correction) is timed per document too, in a transaction
rolled back. And the names check (bitext.core.qa.names) is measured: precision and recall
on the hand-checked rows of tests/data/qa_names_checked.json (development figures: the
check was tuned on them), its findings on the MAC development chapters (literary
translations, ../shared/data/mac-dev, with the gold sentence alignment) against a
hand-checked verdict for each, and its findings on the Bible (WEB against the CUV, verse
by verse): there every pinyin-looking name is a Biblical name spelt the English way, so
every finding is a false one.

    python bench/qa.py [--db PATH] [--rebuild]

Figures are printed, never asserted (see STYLE.md).
"""

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from bible import CUV, WEB, read_verses
from bible import DATA as BIBLE

from bitext.core.align.evaluate import parse_alignment
from bitext.core.qa.findings import Row
from bitext.core.qa.names import check_names, english_words
from bitext.services.demo import load_demo
from bitext.services.glossary import entry_page, glossary_index, import_glossary
from bitext.services.library import add_document, open_library
from bitext.services.qa import check_document, record_check
from bitext.services.reading import get_document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CPC = SHARED / "corpus" / "versions" / "cpc-constitution-2017-en"
SEED = SHARED / "glossary" / "formulations.jsonl"
MAC_DEV = SHARED / "mac-dev"
NAMES_FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa_names_checked.json"
TARGET_S = 5.0
# The names findings on the MAC development chapters, checked by hand against the original
# (chapter, name as found): True where the translation's name is not what the characters say.
MAC_DEV_CHECKED = {
    ("005", "Qijiabing"): True,  # 肇嘉浜 is Zhaojiabang
    ("005", "Nanjing"): True,  # 宁式眠床 is a Ningbo-style bed
}


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


class _RolledBack(Exception):
    pass


def check_in_write_s(database, slug: str) -> float:
    """The time one stored check adds to a write transaction (rolled back after)."""
    start = time.perf_counter()
    try:
        with database.transaction() as session:
            record_check(session, slug, "demand")
            elapsed = time.perf_counter() - start
            raise _RolledBack
    except _RolledBack:
        return elapsed


def names_on_fixture() -> tuple[int, int, int]:
    """(right, wrong, missed) findings of the names check on the hand-checked rows."""
    right = wrong = missed = 0
    for item in json.loads(NAMES_FIXTURE.read_text(encoding="utf-8"))["names"]:
        context = [Row(k, o, t) for k, (o, t) in enumerate(item["rows"])]
        found = [f for f in check_names(context, *item["languages"]) if f.row == item["target"]]
        named = [f for f in found if item["name"] and (
            item["name"] in f.detail["name"] or f.detail["name"] in item["name"])]
        hit = bool(named) and item["correct"]
        right, wrong, missed = right + hit, wrong + len(found) - hit, missed + (
            item["correct"] and not named)
    return right, wrong, missed


def names_on_mac_dev() -> tuple[int, int, int]:
    """(rows, findings right, findings wrong or not checked) on the MAC dev chapters."""
    rows_seen = right = other = 0
    for gold in sorted((MAC_DEV / "gold").glob("*.align")):
        zh = (MAC_DEV / "zh" / f"{gold.stem}.txt").read_text(encoding="utf-8").splitlines()
        en = (MAC_DEV / "en" / f"{gold.stem}.txt").read_text(encoding="utf-8").splitlines()
        rows = [Row(k, "".join(zh[i] for i in source), " ".join(en[j] for j in target))
                for k, (source, target) in enumerate(
                    parse_alignment(gold.read_text(encoding="utf-8")))]
        rows_seen += len(rows)
        for finding in check_names(rows, "zh-Hans", "en"):
            verdict = MAC_DEV_CHECKED.get((gold.stem, finding.detail["name"]))
            print(f"  mac-dev {gold.stem} row {finding.row + 1}: {finding.message} "
                  f"({'right' if verdict else 'not checked' if verdict is None else 'wrong'})")
            right, other = right + bool(verdict), other + (not verdict)
    return rows_seen, right, other


def names_on_bible() -> tuple[int, int]:
    """(verse pairs, findings) on the Bible, book by book as documents."""
    zh, en = read_verses(BIBLE / CUV), read_verses(BIBLE / WEB)
    books: dict[str, list[str]] = defaultdict(list)
    for verse in zh:
        if verse in en:
            books[verse.split(".")[0]].append(verse)
    findings = 0
    for ids in books.values():
        rows = [Row(k, zh[v], en[v]) for k, v in enumerate(ids)]
        findings += len(check_names(rows, "zh-Hans", "en"))
    return sum(map(len, books.values())), findings


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
    start = time.perf_counter()
    english_words()
    words_s = time.perf_counter() - start
    print(f"the names check reads CC-CEDICT's words once per process: {words_s:.1f} s")
    write_slowest = 0.0
    for slug in slugs:
        qa_s, report = best_of_two(lambda slug=slug: check_document(database, slug))
        read_s, _ = best_of_two(lambda slug=slug: get_document(database, slug))
        write_s = check_in_write_s(database, slug)
        slowest, write_slowest = max(slowest, qa_s), max(write_slowest, write_s)
        findings += len(report.findings)
        rows += report.rows
        print(f"{slug:50} {report.rows:5} rows {len(report.findings):4} findings  qa {qa_s:6.2f} s"
              f"  (reading the document alone: {read_s:5.2f} s; the check in a write "
              f"transaction: {write_s:5.2f} s)")
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
    print(f"slowest document {slowest:.2f} s against the target {TARGET_S:.0f} s: {verdict}; "
          f"the slowest check in a write transaction {write_slowest:.2f} s")
    right, wrong, missed = names_on_fixture()
    print(f"names on {NAMES_FIXTURE.name} (development figures): precision "
          f"{right / max(1, right + wrong):.3f} ({right}/{right + wrong}), recall "
          f"{right / max(1, right + missed):.3f} ({right}/{right + missed})")
    mac_rows, mac_right, mac_other = names_on_mac_dev() if MAC_DEV.is_dir() else (0, 0, 0)
    print(f"names on the MAC dev chapters: {mac_right + mac_other} findings in {mac_rows} rows, "
          f"{mac_right} right by hand")
    verses, bible_findings = names_on_bible() if BIBLE.is_dir() else (0, 0)
    print(f"names on the Bible (foreign names spelt like pinyin; every finding false): "
          f"{bible_findings} findings in {verses} verse pairs "
          f"({1000 * bible_findings / max(1, verses):.1f} per 1,000)")
    fields = {"documents": len(slugs), "rows": rows, "findings": findings,
              "qa_slowest_s": f"{slowest:.2f}", "target_s": f"{TARGET_S:.0f}",
              "target": verdict, "check_in_write_slowest_s": f"{write_slowest:.2f}",
              "names_words_once_s": f"{words_s:.1f}",
              "glossary_index_s": f"{usage_s:.1f}",
              "entry_pages_s": f"{pages_s:.1f}", "occurrences": occurrences,
              "renderings_found": found,
              "names_precision": f"{right / max(1, right + wrong):.3f}",
              "names_recall": f"{right / max(1, right + missed):.3f}",
              "names_mac_dev_findings": mac_right + mac_other, "names_mac_dev_right": mac_right,
              "names_bible_false_per_1000": f"{1000 * bible_findings / max(1, verses):.1f}",
              "cores": 2, "machine": "shared"}
    print(" ".join(f"{k}={v}" for k, v in fields.items()))
    database.dispose()


if __name__ == "__main__":
    main()
