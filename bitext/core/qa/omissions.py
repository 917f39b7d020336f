"""Omissions and additions: rows with one side empty, rows whose length ratio is far from
the document's usual one, Chinese left untranslated in a non-Chinese translation, and a
translation repeated for two different originals."""

import math
import re
import statistics
from collections.abc import Sequence

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


def check_length_ratios(rows: Sequence[Row]) -> list[Finding]:
    """Rows whose log length ratio lies more than LENGTH_OUTLIER_MADS median absolute
    deviations from the document's median."""
    measured = [(row, math.log(len(row.translation) / len(row.original))) for row in rows
                if len(row.original) >= LENGTH_MIN_CHARS and row.translation]
    if len(measured) < 10:
        return []
    ratios = [r for _, r in measured]
    median = statistics.median(ratios)
    spread = statistics.median(abs(r - median) for r in ratios) or 0.1
    findings = []
    for row, ratio in measured:
        z = (ratio - median) / spread
        if abs(z) > LENGTH_OUTLIER_MADS:
            what = "much shorter" if z < 0 else "much longer"
            findings.append(Finding.make(
                "length", row, f"the translation is {what} than usual for this document "
                f"({len(row.translation)} characters for {len(row.original)})"))
    return findings


SUSPECT_MADS = 3.0


def misaligned_rows(rows: Sequence[Row]) -> set[int]:
    """Positions of rows whose length ratio is beyond SUSPECT_MADS deviations, or whose
    original is a stub (a note mark, an empty line) facing a real sentence: other checks
    would read their differences as translation faults."""
    suspect = {row.position for row in rows
               if len(row.original.strip()) < 4 and len(row.translation.strip()) > 6}
    measured = [(row, math.log(len(row.translation) / len(row.original))) for row in rows
                if row.original and row.translation]
    if len(measured) >= 10:
        ratios = [r for _, r in measured]
        median = statistics.median(ratios)
        spread = statistics.median(abs(r - median) for r in ratios) or 0.1
        suspect |= {row.position for row, ratio in measured
                    if abs(ratio - median) / spread > SUSPECT_MADS}
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
