"""Import what we export (TMX, XLIFF, JSONL): store the beads exactly as in the file.

No segmentation and no re-alignment: the file's sentences (normalised as every import's
text is) become the stored sentences and its beads the stored beads. Every document in the
file is checked before any is written, and all are written in one transaction: a bad
third document leaves nothing of the first two behind.
"""

from dataclasses import dataclass
from pathlib import Path

from bitext.core.align import DocumentAlignment
from bitext.core.metadata import DocumentMetadata, parse_metadata
from bitext.core.text.segment import Paragraph
from bitext.errors import InputError
from bitext.formats.model import AlignedDocument, Segments, to_segments
from bitext.formats.registry import importer
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.library import read_json_file, write_document
from bitext.store.database import Database

IMPORT_METHOD = "imported"


@dataclass(frozen=True)
class ImportedDocument:
    slug: str
    status: str
    beads: int
    dropped_controls: int = 0


def _checked(
    document: AlignedDocument, metadata: dict | None, limits: ImportLimits
) -> tuple[DocumentMetadata, Segments]:
    """The metadata and segments of one document, or the ``InputError`` that refuses it;
    ``metadata`` (a metadata file's content) overrides the file's own."""
    data = dict(document.metadata)
    data.update(metadata or {})
    data.setdefault("language_original", document.language_source)
    data.setdefault("language_translation", document.language_target)
    meta = parse_metadata(data, limits.metadata)
    for name, given in (("original", document.language_source),
                        ("translation", document.language_target)):
        expected = getattr(meta, f"language_{name}")
        if given and given.lower() != expected.lower():
            raise InputError(f"the file's {name} language ({given}) is not the metadata's "
                             f"({expected})")
    segments = to_segments(document)
    for name, paragraphs in (("original", segments.source), ("translation", segments.target)):
        _check_lengths(name, paragraphs, limits)
    return meta, segments


def _check_lengths(side: str, paragraphs: list[Paragraph], limits: ImportLimits) -> None:
    """The file's beads are kept as they are, so a too-long sentence cannot be cut: refuse
    it (and a too-long paragraph) by its number."""
    for number, paragraph in enumerate(paragraphs, 1):
        if len(paragraph.text) > limits.max_paragraph_chars:
            raise InputError(f"the {side} side: paragraph {number} has {len(paragraph.text):,} "
                             f"characters, more than {limits.max_paragraph_chars:,} (setting "
                             "import_max_paragraph_chars)")
        for sentence in paragraph.sentences:
            if len(sentence) > limits.max_sentence_chars:
                raise InputError(f"the {side} side: a sentence of paragraph {number} has "
                                 f"{len(sentence):,} characters, more than "
                                 f"{limits.max_sentence_chars:,} (setting "
                                 "import_max_sentence_chars)")


def import_bytes(
    database: Database, data: bytes, format_name: str, metadata: dict | None = None,
    limits: ImportLimits | None = None,
) -> list[ImportedDocument]:
    """Store every document of the file in one transaction, or none of them; ``limits``
    default to the settings."""
    limits = limits or ImportLimits.from_settings()
    if len(data) > limits.max_bytes:
        raise InputError(f"the file is larger than {limits.max_bytes:,} bytes (setting "
                         "import_max_bytes)")
    documents = importer(format_name).read(data)
    if not documents:
        raise InputError("the file holds no document")
    if metadata is not None and len(documents) != 1:
        raise InputError("--meta applies to a file holding one document")
    checked = [_checked(d, metadata, limits) for d in documents]
    with database.transaction() as session:
        for meta, segments in checked:
            removed = {"control characters": segments.dropped_controls}
            write_document(
                session, meta, segments.source, segments.target, IMPORT_METHOD,
                DocumentAlignment(segments.paragraph_beads, segments.sentence_beads),
                {"file": {"format": format_name, "removed": removed}}
                if segments.dropped_controls else None,
            )
    return [
        ImportedDocument(meta.slug, meta.status, len(segments.sentence_beads),
                         segments.dropped_controls)
        for meta, segments in checked
    ]


def import_file(
    database: Database, path: Path, format_name: str, metadata_path: Path | None = None,
    limits: ImportLimits | None = None,
) -> list[ImportedDocument]:
    """``bitext import``: read the file (and the metadata file), each measured against
    ``limits`` first, then :func:`import_bytes`."""
    limits = limits or ImportLimits.from_settings()
    metadata = (read_json_file(metadata_path, limits.metadata_max_bytes)
                if metadata_path else None)
    return import_bytes(database, read_file_bytes(path, limits.max_bytes), format_name,
                        metadata, limits)
