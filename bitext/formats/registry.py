"""Exporters and importers keyed by format name: the one place a new format is added.

A format exports in one of two ways: a streaming writer takes the documents (one, or the
whole library, read one at a time) and yields the file in chunks; a whole-file writer
(DOCX, XLIFF through translate-toolkit) takes them all and returns bytes. Callers use
:meth:`Format.chunks` either way. An importer takes bytes and returns documents.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bitext.errors import InputError
from bitext.formats.model import AlignedDocument

Exporter = Callable[[list[AlignedDocument]], bytes]
StreamingExporter = Callable[[Iterable[AlignedDocument]], Iterator[bytes]]
Importer = Callable[[bytes], list[AlignedDocument]]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    export: Exporter | None = None
    import_: Importer | None = None
    many_documents: bool = False  # can one file hold a whole library?
    stream: StreamingExporter | None = None  # instead of ``export``, for formats that can

    def chunks(self, documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
        """The file in chunks; a whole-file writer's bytes are one chunk."""
        if self.stream is not None:
            return self.stream(documents)
        if self.export is None:
            raise InputError(f"{self.name} cannot be exported")
        return iter([self.export(list(documents))])

    def write(self, documents: Iterable[AlignedDocument]) -> bytes:
        return b"".join(self.chunks(documents))

    def read(self, data: bytes) -> list[AlignedDocument]:
        if self.import_ is None:
            raise InputError(f"{self.name} cannot be imported")
        return self.import_(data)


FORMATS: dict[str, Format] = {}


def register(format_: Format) -> None:
    FORMATS[format_.name] = format_


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(f"unknown format; choose one of: {', '.join(sorted(FORMATS))}") from None


def exporter(name: str) -> Format:
    fmt = get_format(name)
    if fmt.export is None and fmt.stream is None:
        raise InputError(f"{name} cannot be exported")
    return fmt


def importer(name: str) -> Format:
    fmt = get_format(name)
    if fmt.import_ is None:
        raise InputError(f"{name} cannot be imported; import one of: "
                         f"{', '.join(sorted(n for n, f in FORMATS.items() if f.import_))}")
    return fmt


def _one(write: Callable[[AlignedDocument], bytes]) -> Exporter:
    def export(documents: list[AlignedDocument]) -> bytes:
        if len(documents) != 1:
            raise InputError("this format holds one document per file")
        return write(documents[0])

    return export


def _register_defaults() -> None:
    from bitext.formats import docx, jsonl, tabular, tmx, xliff

    register(Format("tmx", "tmx", "application/x-tmx+xml", None, tmx.read_tmx, True,
                    tmx.tmx_chunks))
    register(Format("xliff", "xlf", "application/x-xliff+xml", _one(xliff.write_xliff),
                    xliff.read_xliff))
    register(Format("jsonl", "jsonl", "application/jsonl", None, jsonl.read_jsonl, True,
                    jsonl.jsonl_chunks))
    register(Format("csv", "csv", "text/csv; charset=utf-8", None, None, True,
                    tabular.csv_chunks))
    register(Format("tsv", "tsv", "text/tab-separated-values; charset=utf-8", None, None, True,
                    tabular.tsv_chunks))
    register(Format("docx", "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    _one(docx.write_docx)))


_register_defaults()
