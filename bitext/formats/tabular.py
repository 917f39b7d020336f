"""CSV and TSV: one row per sentence bead (export only: a spreadsheet loses too much)."""

import csv
import io

from bitext.formats.model import AlignedDocument, joiner

COLUMNS = ("document", "bead", "paragraph", "score", "source_language", "source",
           "target_language", "target")


def write_table(documents: list[AlignedDocument], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for document in documents:
        js, jt = joiner(document.language_source), joiner(document.language_target)
        for number, bead in enumerate(document.beads, start=1):
            writer.writerow([
                document.slug, number, bead.row if bead.row is not None else "",
                f"{bead.score:.4f}", document.language_source, js.join(bead.source),
                document.language_target, jt.join(bead.target),
            ])
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(documents: list[AlignedDocument]) -> bytes:
    return write_table(documents, ",")


def write_tsv(documents: list[AlignedDocument]) -> bytes:
    return write_table(documents, "\t")
