"""Editorial pages: the report queue, corrections, metadata, alignment, history, audit.

Page data only; the routes in ``bitext.web.routes`` check the role and call these. Everything
that needs a role answers 404 to anyone without one, so nothing reveals that a draft, a
report or an editor page exists.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from bitext.core.align.confidence import (
    UNCERTAIN_BELOW,
    BeadText,
    bead_confidences,
    is_uncertain,
)
from bitext.core.metadata import EDITABLE_TEXT_FIELDS
from bitext.errors import InputError, NotFound
from bitext.services.accounts import Account
from bitext.services.editing import DocumentWithdrawn
from bitext.services.history import DiffRow, locate_paragraph
from bitext.services.library import Library
from bitext.services.reading import (
    EVERY_STATUS,
    PUBLIC_STATUSES,
    DocumentView,
    ParagraphView,
    get_document,
)
from bitext.services.reports import (
    REPORT_STATUSES,
    ReportView,
    count_reports,
    list_reports,
    paragraph_pair,
)

METADATA_FIELD_MAX_CHARS = 20_000


def statuses_for(account: Account | None) -> tuple[str, ...]:
    return EVERY_STATUS if account else PUBLIC_STATUSES


def editable_document(database: Library, slug: str) -> DocumentView:
    document = get_document(database, slug, statuses=EVERY_STATUS)
    if document.meta.status == "withdrawn":
        raise DocumentWithdrawn
    return document


def find_paragraph(document: DocumentView, side: str, paragraph_id: int) -> ParagraphView | None:
    return next((p for p in getattr(document, side) if p.id == paragraph_id), None)


def current_paragraph(
    database: Library, document: DocumentView, side: str, paragraph_id: int
) -> ParagraphView | None:
    """The paragraph, or the one that corrected it when that is unambiguous (one paragraph
    of that side in its row)."""
    found = find_paragraph(document, side, paragraph_id)
    if found is not None:
        return found
    try:
        location = locate_paragraph(database, document.meta.slug, paragraph_id,
                                    statuses=EVERY_STATUS)
    except NotFound:
        return None
    row = document.rows[location.row - 1] if location.row <= len(document.rows) else None
    candidates = getattr(row, side) if row else []
    return candidates[0] if len(candidates) == 1 else None


def row_of(document: DocumentView, paragraph_id: int) -> int | None:
    for row in document.rows:
        if any(p.id == paragraph_id for p in (*row.original, *row.translation)):
            return row.number
    return None


# ---- the report queue ----------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    report: ReportView
    original: list[str]  # the row's current text: corrected since the report, if it was
    translation: list[str]
    current_revision: int = 0  # of the reported side; 0 when the paragraph is gone
    row: int | None = None  # where the paragraph (or its correction) stands now
    corrected: bool = False  # the reported paragraph has been replaced since

    @property
    def is_open(self) -> bool:
        return self.report.status == "open"

    @property
    def revisions(self) -> list[int]:
        """The reported side's revisions, newest first: what accepting may link."""
        return list(range(self.current_revision, 0, -1))


@dataclass(frozen=True)
class QueuePage:
    status: str
    items: list[QueueItem]
    page: int = 1
    per_page: int = 50
    total: int = 0
    statuses: tuple[str, ...] = REPORT_STATUSES

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _queue_item(database: Library, report: ReportView,
                documents: dict[str, DocumentView]) -> QueueItem:
    """The report beside the row as it reads now: after a correction the reported
    paragraph is no longer in the alignment, so follow it to the text that replaced it."""
    try:
        if report.slug not in documents:
            documents[report.slug] = get_document(database, report.slug, statuses=EVERY_STATUS)
        document = documents[report.slug]
        number, corrected = row_of(document, report.paragraph_id), False
        if number is None:  # corrected since: the history says what replaced it
            location = locate_paragraph(database, report.slug, report.paragraph_id,
                                        statuses=EVERY_STATUS)
            number, corrected = location.row, location.changed
    except NotFound:  # the paragraph is gone from the document: show what was reported
        _, original, translation = paragraph_pair(database, report.id)
        return QueueItem(report, original, translation)
    row = document.rows[number - 1]
    return QueueItem(report, [p.text for p in row.original], [p.text for p in row.translation],
                     document.revisions[report.side], row.number, corrected)


def queue_page(database: Library, status: str, page: int = 1, per_page: int = 50) -> QueuePage:
    """One page of the reports with ``status``, newest first, with their rows' current text."""
    per_page = max(1, per_page)
    total = count_reports(database, status)
    documents: dict[str, DocumentView] = {}
    items = [_queue_item(database, report, documents)
             for report in list_reports(database, status, limit=per_page,
                                        offset=(page - 1) * per_page)]
    return QueuePage(status, items, page, per_page, total)


# ---- metadata form -------------------------------------------------------------------


