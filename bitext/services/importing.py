"""Import what we export (TMX, XLIFF, JSONL): store the beads exactly as in the file.

No segmentation and no re-alignment: the file's sentences become the stored sentences and
its beads the stored beads, in one transaction per document.
"""

from dataclasses import dataclass
from pathlib import Path

from bitext.core.align import DocumentAlignment
from bitext.core.metadata import parse_metadata
from bitext.errors import InputError
from bitext.formats.model import AlignedDocument, to_segments
from bitext.formats.registry import importer
from bitext.services.library import read_file_bytes, read_json_file, write_document
from bitext.store.database import Database

IMPORT_METHOD = "imported"


@dataclass(frozen=True)
class ImportedDocument:
    slug: str
    status: str
    beads: int


def import_document(
    database: Database, document: AlignedDocument, metadata: dict | None = None
) -> ImportedDocument:
    """Store one aligned document; ``metadata`` (a metadata file's content) overrides the
    file's own."""
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
    segments = to_segments(document)
    with database.transaction() as session:
        write_document(
            session, meta, segments.source, segments.target, IMPORT_METHOD,
            DocumentAlignment(segments.paragraph_beads, segments.sentence_beads),
        )
    return ImportedDocument(meta.slug, meta.status, len(segments.sentence_beads))


def import_bytes(
    database: Database, data: bytes, format_name: str, metadata: dict | None = None
) -> list[ImportedDocument]:
    documents = importer(format_name).read(data)
    if metadata is not None and len(documents) != 1:
        raise InputError("--meta applies to a file holding one document")
    return [import_document(database, d, metadata) for d in documents]


def import_file(
    database: Database, path: Path, format_name: str, metadata_path: Path | None = None
) -> list[ImportedDocument]:
    """``bitext import``: read the file (and the metadata file), then :func:`import_bytes`."""
    metadata = read_json_file(metadata_path) if metadata_path else None
    if metadata is not None and not isinstance(metadata, dict):
        raise InputError("metadata: expected a JSON object")
    return import_bytes(database, read_file_bytes(path), format_name, metadata)
