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
from bitext.errors import InputError
from bitext.formats.model import AlignedDocument, Segments, to_segments
from bitext.formats.registry import importer
from bitext.services.library import read_file_bytes, read_json_file, write_document
from bitext.store.database import Database

IMPORT_METHOD = "imported"


@dataclass(frozen=True)
class ImportedDocument:
    slug: str
    status: str
    beads: int
    dropped_controls: int = 0


def _checked(
    document: AlignedDocument, metadata: dict | None
) -> tuple[DocumentMetadata, Segments]:
    """The metadata and segments of one document, or the ``InputError`` that refuses it;
    ``metadata`` (a metadata file's content) overrides the file's own."""
    data = dict(document.metadata)
    data.update(metadata or {})
    data.setdefault("language_original", document.language_source)
    data.setdefault("language_translation", document.language_target)
    meta = parse_metadata(data)
    for name, given in (("original", document.language_source),
                        ("translation", document.language_target)):
        expected = getattr(meta, f"language_{name}")
        if given and given.lower() != expected.lower():
            raise InputError(f"the file's {name} language ({given}) is not the metadata's "
                             f"({expected})")
    return meta, to_segments(document)


def import_bytes(
    database: Database, data: bytes, format_name: str, metadata: dict | None = None
) -> list[ImportedDocument]:
    """Store every document of the file in one transaction, or none of them."""
    documents = importer(format_name).read(data)
    if not documents:
        raise InputError("the file holds no document")
    if metadata is not None and len(documents) != 1:
        raise InputError("--meta applies to a file holding one document")
    checked = [_checked(d, metadata) for d in documents]
    with database.transaction() as session:
        for meta, segments in checked:
            write_document(
                session, meta, segments.source, segments.target, IMPORT_METHOD,
                DocumentAlignment(segments.paragraph_beads, segments.sentence_beads),
            )
    return [
        ImportedDocument(meta.slug, meta.status, len(segments.sentence_beads),
                         segments.dropped_controls)
        for meta, segments in checked
    ]


def import_file(
    database: Database, path: Path, format_name: str, metadata_path: Path | None = None
) -> list[ImportedDocument]:
    """``bitext import``: read the file (and the metadata file), then :func:`import_bytes`."""
    metadata = read_json_file(metadata_path) if metadata_path else None
    if metadata is not None and not isinstance(metadata, dict):
        raise InputError("metadata: expected a JSON object")
    return import_bytes(database, read_file_bytes(path), format_name, metadata)
