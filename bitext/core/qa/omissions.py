"""Omissions and additions: rows with one side empty, rows whose length ratio is far from
the document's usual one, Chinese left untranslated in a non-Chinese translation, and a
translation repeated for two different originals."""

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bitext.core.qa.findings import Finding, Row
from bitext.core.text.languages import is_chinese

HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
LENGTH_MIN_CHARS = 12  # shorter originals (headings, numbers) have wild ratios
LENGTH_OUTLIER_MADS = 5.0  # robust z-score beyond which a ratio is reported
REPEAT_MIN_CHARS = 30


def check_empty_sides(rows: Sequence[Row]) -> list[Finding]:
    findings = []
    for row in rows:
        if row.original.strip() and not row.translation.strip():
            findings.append(Finding.make("omission", row, "the original has no translation"))
        elif row.translation.strip() and not row.original.strip():
            findings.append(Finding.make("addition", row, "the translation has no original"))
    return findings


@dataclass(frozen=True)
class LengthNorm:
    """A document's usual length ratio: the median and the median absolute deviation of
    log(translation characters / original characters) over its rows."""

    median: float
    spread: float

    def deviation(self, row: Row) -> float | None:
        """How many deviations ``row``'s ratio lies from the median (None: not measured)."""
        if not row.original or not row.translation:
            return None
        return (math.log(len(row.translation) / len(row.original)) - self.median) / self.spread


def length_norm(rows: Sequence[Row]) -> LengthNorm | None:
    """The norm of a document, from its rows of at least LENGTH_MIN_CHARS original
    characters; None for a document too short to have one."""
    ratios = [math.log(len(row.translation) / len(row.original)) for row in rows
              if len(row.original) >= LENGTH_MIN_CHARS and row.translation]
    if len(ratios) < 10:
        return None
    median = statistics.median(ratios)
    return LengthNorm(median, statistics.median(abs(r - median) for r in ratios) or 0.1)


def check_length_ratios(rows: Sequence[Row], norm: LengthNorm | None) -> list[Finding]:
    """Rows whose ratio lies more than LENGTH_OUTLIER_MADS deviations from the norm."""
    if norm is None:
        return []
    findings = []
    for row in rows:
        z = norm.deviation(row)
        if z is not None and len(row.original) >= LENGTH_MIN_CHARS and abs(z) > (
            LENGTH_OUTLIER_MADS
        ):
            what = "much shorter" if z < 0 else "much longer"
            findings.append(Finding.make(
                "length", row, f"the translation is {what} than usual for this document "
                f"({len(row.translation)} characters for {len(row.original)})"))
    return findings


SUSPECT_MADS = 3.0


def misaligned_rows(rows: Sequence[Row], norm: LengthNorm | None) -> set[int]:
    """Positions of rows whose length ratio is beyond SUSPECT_MADS deviations, or whose
    original is a stub (a note mark, an empty line) facing a real sentence: other checks
    would read their differences as translation faults."""
    suspect = {row.position for row in rows
               if len(row.original.strip()) < 4 and len(row.translation.strip()) > 6}
    if norm is not None:
        for row in rows:
            z = norm.deviation(row)
            if z is not None and abs(z) > SUSPECT_MADS:
                suspect.add(row.position)
    return suspect


def check_untranslated(rows: Sequence[Row], translation_language: str) -> list[Finding]:
    if is_chinese(translation_language):
        return []
    findings = []
    for row in rows:
        left = HAN_RUN.findall(row.translation)
        if left:
            findings.append(Finding.make("untranslated", row,
                                         "Chinese left in the translation: " + " ".join(left[:3]),
                                         text=left[:3]))
    return findings


def check_repeats(rows: Sequence[Row]) -> list[Finding]:
    """A translation sentence that already served another, different original."""
    first: dict[str, Row] = {}
    findings = []
    for row in rows:
        text = " ".join(row.translation.split())
        if len(text) < REPEAT_MIN_CHARS:
            continue
        earlier = first.setdefault(text, row)
        if earlier is not row and earlier.original.strip() != row.original.strip():
            findings.append(Finding.make("repeated", row, f"the same translation as row "
                                         f"{earlier.position + 1}, for a different original",
                                         first_row=earlier.position + 1))
    return findings
