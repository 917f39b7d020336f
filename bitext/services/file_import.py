"""``bitext add`` from documents as people receive them: DOCX, PDF, HTML, Markdown, text.

Each file's format is detected from its content (then its name), read into paragraphs,
and what was left out on the way (running heads and feet, page numbers, comments,
scripts, navigation) is tallied into an import report that is printed, and stored with
the document's audit row. One bilingual file is split into its two sides and the pairing
it shows is kept as the paragraph alignment. A dry run reads and reports, and writes
nothing.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bitext.core.align.base import Bead
from bitext.core.metadata import DocumentMetadata, parse_metadata
from bitext.core.text.normalize import dropped_controls
from bitext.errors import ChoiceNeeded, InputError
from bitext.formats.readers.bilingual import split_bilingual
from bitext.formats.readers.detect import detect_format
from bitext.formats.readers.docx import read_docx
from bitext.formats.readers.html import read_html
from bitext.formats.readers.model import ReadDocument
from bitext.formats.readers.pdf import read_pdf
from bitext.formats.readers.text import read_markdown, read_text
from bitext.services.alignment import Progress
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.library import AddedDocument, Library, add_document, read_json_file
from bitext.store.database import Session


@dataclass(frozen=True)
class SideReport:
    """What one side's file gave and what was left out of it."""

    file: str
    format: str
    paragraphs: int
    headings: int
    list_items: int
    notes: int
    pages: int | None = None
    joined_lines: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """For the audit row: the counts that are not nothing, and always the paragraphs."""
        return {k: v for k, v in self.__dict__.items()
                if k == "paragraphs" or v not in (None, {}, 0)}


@dataclass(frozen=True)
class PreparedImport:
    meta: DocumentMetadata
    original: list[str]
    translation: list[str]
    sides: tuple[SideReport, SideReport]
    layout: str | None = None  # a bilingual file's layout
    pairs: list[Bead] | None = None

    def report(self) -> dict:
        report: dict = {"original": self.sides[0].as_dict(),
                        "translation": self.sides[1].as_dict()}
        if self.layout:
            report["bilingual_layout"] = self.layout
            report["bilingual_pairs"] = len(self.pairs or [])
        return report

    def to_json(self) -> dict:
        """Everything the import needs, as JSON (a web import waits in the database)."""
        return {
            "meta": self.meta.model_dump(mode="json", exclude_none=True),
            "original": self.original, "translation": self.translation,
            "sides": [asdict(side) for side in self.sides], "layout": self.layout,
            "pairs": None if self.pairs is None else [
                [list(b.source), list(b.target)] for b in self.pairs],
        }

    @classmethod
    def from_json(cls, data: dict) -> "PreparedImport":
        sides = [SideReport(**side) for side in data["sides"]]
        pairs = data.get("pairs")
        return cls(
            DocumentMetadata.model_validate(data["meta"]), data["original"],
            data["translation"], (sides[0], sides[1]), data.get("layout"),
            None if pairs is None else [Bead(tuple(s), tuple(t)) for s, t in pairs])


def read_document(data: bytes, name: str, *, format_name: str | None = None,
                  encoding: str | None = None, language: str = "en") -> ReadDocument:
    """The file's paragraphs by the reader its content (or ``format_name``) calls for."""
    chosen = detect_format(data, name, format_name)
    if chosen == "docx":
        return read_docx(data)
    if chosen == "pdf":
        return read_pdf(data)
    if chosen == "html":
        return read_html(data, encoding=encoding, name=name)
    if chosen == "markdown":
        return read_markdown(data, encoding=encoding or "utf-8", name=name)
    return read_text(data, language=language, encoding=encoding or "utf-8", name=name)


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (for format detection and messages) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path, max_bytes: int) -> "Upload":
        """The file's bytes, or one line refusing it (missing, larger than ``max_bytes``)."""
        return cls(str(path), read_file_bytes(path, max_bytes))


def prepare_import(
    original_path: Path, translation_path: Path | None, metadata_path: Path, *,
    format_name: str | None = None, encoding: str | None = None,
    limits: ImportLimits | None = None,
) -> PreparedImport:
    """Read and check everything an import needs; nothing is written."""
    limits = limits or ImportLimits.from_settings()
    metadata = read_json_file(metadata_path, limits.metadata_max_bytes)
    files = [Upload.from_path(path, limits.max_bytes)
             for path in (original_path, translation_path) if path is not None]
    return prepare_uploads(files[0], files[1] if len(files) > 1 else None, metadata,
                           format_name=format_name, encoding=encoding, limits=limits)


