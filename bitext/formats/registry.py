"""Exporters and importers keyed by format name: the one place a new format is added.

A format is one module and one ``register`` call in ``_register_defaults``. Everything that
offers formats reads them from here: the reader's download links, the export route's
accepted names, the CLI's help, completion and ``--all`` check, the importer's choices.

A format exports in one of two ways: a streaming writer (``streamer``) takes the documents
(one, or the whole library, read one at a time) and yields the file in chunks, so it can
hold a whole library; a one-document writer (``writer``: DOCX, XLIFF through
translate-toolkit) takes one document and returns its bytes. Callers use
:meth:`Format.chunks` either way. A reader (``reader``) takes bytes and returns documents.

Writers and readers are named as ``"module:function"`` and imported on first use, so
listing the formats (``bitext --help``, a page's download links) loads no format library.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from bitext.errors import InputError
from bitext.formats.model import AlignedDocument


@dataclass(frozen=True)
class Format:
    name: str  # what ``--format`` and ``?format=`` take
    label: str  # what people call it, on download links
    extension: str
    media_type: str
    writer: str | None = None  # "module:function(AlignedDocument) -> bytes"
    streamer: str | None = None  # "module:function(Iterable[AlignedDocument]) -> Iterator[bytes]"
    reader: str | None = None  # "module:function(bytes) -> list[AlignedDocument]"
    binary: bool = False  # not for a terminal: the CLI asks for ``--output``

    @property
    def exports(self) -> bool:
        return self.writer is not None or self.streamer is not None

    @property
    def imports(self) -> bool:
        return self.reader is not None

    @property
    def many_documents(self) -> bool:
        """Can one file hold a whole library? (Only a streaming writer can.)"""
        return self.streamer is not None

    def chunks(self, documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
        """The file in chunks; a one-document writer's bytes are one chunk."""
        if self.streamer is not None:
            return _loaded(self.streamer)(documents)
        if self.writer is None:
            raise InputError(f"{self.name} cannot be exported")
        documents = list(documents)
        if len(documents) != 1:
            raise InputError("this format holds one document per file")
        return iter([_loaded(self.writer)(documents[0])])

    def write(self, documents: Iterable[AlignedDocument]) -> bytes:
        """The whole file at once (tests and small files)."""
        return b"".join(self.chunks(documents))

    def read(self, data: bytes) -> list[AlignedDocument]:
        if self.reader is None:
            raise InputError(f"{self.name} cannot be imported")
        return _loaded(self.reader)(data)


FORMATS: dict[str, Format] = {}


def register(format_: Format) -> None:
    FORMATS[format_.name] = format_


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(f"unknown format; choose one of: {', '.join(sorted(FORMATS))}") from None


def export_formats() -> list[Format]:
    """The formats a document can be exported to, in the order they were registered."""
    return [f for f in FORMATS.values() if f.exports]


def import_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.imports]


def exporter(name: str) -> Format:
    fmt = get_format(name)
    if not fmt.exports:
        raise InputError(f"{name} cannot be exported")
    return fmt


def importer(name: str) -> Format:
    fmt = get_format(name)
    if not fmt.imports:
        raise InputError(f"{name} cannot be imported; import one of: "
                         f"{', '.join(sorted(f.name for f in import_formats()))}")
    return fmt


def _loaded(reference: str) -> Callable[..., Any]:
    module, _, function = reference.partition(":")
    return getattr(import_module(module), function)


def _register_defaults() -> None:
    """Shipped the way a third party would add one."""
    register(Format("tmx", "TMX", "tmx", "application/x-tmx+xml",
                    streamer="bitext.formats.tmx:tmx_chunks", reader="bitext.formats.tmx:read_tmx"))
    register(Format("xliff", "XLIFF", "xlf", "application/x-xliff+xml",
                    writer="bitext.formats.xliff:write_xliff",
                    reader="bitext.formats.xliff:read_xliff"))
    register(Format("jsonl", "JSONL", "jsonl", "application/jsonl",
                    streamer="bitext.formats.jsonl:jsonl_chunks",
                    reader="bitext.formats.jsonl:read_jsonl"))
    register(Format("csv", "CSV", "csv", "text/csv; charset=utf-8",
                    streamer="bitext.formats.tabular:csv_chunks"))
    register(Format("tsv", "TSV", "tsv", "text/tab-separated-values; charset=utf-8",
                    streamer="bitext.formats.tabular:tsv_chunks"))
    register(Format("docx", "DOCX", "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    writer="bitext.formats.docx:write_docx", binary=True))


_register_defaults()
