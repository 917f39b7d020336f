"""How well the calibrated bead confidence tells readers which rows to doubt.

    python bench/confidence.py

Aligns the HK Basic Law and the 2018 Constitution as `bitext demo` does (a fresh SQLite
library in a temporary folder) and compares each row's probability of being right with
the rows checked by hand in tests/data/alignment_confidence_checked.json. Prints:

- the reliability diagram (predicted probability against the share observed right, per
  bin) on the checked sample, and on every row of the HK Basic Law (all 407 were read:
  the sample lists every wrong one, so the others are right);
- precision and recall of the reader's "uncertain" flag on the sample, and of the rule it
  replaces (the aligner's score below engine.DEFAULT_LOW_CONFIDENCE), measured in the
  same run as the reference;
- how many rows each document flags.

The demo documents were never seen in training (bench/train_confidence.py), but the
threshold and the features were chosen while looking at them: these are development
figures.
"""

import json
import tempfile
import time
from pathlib import Path

import numpy as np
from reliability import print_reliability

from bitext.core.align.confidence import UNCERTAIN_BELOW
from bitext.core.align.engine import DEFAULT_LOW_CONFIDENCE
from bitext.services.demo import DEMO_DIR
from bitext.services.file_import import add_from_files, prepare_import
from bitext.services.library import open_library
from bitext.services.reading import EVERY_STATUS, DocumentView, get_document

CHECKED = Path(__file__).resolve().parents[1] / "tests" / "data" / \
    "alignment_confidence_checked.json"
FULLY_READ = "hk-basic-law-1990"
BINS = (0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


def load(slugs: list[str], folder: Path) -> dict[str, DocumentView]:
    database = open_library(f"sqlite:///{folder / 'library.db'}")
    try:
        for slug in slugs:
            demo = DEMO_DIR / slug
            add_from_files(database, prepare_import(
                demo / "original.txt", demo / "translation.txt", demo / "meta.json"))
        return {slug: get_document(database, slug, statuses=EVERY_STATUS) for slug in slugs}
    finally:
        database.dispose()


def precision_recall(flagged: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    caught = int((flagged & ~right).sum())
    return caught / max(1, int(flagged.sum())), caught / max(1, int((~right).sum()))


def main() -> None:
    checked = json.loads(CHECKED.read_text(encoding="utf-8"))["rows"]
    slugs = sorted({item["document"] for item in checked})
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        documents = load(slugs, Path(folder))
    print(f"aligned {', '.join(slugs)} in {time.perf_counter() - started:.0f} s")

    rows = [documents[i["document"]].rows[i["row"] - 1] for i in checked]
    for item, row in zip(checked, rows, strict=True):
        if not " ".join(p.text for p in row.original).startswith(item["original"]):
            raise SystemExit(f"{item['document']} row {item['row']} is not the checked row: "
                             "the aligner changed; check the sample again")
    right = np.array([i["right"] for i in checked])
    predicted = np.array([documents[i["document"]].confidences[i["row"]] for i in checked])
    print()
    sample_error = print_reliability("checked sample, rows", predicted, right, BINS, "")

    basic_law = documents[FULLY_READ]
    wrong_rows = {i["row"] for i in checked if i["document"] == FULLY_READ and not i["right"]}
    all_right = np.array([r.number not in wrong_rows for r in basic_law.rows])
    all_predicted = np.array([basic_law.confidences[r.number] for r in basic_law.rows])
    print()
    full_error = print_reliability(f"every row of {FULLY_READ}, rows", all_predicted, all_right,
                                   BINS, "")

    flag = np.array([documents[i["document"]].is_uncertain(r) for i, r in zip(
        checked, rows, strict=True)])
    old = np.array([not r.confirmed and r.score < DEFAULT_LOW_CONFIDENCE for r in rows])
    precision, recall = precision_recall(flag, right)
    old_precision, old_recall = precision_recall(old, right)
    print(f"\nflag on the checked sample (probability below {UNCERTAIN_BELOW}):")
    print(f"  calibrated confidence   precision {precision:.3f}  recall {recall:.3f}"
          f"  flagged {int(flag.sum())}")
    print(f"  reference: score < {DEFAULT_LOW_CONFIDENCE}  precision {old_precision:.3f}"
          f"  recall {old_recall:.3f}  flagged {int(old.sum())}")
    hk_precision, hk_recall = precision_recall(
        np.array([basic_law.is_uncertain(r) for r in basic_law.rows]), all_right)
    print(f"  every row of {FULLY_READ}: precision {hk_precision:.3f} recall {hk_recall:.3f}")
    print("\nrows flagged per document:")
    for slug, document in documents.items():
        now = sum(document.is_uncertain(r) for r in document.rows)
        before = sum(not r.confirmed and r.score < DEFAULT_LOW_CONFIDENCE for r in document.rows)
        print(f"  {slug:24s} {now:4d} of {len(document.rows)} (score rule: {before})")
    print(f"precision={precision:.3f} recall={recall:.3f} reference_precision={old_precision:.3f} "
          f"reference_recall={old_recall:.3f} ece_sample={sample_error:.3f} "
          f"ece_{FULLY_READ.replace('-', '_')}={full_error:.3f} threshold={UNCERTAIN_BELOW}")


if __name__ == "__main__":
    main()