@dataclass
class MetadataForm:
    values: dict[str, str]
    authors: str  # one per line: "name | romanized"
    tags: str  # comma-separated
    note: str = ""
    base_version: int = 0

    @classmethod
    def from_document(cls, document: DocumentView, version: int) -> "MetadataForm":
        meta = document.meta
        values = {name: "" if getattr(meta, name) is None else str(getattr(meta, name))
                  for name in EDITABLE_TEXT_FIELDS}
        authors = "\n".join(f"{a.name} | {a.romanized}" if a.romanized else a.name
                            for a in meta.authors)
        return cls(values, authors, ", ".join(meta.tags), "", version)

    def changes(self) -> dict:
        """The allowlisted fields, as ``edit_metadata`` takes them."""
        changes: dict = {name: (value.strip() or None) for name, value in self.values.items()}
        changes["tags"] = [t.strip() for t in self.tags.split(",") if t.strip()]
        authors = []
        for line in self.authors.splitlines():
            name, _, romanized = line.partition("|")
            if name.strip():
                authors.append({"name": name.strip(), "romanized": romanized.strip() or None})
        changes["authors"] = authors
        for name, value in changes.items():
            if isinstance(value, str) and len(value) > METADATA_FIELD_MAX_CHARS:
                raise InputError(f"the field {name} is too long")
        return changes


# ---- alignment page ------------------------------------------------------------------


@dataclass(frozen=True)
class BeadLine:
    position: int  # index among the beads of its level (what edit_alignment takes)
    row: int | None  # paragraph row number (paragraph level)
    original: list[str]
    translation: list[str]
    score: float
    confirmed: bool
    confidence: float = 1.0  # probability that the bead is exactly right (core.align.confidence)

    @property
    def uncertain(self) -> bool:
        return is_uncertain(self.confidence, self.confirmed)


@dataclass(frozen=True)
class AlignmentPage:
    document: DocumentView
    paragraphs: list[BeadLine]
    chosen_row: int | None
    sentences: list[BeadLine] = field(default_factory=list)

    @property
    def meta(self):
        return self.document.meta

    @property
    def uncertain_below(self) -> float:
        return UNCERTAIN_BELOW

    @property
    def review(self) -> list[BeadLine]:
        """The editors' review queue: uncertain paragraph links, least likely right first."""
        return sorted((b for b in self.paragraphs if b.uncertain), key=lambda b: b.confidence)


def alignment_page(database: Library, slug: str, row: int | None) -> AlignmentPage:
    document = get_document(database, slug, statuses=EVERY_STATUS)
    paragraphs = [
        BeadLine(i, r.number, [p.text for p in r.original], [p.text for p in r.translation],
                 bead.score, bead.confirmed, document.confidences.get(r.number, 1.0))
        for i, (r, bead) in enumerate(zip(document.rows, document.paragraph_beads, strict=True))
    ]
    sentences: list[BeadLine] = []
    if row is not None and 1 <= row <= len(document.rows):
        chosen = document.rows[row - 1]
        texts = {s.id: s.text for p in (*chosen.original, *chosen.translation)
                 for s in p.sentences}
        for position, bead in enumerate(document.sentence_beads):
            if any(i in texts for i in (*bead.source, *bead.target)):
                sentences.append(BeadLine(
                    position, None, [texts.get(i, "") for i in bead.source],
                    [texts.get(i, "") for i in bead.target], bead.score, bead.confirmed))
        probabilities = bead_confidences(
            [BeadText(b.original, b.translation, b.score) for b in sentences],
            document.meta.language_original, document.meta.language_translation)
        sentences = [replace(b, confidence=p) for b, p in zip(sentences, probabilities,
                                                              strict=True)]
    else:
        row = None
    return AlignmentPage(document, paragraphs, row, sentences)


# ---- history -------------------------------------------------------------------------

DIFF_CONTEXT = 1  # unchanged paragraphs shown before and after each change


@dataclass(frozen=True)
class DiffPage:
    document: DocumentView
    side: str
    old: int
    new: int
    rows: list[DiffRow]

    @property
    def meta(self):
        return self.document.meta

    @property
    def changed_rows(self) -> int:
        return sum(1 for r in self.rows if r.tag != "equal")

    @property
    def counts(self) -> dict[str, int]:
        """How many paragraphs were edited, added and removed."""
        return {label: sum(1 for r in self.rows if r.tag == tag)
                for tag, label in (("replace", "edited"), ("insert", "added"),
                                   ("delete", "removed"))}

    @property
    def blocks(self) -> list[tuple[bool, list[tuple[int, DiffRow]]]]:
        """(shown, numbered rows): changed rows with DIFF_CONTEXT unchanged rows around
        them shown; longer unchanged runs folded (the page lets the reader open them)."""
        near = {j for i, row in enumerate(self.rows) if row.tag != "equal"
                for j in range(i - DIFF_CONTEXT, i + DIFF_CONTEXT + 1)}
        blocks: list[tuple[bool, list[tuple[int, DiffRow]]]] = []
        for i, row in enumerate(self.rows):
            shown = i in near
            if blocks and blocks[-1][0] == shown:
                blocks[-1][1].append((i + 1, row))
            else:
                blocks.append((shown, [(i + 1, row)]))
        return blocks

    @property
    def other_side(self) -> str:
        return "translation" if self.side == "original" else "original"

    def counterpart(self, row: DiffRow) -> list[str]:
        """The other language's current text beside a paragraph of the newer revision (when
        that paragraph is in the document as it reads now)."""
        text = "".join(piece.text for piece in row.new)
        if not text:
            return []
        return self._counterparts.get(text, [])

    @cached_property
    def _counterparts(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for document_row in self.document.rows:
            here = getattr(document_row, self.side)
            there = [p.text for p in getattr(document_row, self.other_side)]
            for paragraph in here:
                found.setdefault(paragraph.text, there)
        return found


def parse_optional_int(value: str, what: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise InputError(f"the {what} must be a whole number")
    return int(value)
