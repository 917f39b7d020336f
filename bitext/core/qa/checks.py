"""Every translation check on one document, findings in row order."""

from collections.abc import Sequence

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.qa.consistency import check_repeated_originals, check_term_consistency
from bitext.core.qa.findings import Finding, Row
from bitext.core.qa.numbers import check_numbers
from bitext.core.qa.omissions import (
    check_empty_sides,
    check_length_ratios,
    check_repeats,
    check_untranslated,
)
from bitext.core.qa.terminology import check_terminology


def check_rows(
    rows: Sequence[Row], entries: Sequence[GlossaryEntry], original_language: str,
    translation_language: str,
) -> list[Finding]:
    findings = [
        *check_terminology(rows, entries),
        *check_numbers(rows, original_language, translation_language),
        *check_empty_sides(rows),
        *check_length_ratios(rows),
        *check_untranslated(rows, translation_language),
        *check_repeats(rows),
        *check_repeated_originals(rows),
        *check_term_consistency(rows, entries),
    ]
    unique = {f.key: f for f in findings}  # the same fault found twice is one finding
    return sorted(unique.values(), key=lambda f: (f.row, f.kind, f.message))
