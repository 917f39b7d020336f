"""Terminology: a glossary term in the original whose translation uses neither the
canonical rendering nor an accepted variant.

What does not count as a departure:

- a rendering in a neighbouring row's translation (sentence alignment sometimes puts a
  clause one row off), and rows whose lengths say they are misaligned;
- the defined short form of a rendering: "the Region" for "special administrative region",
  written with a capital, as legal translations refer back to a defined term;
- a numbered unit cited in parentheses: 第二十二条第四款 as "Article 22(4)".
"""

import re
from collections.abc import Sequence

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.glossary.occurrences import Occurrence, find_terms
from bitext.core.glossary.renderings import content_stems, find_rendering, rendering_span
from bitext.core.qa.findings import Finding, Row
from bitext.core.qa.omissions import LengthNorm, misaligned_rows
from bitext.core.text.numerals import numeral_value

# Two-character terms (决定 "Decision", 留置 …) are also everyday words (决定 "decide"):
# without a parser telling the two apart they are left out; numbered units (第五条) stay.
TERM_MIN_CHARS = 3
_PARENTHESES = re.compile(r"\([^)]*\)")
_LAST_WORD = re.compile(r"([A-Za-z][\w-]*)\W*$")


def check_terminology(
    rows: Sequence[Row], entries: Sequence[GlossaryEntry], norm: LengthNorm | None = None
) -> list[Finding]:
    by_term = {e.term: e for e in entries if e.renderings()}
    terms = list(by_term)
    suspect = misaligned_rows(rows, norm)
    findings = []
    for k, row in enumerate(rows):
        if not row.translation or not row.original or row.position in suspect:
            continue
        nearby = " ".join(r.translation for r in rows[max(0, k - 1) : k + 2])
        seen: set[str] = set()
        for occurrence in find_terms(row.original, terms):
            term = occurrence.term
            if term in seen or 1 < len(term) < TERM_MIN_CHARS:
                continue
            seen.add(term)
            entry = by_term[term]
            if _rendered(entry, occurrence, row.original, nearby):
                continue
            used = find_rendering(entry.renderings(), row.translation)
            message = f"{term}: the translation uses neither {entry.canonical!r} nor a variant"
            if used is not None:
                message += f" (it has {used.text!r})"
            findings.append(Finding.make("terminology", row, message, term=term,
                                         used=used.text if used else None))
    return findings


def _rendered(entry: GlossaryEntry, occurrence: Occurrence, original: str, nearby: str) -> bool:
    if any(rendering_span(r, nearby) for r in entry.renderings()):
        return True
    if _short_form(entry.canonical) and re.search(
        rf"\b[Tt]he\s+{re.escape(_short_form(entry.canonical))}\b", nearby
    ):
        return True
    if len(entry.term) == 1:  # a numbered unit: 第四款 may be cited as (4)
        numeral = original[occurrence.start + 1 : occurrence.end - 1]
        value = numeral_value(numeral)
        return value is not None and re.search(rf"[\d)]\({value}\)", nearby) is not None
    return False


def _short_form(rendering: str) -> str:
    """The last word of a rendering of several words, capitalized: "Region" for "special
    administrative region (SAR)"; "" for a one-word rendering."""
    bare = _PARENTHESES.sub(" ", rendering).strip()
    if len(content_stems(bare)) < 2:
        return ""
    match = _LAST_WORD.search(bare)
    return match.group(1)[:1].upper() + match.group(1)[1:] if match else ""