def prepare_uploads(
    original: Upload, translation: Upload | None, metadata: object, *,
    format_name: str | None = None, encoding: str | None = None,
    limits: ImportLimits | None = None,
) -> PreparedImport:
    """:func:`prepare_import` of files already in memory (the web's upload form), each
    measured against ``limits`` first."""
    limits = limits or ImportLimits.from_settings()
    for upload in (original, translation):
        if upload is not None and len(upload.data) > limits.max_bytes:
            raise InputError(f"{upload.name}: larger than {limits.max_bytes:,} bytes "
                             "(setting import_max_bytes)")
    meta = parse_metadata(metadata, limits.metadata)
    if translation is None:
        return _prepare_bilingual(meta, original, format_name, encoding)
    original_text, original_read = read_side(original, "original", format_name=format_name,
                                             encoding=encoding, language=meta.language_original)
    translation_text, translation_read = read_side(
        translation, "translation", format_name=format_name, encoding=encoding,
        language=meta.language_translation)
    return PreparedImport(meta, original_text, translation_text,
                          (original_read, translation_read))


def read_side(upload: Upload, side: str, *, format_name: str | None, encoding: str | None,
              language: str) -> tuple[list[str], SideReport]:
    """One side's paragraphs (its notes numbered after them) and what the file gave and
    left out; errors name the file, and an empty file is refused."""
    document = _read(upload, format_name, encoding, language)
    paragraphs = [b.text for b in document.blocks]
    paragraphs += [f"[{n}] {note.text}" for n, note in enumerate(document.notes, 1)]
    if not paragraphs:
        raise InputError(f"the {side} text is empty (no text found in {upload.name})")
    return paragraphs, _side_report(upload.name, document)


def _prepare_bilingual(meta: DocumentMetadata, upload: Upload, format_name: str | None,
                       encoding: str | None) -> PreparedImport:
    document = _read(upload, format_name, encoding, meta.language_original)
    split = split_bilingual(document, meta.language_original, meta.language_translation)
    removed = Counter(document.removed)
    if document.notes:
        removed["notes (not kept from a bilingual file)"] += len(document.notes)
    # the file's report goes with the original; the translation side counts its paragraphs
    name = Path(upload.name).name
    original = SideReport(name, document.format, len(split.original), 0, 0, 0,
                          document.pages, document.joined_lines, dict(sorted(removed.items())))
    translation = SideReport(name, document.format, len(split.translation), 0, 0, 0)
    beads = [Bead(source, target) for source, target in split.pairs]
    return PreparedImport(meta, split.original, split.translation, (original, translation),
                          split.layout, beads)


def _named(name: str, message: str) -> str:
    return message if message.startswith(name) else f"{name}: {message}"


def _read(upload: Upload, format_name: str | None, encoding: str | None,
          language: str) -> ReadDocument:
    name = upload.name
    try:
        document = read_document(upload.data, name, format_name=format_name,
                                 encoding=encoding, language=language)
    except ChoiceNeeded as error:  # the interface words how to choose: kept one
        raise ChoiceNeeded(_named(name, error.problem), error.option,
                           error.suggested) from None
    except InputError as error:
        raise InputError(_named(name, error.message)) from None
    document.removed["control characters"] += sum(dropped_controls(b.text)
                                                  for b in document.blocks)
    document.removed = +document.removed  # the kinds of which nothing was left out go
    return document


def _side_report(name: str, document: ReadDocument) -> SideReport:
    return SideReport(
        Path(name).name, document.format, len(document.blocks), document.count("heading"),
        document.count("item"), len(document.notes), document.pages, document.joined_lines,
        dict(sorted(document.removed.items())))


def add_from_files(
    database: Library, prepared: PreparedImport, *, limits: ImportLimits | None = None,
    progress: Progress | None = None, aligner=None,
    also_write: Callable[[Session, dict], None] | None = None,
) -> AddedDocument:
    """Segment, align and store what :func:`prepare_import` read, in one transaction
    (with ``also_write``'s rows, given the final report)."""
    added = add_document(
        database, prepared.meta, "\n".join(prepared.original), "\n".join(prepared.translation),
        aligner=aligner, limits=limits, progress=progress, paragraph_beads=prepared.pairs,
        report=prepared.report(), also_write=also_write)
    controls = sum(side.removed.get("control characters", 0) for side in prepared.sides)
    return replace(added, dropped_controls=added.dropped_controls + controls)
