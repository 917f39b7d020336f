"""An import's report in words: the one formatter the CLI prints and the web shows.

It reads the report as stored (``PreparedImport.report()`` plus the alignment summary
``add_document`` adds), so a report read back from the database says the same as the one
printed at import time.
"""

from dataclasses import dataclass

# Why each kind of text is left out; kinds not listed explain themselves ("macros (never
# run)", "embedded files (not read)").
REASONS = {
    "running headers": "repeated at the top of every page, not part of the text",
    "running footers": "repeated at the foot of every page, not part of the text",
    "page numbers": "page furniture, not part of the text",
    "page headers": "the site's header, not the document",
    "page footers": "the site's footer, not the document",
    "navigation": "the site's menus, not the document",
    "share and menu widgets": "the site's buttons, not the document",
    "asides": "beside the main text, not part of it",
    "comments": "reviewers' remarks, not the text",
    "scripts": "code, never run or kept",
    "styles": "presentation only",
    "iframes": "other pages, never fetched",
    "forms": "controls, not text",
    "hidden elements": "not shown to readers of the page",
    "note reference marks": "the note itself is kept with its paragraph",
    "control characters": "invisible characters that break display and search",
    "raw HTML blocks": "markup inside Markdown, never carried into the text",
    "raw HTML tags": "markup inside Markdown, never carried into the text",
}


@dataclass(frozen=True)
class RemovedItem:
    side: str
    what: str
    count: int
    why: str


def side_line(side: str, report: dict) -> str:
    """One side: what was read from which file, and what was left out."""
    pages = f", {report['pages']} pages" if report.get("pages") else ""
    line = (f"{side}: {report.get('file', '?')} ({report.get('format', '?')}{pages}): "
            f"{report.get('paragraphs', 0)} paragraphs, {report.get('headings', 0)} headings, "
            f"{report.get('list_items', 0)} list items, {report.get('notes', 0)} notes")
    if report.get("joined_lines"):
        line += f"; joined {report['joined_lines']} wrapped lines"
    removed = report.get("removed") or {}
    if removed:
        line += "; removed " + ", ".join(f"{n} {what}" for what, n in removed.items())
    return line


def layout_line(report: dict) -> str | None:
    """A bilingual file's layout, or None for two files."""
    layout = report.get("bilingual_layout")
    if not layout:
        return None
    pairs = report.get("bilingual_pairs")
    kept = f"{pairs} pairs" if pairs is not None else "its pairing"
    return f"bilingual layout: {layout}, {kept} kept as the paragraph alignment"


def uncertain_links(summary: dict) -> int:
    """Paragraph links the calibrated confidence flags; a report stored before it counted
    sentence beads under a score threshold (``low_confidence``), shown as such a count."""
    return summary.get("uncertain", summary.get("low_confidence", 0))


def alignment_line(summary: dict) -> str:
    uncertain = uncertain_links(summary)
    return (f"alignment: {summary.get('paragraph_beads', 0)} paragraph beads, "
            f"{summary.get('sentence_beads', 0)} sentence beads, {uncertain} uncertain "
            f"{'link' if uncertain == 1 else 'links'} to check")


def report_lines(report: dict) -> list[str]:
    """The whole report, a line each: both sides, the layout, the alignment."""
    lines = [side_line(side, report[side]) for side in ("original", "translation")
             if side in report]
    layout = layout_line(report)
    if layout:
        lines.append(layout)
    if "alignment" in report:
        lines.append(alignment_line(report["alignment"]))
    return lines


def removed_items(report: dict) -> list[RemovedItem]:
    """Every kind of text left out, per side, with the reason."""
    return [RemovedItem(side, what, count, REASONS.get(what, ""))
            for side in ("original", "translation")
            for what, count in (report.get(side, {}).get("removed") or {}).items()]


def warnings(report: dict) -> list[str]:
    """What an editor should check before (or after) importing."""
    found = []
    original, translation = report.get("original", {}), report.get("translation", {})
    counts = original.get("paragraphs", 0), translation.get("paragraphs", 0)
    if min(counts) and max(counts) > 1.5 * min(counts) + 2:
        found.append(f"the sides' paragraph counts differ a lot ({counts[0]} and "
                     f"{counts[1]}): check that both files hold the same document")
    for side, data in (("original", original), ("translation", translation)):
        if data.get("notes"):
            found.append(f"the {side}'s {data['notes']} notes are kept as paragraphs at "
                         "its end")
        if data.get("format") == "pdf":
            found.append(f"the {side} was read from a PDF: check headings and paragraph "
                         "breaks in the preview")
    uncertain = uncertain_links(report.get("alignment", {}))
    if uncertain:
        found.append(f"{uncertain} paragraph {'link is' if uncertain == 1 else 'links are'} "
                     "uncertain: check them in the review on the alignment page")
    return found
