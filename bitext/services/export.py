"""Use cases: cite a document or paragraph, export one document or the whole library."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from bitext.core.cite import citation_record, render_citation
from bitext.core.cite.render import render_bibtex, render_csl_json, render_ris
from bitext.errors import NotFound
from bitext.formats.model import AlignedDocument, from_view
from bitext.formats.registry import exporter
from bitext.services.reading import PUBLIC_STATUSES, DocumentView, get_document
from bitext.store.catalogue import document_slugs
from bitext.store.database import Database

CITATION_FILES = {
    "bib": ("application/x-bibtex; charset=utf-8", render_bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", render_ris),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", render_csl_json),
}


@dataclass(frozen=True)
class ExportFile:
    """A file to hand out; ``chunks`` may be a stream that can be read once."""

    filename: str
    media_type: str
    chunks: Iterable[bytes]

    @property
    def content(self) -> bytes:
        """The whole file, for callers that want it in memory (reads the stream)."""
        return b"".join(self.chunks)


def _record(view: DocumentView, paragraph: int | None, library_name: str, base_url: str):
    if paragraph is not None and not 1 <= paragraph <= len(view.rows):
        raise NotFound("Paragraph not found")
    return citation_record(view.meta, library_name=library_name, base_url=base_url,
                           paragraph=paragraph, version=view.meta.work_version)


def cite(
    database: Database,
    slug: str,
    style: str = "chicago",
    *,
    paragraph: int | None = None,
    html: bool = False,
    library_name: str = "bitext",
    base_url: str = "",
) -> str:
    """The citation of a document (or one paragraph) in chicago, apa or mla."""
    return cite_view(get_document(database, slug), style, paragraph=paragraph, html=html,
                     library_name=library_name, base_url=base_url)


def cite_view(
    view: DocumentView,
    style: str = "chicago",
    *,
    paragraph: int | None = None,
    html: bool = False,
    library_name: str = "bitext",
    base_url: str = "",
) -> str:
    """``cite`` for a document already read (the reader shows three styles at once)."""
    record = _record(view, paragraph, library_name, base_url)
    return render_citation(record, style, html=html, paragraph=paragraph)


def citation_file(
    database: Database,
    slug: str,
    extension: str,
    *,
    paragraph: int | None = None,
    library_name: str = "bitext",
    base_url: str = "",
) -> ExportFile:
    """BibTeX (``bib``), RIS (``ris``) or CSL-JSON (``json``) for a document or paragraph."""
    if extension not in CITATION_FILES:
        raise NotFound("Citation format not found")
    media_type, render = CITATION_FILES[extension]
    view = get_document(database, slug)
    record = _record(view, paragraph, library_name, base_url)
    suffix = f"-p{paragraph}" if paragraph is not None else ""
    return ExportFile(f"{slug}{suffix}.{extension}", media_type,
                      (render(record).encode("utf-8"),))


def citation_meta_tags(
    view: DocumentView, *, library_name: str = "bitext", base_url: str = ""
) -> list[tuple[str, str]]:
    """Highwire ``citation_*`` and Dublin Core ``DC.*`` meta tags for a document page,
    which Zotero and Google Scholar read."""
    meta = view.meta
    record = citation_record(meta, library_name=library_name, base_url=base_url,
                             version=meta.work_version)
    authors = [a["literal"] for a in record.get("author", [])]
    tags: list[tuple[str, str]] = [("citation_title", record["title"])]
    tags += [("citation_author", a) for a in authors]
    if meta.cited_date:  # the version translated, else the original
        tags.append(("citation_publication_date", meta.cited_date.strftime("%Y/%m/%d")))
    tags.append(("citation_publisher", library_name))
    tags.append(("citation_public_url", record["URL"]))
    tags.append(("citation_language", meta.language_translation))
    tags += [("citation_keywords", t) for t in meta.tags]
    tags.append(("DC.title", record["title"]))
    tags += [("DC.creator", a) for a in authors]
    if meta.cited_date:
        tags.append(("DC.date", meta.cited_date.isoformat()))
    tags.append(("DC.publisher", library_name))
    tags.append(("DC.language", meta.language_translation))
    tags.append(("DC.identifier", record["URL"]))
    tags.append(("DC.type", "Text"))
    if meta.source:
        tags.append(("DC.source", record.get("original-publisher", meta.source)))
    if meta.summary:
        tags.append(("DC.description", meta.summary))
    return tags


def aligned_document(database: Database, slug: str) -> AlignedDocument:
    return from_view(get_document(database, slug))


def export_document(database: Database, slug: str, format_name: str) -> ExportFile:
    """The document in chunks: read (and any error raised) before the first one is sent."""
    fmt = exporter(format_name)
    chunks = _started(fmt.chunks([aligned_document(database, slug)]))
    return ExportFile(f"{slug}.{fmt.extension}", fmt.media_type, chunks)


def published_slugs(database: Database) -> list[str]:
    with database.reader() as session:
        return document_slugs(session, PUBLIC_STATUSES)


def export_library(
    database: Database,
    format_name: str,
    on_progress: Callable[[str], None] | None = None,
) -> ExportFile:
    """Every published document in one file (of a format that can hold many), in chunks:
    each document is read from the database when the writer reaches it, never all at once."""
    fmt = exporter(format_name)
    if not fmt.many_documents:
        raise NotFound(f"{format_name} holds one document per file")
    slugs = published_slugs(database)
    if not slugs:
        raise NotFound("the library has no published documents")

    def documents() -> Iterator[AlignedDocument]:
        for slug in slugs:
            yield aligned_document(database, slug)
            if on_progress:
                on_progress(slug)

    return ExportFile(f"library.{fmt.extension}", fmt.media_type, fmt.chunks(documents()))


def _started(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The same chunks, the first already made, so a writer's error comes before a web
    response has begun."""
    first = next(chunks, None)
    return chain([first] if first is not None else [], chunks)
