"""CSV and TSV: one row per sentence bead (export only: a spreadsheet loses too much).

:func:`csv_safe` guards every text cell the project writes to CSV or TSV, here and in the
concordance download.
"""

import csv
import io

from bitext.formats.model import AlignedDocument, joiner

COLUMNS = ("document", "bead", "paragraph", "score", "source_language", "source",
           "target_language", "target")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection): a quote mark
    before a cell that starts like one."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_table(documents: list[AlignedDocument], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for document in documents:
        js, jt = joiner(document.language_source), joiner(document.language_target)
        for number, bead in enumerate(document.beads, start=1):
            writer.writerow([
                csv_safe(document.slug), number, bead.row if bead.row is not None else "",
                f"{bead.score:.4f}", csv_safe(document.language_source),
                csv_safe(js.join(bead.source)), csv_safe(document.language_target),
                csv_safe(jt.join(bead.target)),
            ])
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(documents: list[AlignedDocument]) -> bytes:
    return write_table(documents, ",")


def write_tsv(documents: list[AlignedDocument]) -> bytes:
    return write_table(documents, "\t")
