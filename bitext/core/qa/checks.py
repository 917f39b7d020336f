"""Every translation check on one document, findings in row order."""

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Sequence

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.qa.consistency import check_repeated_originals, check_term_consistency
from bitext.core.qa.findings import Finding, Row
from bitext.core.qa.names import check_names
from bitext.core.qa.numbers import check_numbers
from bitext.core.qa.omissions import (
    LengthNorm,
    check_empty_sides,
    check_length_ratios,
    check_repeats,
    check_untranslated,
    length_norm,
)
from bitext.core.qa.terminology import check_terminology


def check_rows(
    rows: Sequence[Row], entries: Sequence[GlossaryEntry], original_language: str,
    translation_language: str, norm: LengthNorm | None = None,
) -> list[Finding]:
    """Every check over a document's rows; ``norm`` is the document's usual length ratio
    (computed from ``rows`` when not given, as for a whole document)."""
    norm = norm or length_norm(rows)
    findings = [
        *check_terminology(rows, entries, norm),
        *check_numbers(rows, original_language, translation_language, norm),
        *check_names(rows, original_language, translation_language, norm),
        *check_empty_sides(rows),
        *check_length_ratios(rows, norm),
        *check_untranslated(rows, translation_language),
        *check_repeats(rows),
        *check_repeated_originals(rows),
        *check_term_consistency(rows, entries),
    ]
    unique = {(f.key, f.row): f for f in findings}  # one fault found twice is one finding
    return _numbered(sorted(unique.values(), key=lambda f: (f.row, f.kind, f.message)))


def _numbered(findings: list[Finding]) -> list[Finding]:
    """Findings with distinct keys: the same fault in the same texts on several rows (a
    repeated line left untranslated) is keyed by its text and its turn, so dismissing one
    dismisses that one, and a realignment that moves it keeps its key."""
    seen: Counter[str] = Counter()
    numbered = []
    for finding in findings:
        seen[finding.key] += 1
        if seen[finding.key] > 1:
            key = hashlib.sha256(f"{finding.key}#{seen[finding.key]}".encode()).hexdigest()
            finding = dataclasses.replace(finding, key=key[:24])
        numbered.append(finding)
    return numbered
