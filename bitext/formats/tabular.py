"""CSV and TSV: one row per sentence bead (export only: a spreadsheet loses too much).

:func:`csv_safe` guards every text cell the project writes to CSV or TSV: here, in the
concordance download and in the glossary CSV (``formats.glossary``, reversibly).
"""

import csv
from collections.abc import Iterable, Iterator

from bitext.formats.chunks import utf8_chunks
from bitext.formats.model import AlignedDocument, joiner

COLUMNS = ("document", "bead", "paragraph", "score", "source_language", "source",
           "target_language", "target")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection): a quote mark
    before a cell that starts like one."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def table_chunks(documents: Iterable[AlignedDocument], delimiter: str = ",") -> Iterator[bytes]:
    """The table in chunks, one document read from ``documents`` at a time."""
    return utf8_chunks(_rows(documents, delimiter))


def _rows(documents: Iterable[AlignedDocument], delimiter: str) -> Iterator[str]:
    line = _Line()
    writer = csv.writer(line, delimiter=delimiter, lineterminator="\n")
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    writer.writerow(COLUMNS)
    yield "\ufeff" + line.take()
    for document in documents:
        js, jt = joiner(document.language_source), joiner(document.language_target)
        for number, bead in enumerate(document.beads, start=1):
            writer.writerow([
                csv_safe(document.slug), number, bead.row if bead.row is not None else "",
                f"{bead.score:.4f}", csv_safe(document.language_source),
                csv_safe(js.join(bead.source)), csv_safe(document.language_target),
                csv_safe(jt.join(bead.target)),
            ])
            yield line.take()


class _Line:
    """Where ``csv.writer`` writes one row, taken out before the next."""

    def __init__(self) -> None:
        self._text = ""

    def write(self, text: str) -> None:
        self._text += text

    def take(self) -> str:
        text, self._text = self._text, ""
        return text


def csv_chunks(documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
    return table_chunks(documents, ",")


def tsv_chunks(documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
    return table_chunks(documents, "\t")
