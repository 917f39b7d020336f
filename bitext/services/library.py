"""Use cases of the library: open it, add a document, publish, list, read."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bitext.core.align import Aligner, DocumentAlignment, align_document
from bitext.core.align.base import Bead, EngineRecord, engine_record
from bitext.core.align.confidence import BeadText, bead_confidences, is_uncertain
from bitext.core.metadata import DocumentMetadata, parse_metadata
from bitext.core.strict_json import load_json_object
from bitext.core.text.decode import decode_text
from bitext.core.text.normalize import dropped_controls
from bitext.core.text.segment import Paragraph, segment_side
from bitext.errors import InputError
from bitext.services.alignment import Progress, align_paragraphs, default_aligner
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.qa import publication_check, record_check
from bitext.settings import Settings
from bitext.store import audit, own_works
from bitext.store import documents as store
from bitext.store.database import Database, Session, pause_in_write
from bitext.store.embedding_cache import DatabaseEmbeddingCache
from bitext.store.migrate import upgrade
from bitext.store.search_index import index_revision

Library = Database
"""The handle on an open library that every service takes: the web and the CLI name it by
this, and never import the store themselves."""


def open_library(url: str | None = None, settings: Settings | None = None) -> Database:
    """Connect to the library at ``url`` (or the configured one) and migrate it."""
    settings = settings or Settings()
    database = Database(
        url or settings.resolved_database_url(),
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        max_page_count=settings.sqlite_max_page_count,
    )
    upgrade(database)
    return database


@dataclass(frozen=True)
class AddedDocument:
    slug: str
    status: str
    paragraphs: tuple[int, int]
    sentences: tuple[int, int]
    dropped_controls: int = 0  # control characters taken out of the two texts
    alignment: dict | None = None  # beads per level and how many links are uncertain


def alignment_summary(alignment: DocumentAlignment, original: list[Paragraph],
                      translation: list[Paragraph], languages: tuple[str, str]) -> dict:
    """What an import report says of the alignment: beads per level, and how many
    paragraph links are uncertain (the calibrated rule the reader's flag and the editors'
    review use, ``confidence.is_uncertain``): the review's length after the import."""
    beads = [BeadText([original[i].text for i in b.source],
                      [translation[j].text for j in b.target], b.score)
             for b in alignment.paragraphs]
    probabilities = bead_confidences(beads, *languages)
    return {"paragraph_beads": len(alignment.paragraphs),
            "sentence_beads": len(alignment.sentences),
            "uncertain": sum(is_uncertain(p, confirmed=False) for p in probabilities)}


def add_document(
    database: Database,
    metadata: DocumentMetadata | dict,
    original_text: str,
    translation_text: str,
    *,
    aligner: Aligner | None = None,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
    paragraph_beads: list[Bead] | None = None,
    report: dict | None = None,
    also_write: Callable[[Session, dict], None] | None = None,
) -> AddedDocument:
    """Segment, align and store a document pair in one transaction; ``limits`` default to
    the settings, ``progress`` hears of each stage. ``paragraph_beads`` (a bilingual file's
    own pairing) are kept as the paragraph alignment, only sentences being aligned;
    ``report`` (what an import left out) is kept, with the alignment's summary, in the
    document's audit row. ``also_write(session, report)`` writes in the same transaction
    (a web import's job marks itself done with the document, or not at all; ``add --work``
    files the document under its version); a document it files under no work is a work of
    its own."""
    limits = limits or ImportLimits.from_settings()
    meta = (metadata if isinstance(metadata, DocumentMetadata)
            else parse_metadata(metadata, limits.metadata))
    original = _segment_side(original_text, meta.language_original, "original", limits)
    translation = _segment_side(translation_text, meta.language_translation, "translation",
                                limits)
    with database.reader() as session:  # fail before the costly alignment
        store.check_slug_is_new(session, meta.slug)
        if also_write is None:  # nothing else files it: its work will take its slug
            own_works.check_work_slug_is_free(session, meta.slug)
    library_cache = DatabaseEmbeddingCache(database)
    aligner = aligner or default_aligner(
        meta.language_original, meta.language_translation, library_cache, progress
    )
    if paragraph_beads is None:
        alignment = align_paragraphs(original, translation, aligner, progress)
    else:
        alignment = align_document([p.sentences for p in original],
                                   [p.sentences for p in translation],
                                   _GivenBeads(paragraph_beads), aligner)
    summary = alignment_summary(alignment, original, translation,
                                (meta.language_original, meta.language_translation))
    if report is not None:
        report = {**report, "alignment": summary}
    if progress is not None:
        progress("writing", 0, 1)
    with database.transaction() as session:
        library_cache.write_pending(session)
        counts = write_document(session, meta, original, translation, aligner.name, alignment,
                                report, engine=engine_record(aligner),
                                alone=also_write is None)
        if also_write is not None:
            also_write(session, report or {"alignment": summary})
            file_alone_unless_filed(session, meta.slug)
    dropped = dropped_controls(original_text) + dropped_controls(translation_text)
    return AddedDocument(meta.slug, meta.status, (len(original), len(translation)), counts,
                         dropped, summary)


