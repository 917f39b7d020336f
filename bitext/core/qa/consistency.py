"""Consistency: the same original sentence translated differently within one document, and
one glossary term given different accepted renderings."""

from collections import defaultdict
from collections.abc import Sequence

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.glossary.occurrences import find_terms
from bitext.core.glossary.renderings import find_rendering
from bitext.core.qa.findings import Finding, Row

SENTENCE_MIN_CHARS = 8  # short lines (一、 第一章) repeat with different numbers


def check_repeated_originals(rows: Sequence[Row]) -> list[Finding]:
    first: dict[str, Row] = {}
    findings = []
    for row in rows:
        original = "".join(row.original.split())
        if len(original) < SENTENCE_MIN_CHARS or not row.translation:
            continue
        earlier = first.setdefault(original, row)
        if earlier is not row and " ".join(earlier.translation.split()) != " ".join(
            row.translation.split()
        ):
            findings.append(Finding.make(
                "consistency", row, f"the same original as row {earlier.position + 1}, "
                "translated differently", first_row=earlier.position + 1))
    return findings


def check_term_consistency(
    rows: Sequence[Row], entries: Sequence[GlossaryEntry]
) -> list[Finding]:
    """A term rendered with two different accepted renderings in one document: one finding
    on the first row using the less common one."""
    by_term = {e.term: e for e in entries if len(e.renderings()) > 1}
    used: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if not row.translation:
            continue
        for term in dict.fromkeys(o.term for o in find_terms(row.original, list(by_term))):
            found = find_rendering(by_term[term].renderings(), row.translation)
            if found is not None and found.known is not None:
                used[term][found.known].append(row)
    findings = []
    for term, renderings in used.items():
        if len(renderings) < 2:
            continue
        ranked = sorted(renderings.items(), key=lambda item: -len(item[1]))
        main = ranked[0][0]
        for rendering, places in ranked[1:]:
            findings.append(Finding.make(
                "consistency", places[0], f"{term}: rendered {rendering!r} here "
                f"({len(places)} rows) and {main!r} elsewhere ({len(ranked[0][1])} rows)",
                term=term, rendering=rendering))
    return findings
