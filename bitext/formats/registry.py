"""Exporters and importers keyed by format name: the one place a new format is added.

An exporter takes a list of documents (one, or the whole library) and returns bytes; an
importer takes bytes and returns documents.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bitext.errors import InputError
from bitext.formats.model import AlignedDocument

Exporter = Callable[[list[AlignedDocument]], bytes]
Importer = Callable[[bytes], list[AlignedDocument]]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    export: Exporter | None = None
    import_: Importer | None = None
    many_documents: bool = False  # can one file hold a whole library?

    def write(self, documents: list[AlignedDocument]) -> bytes:
        if self.export is None:
            raise InputError(f"{self.name} cannot be exported")
        return self.export(documents)

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
    if fmt.export is None:
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

    register(Format("tmx", "tmx", "application/x-tmx+xml", tmx.write_tmx, tmx.read_tmx, True))
    register(Format("xliff", "xlf", "application/x-xliff+xml", _one(xliff.write_xliff),
                    xliff.read_xliff))
    register(Format("jsonl", "jsonl", "application/jsonl", jsonl.write_jsonl, jsonl.read_jsonl,
                    True))
    register(Format("csv", "csv", "text/csv; charset=utf-8", tabular.write_csv, None, True))
    register(Format("tsv", "tsv", "text/tab-separated-values; charset=utf-8",
                    tabular.write_tsv, None, True))
    register(Format("docx", "docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    _one(docx.write_docx)))


_register_defaults()