def write_document(
    session: Session,
    meta: DocumentMetadata,
    original: list[Paragraph],
    translation: list[Paragraph],
    method: str,
    alignment: DocumentAlignment,
    report: dict | None = None,
    *,
    engine: EngineRecord | None = None,
    alone: bool = True,
) -> tuple[int, int]:
    """Store a new document whole, in the caller's transaction: its row, both texts,
    their beads (with the ``engine`` that aligned them, if one did), their search index,
    its translation checks, an audit row (holding the import ``report``) and, unless the
    caller files it under a work (``alone=False``), its work of its own.
    Returns the sentence counts."""
    document = store.insert_document(session, meta)
    if alone:
        own_works.file_as_own_work(session, document)
    pause_in_write(session, "after-document-row")
    detail: dict = {"method": method}
    if report:
        detail["import_report"] = report
    audit.record(session, "document.add", f"document:{meta.slug}", detail=detail)
    rev_o, par_o, sent_o = store.add_revision(session, document, "original", original)
    rev_t, par_t, sent_t = store.add_revision(session, document, "translation", translation)
    pause_in_write(session, "after-segments-before-alignment")
    store.add_alignment(
        session, document, (rev_o, rev_t), method,
        {
            "paragraph": (alignment.paragraphs, par_o, par_t),
            "sentence": (alignment.sentences, _flat(sent_o), _flat(sent_t)),
        },
        engine=None if engine is None else engine.to_json(),
    )
    for side, language, ids, paragraphs in (
            ("original", meta.language_original, sent_o, original),
            ("translation", meta.language_translation, sent_t, translation)):
        index_revision(session, document.id, side, language, _flat(ids),
                       [sentence for paragraph in paragraphs for sentence in paragraph.sentences])
    pause_in_write(session, "after-search-index-rows")
    record_check(session, meta.slug, "import")
    return len(_flat(sent_o)), len(_flat(sent_t))


def file_alone_unless_filed(session: Session, slug: str) -> None:
    """File a new document that no work was named for as a work of its own."""
    document = store.document_by_slug(session, slug)
    if not own_works.is_filed(session, document):
        own_works.file_as_own_work(session, document)


def add_document_files(
    database: Database,
    original_path: Path,
    translation_path: Path,
    metadata_path: Path,
    *,
    encoding: str = "utf-8",
    aligner: Aligner | None = None,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
) -> AddedDocument:
    """``bitext add``: read, decode and validate three files, then :func:`add_document`.
    Each file is measured against ``limits`` (default: the settings) before it is read."""
    limits = limits or ImportLimits.from_settings()
    meta = parse_metadata(read_json_file(metadata_path, limits.metadata_max_bytes),
                          limits.metadata)
    original, translation = (
        decode_text(read_file_bytes(path, limits.max_bytes), encoding, name=str(path))
        for path in (original_path, translation_path)
    )
    return add_document(database, meta, original, translation, aligner=aligner, limits=limits,
                        progress=progress)


class _GivenBeads:
    """An aligner that answers with the paragraph beads a file already showed."""

    name = "given"

    def __init__(self, beads: list[Bead]):
        self.beads = beads

    def align(self, source, target) -> list[Bead]:
        return self.beads


def set_status(
    database: Database, slug: str, status: str, *, despite_findings: bool = False,
    note: str = "",
) -> None:
    """``bitext publish``. Publishing a document with open translation-check findings needs
    ``despite_findings`` and a ``note``, which the audit log keeps with the count."""
    if status not in ("draft", "published"):
        raise InputError("status must be draft or published")
    checks = publication_check(database, slug, despite_findings=despite_findings,
                               note=note) if status == "published" else {}
    with database.transaction() as session:
        document = store.document_by_slug(session, slug)
        if checks:
            audit.record(session, "document.status", f"document:{slug}",
                         detail={"from": document.status, "to": status, **checks})
        document.status = status


def _segment_side(text: str, language: str, side: str, limits: ImportLimits) -> list[Paragraph]:
    return segment_side(text, language, side, max_paragraph_chars=limits.max_paragraph_chars,
                        max_sentence_chars=limits.max_sentence_chars)


def _flat(nested: list[list[int]]) -> list[int]:
    return [x for inner in nested for x in inner]


def read_json_file(path: Path, max_bytes: int) -> dict:
    """A JSON object from a file (a metadata file), checked against ``max_bytes`` first."""
    text = decode_text(read_file_bytes(path, max_bytes, "metadata_max_bytes"), name=str(path))
    return load_json_object(text, str(path))
