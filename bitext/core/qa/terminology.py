"""Terminology: a glossary term in the original whose translation uses neither the
canonical rendering nor an accepted variant.

The neighbouring rows' translations count too: sentence alignment sometimes puts a clause
one row off, and a rendering one row away is not a terminology fault.
"""

from collections.abc import Sequence

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.glossary.occurrences import find_terms
from bitext.core.glossary.renderings import find_rendering, rendering_span
from bitext.core.qa.findings import Finding, Row

# Two-character terms (决定 "Decision", 留置 …) are also everyday words (决定 "decide"):
# without a parser telling the two apart they are left out; numbered units (第五条) stay.
TERM_MIN_CHARS = 3


def check_terminology(rows: Sequence[Row], entries: Sequence[GlossaryEntry]) -> list[Finding]:
    by_term = {e.term: e for e in entries if e.renderings()}
    terms = list(by_term)
    findings = []
    for k, row in enumerate(rows):
        if not row.translation or not row.original:
            continue
        nearby = " ".join(r.translation for r in rows[max(0, k - 1) : k + 2])
        found = find_terms(row.original, terms)
        for term in dict.fromkeys(o.term for o in found
                                  if len(o.term) >= TERM_MIN_CHARS or len(o.term) == 1):
            entry = by_term[term]
            if any(rendering_span(r, nearby) for r in entry.renderings()):
                continue
            used = find_rendering(entry.renderings(), row.translation)
            message = f"{term}: the translation uses neither {entry.canonical!r} nor a variant"
            if used is not None:
                message += f" (it has {used.text!r})"
            findings.append(Finding.make("terminology", row, message, term=term,
                                         used=used.text if used else None))
    return findings
