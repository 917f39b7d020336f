"""The read models of citing: the "Cite" section of a document and its cite page
(``cite_panel``, with the citation files and exports it links to), and the tags reference
managers read in a document page's ``<head>`` (``head_tags``). The routes that serve the
files are in ``bitext.web.routes.cite``.
"""

from dataclasses import dataclass

from fastapi import Request
from markupsafe import Markup

from bitext.core.cite import permalink
from bitext.formats.registry import export_formats
from bitext.services import export as service
from bitext.services.reading import DocumentView
from bitext.web.templating import base_url_of
from bitext.web.views.languages import og_locale

STYLES = {"chicago": "Chicago", "apa": "APA", "mla": "MLA"}  # in the order shown
CITATION_FILES = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


@dataclass(frozen=True)
class Citation:
    style: str
    label: str
    html: Markup  # escaped by the citation renderer; italics are its only markup
    text: str  # what the copy button puts on the clipboard


@dataclass(frozen=True)
class CitePanel:
    """The citations of a document or one paragraph, in every style, with the files."""

    slug: str
    paragraph: int | None
    citations: list[Citation]
    files: list[tuple[str, str]]  # (label, path)
    exports: list[tuple[str, str]]  # (label, path); whole documents only


def cite_panel(request: Request, view: DocumentView, *, paragraph: int | None = None,
               first: str = "chicago") -> CitePanel:
    """``first`` puts the chosen style at the top (the cite page's ``?style=``)."""
    base_url = base_url_of(request)
    slug = view.meta.slug
    order = [first, *(s for s in STYLES if s != first)]
    citations = [
        Citation(
            style, STYLES[style],
            Markup(service.cite_view(view, style, paragraph=paragraph, html=True,  # noqa: S704
                                     base_url=base_url, library_name=library_name_of(request))),
            service.cite_view(view, style, paragraph=paragraph, base_url=base_url,
                              library_name=library_name_of(request)),
        )
        for style in order
    ]
    query = f"?paragraph={paragraph}" if paragraph is not None else ""
    files = [(label, request.url_for("citation_download", slug=slug, ext=ext).path + query)
             for ext, label in CITATION_FILES.items()]
    export_path = request.url_for("export", slug=slug).path
    exports = [(f.label, f"{export_path}?format={f.name}") for f in export_formats()]
    return CitePanel(slug, paragraph, citations, files, exports)


@dataclass(frozen=True)
class HeadTags:
    """What Zotero, Google Scholar and link previews read in a document page's head."""

    canonical: str
    names: list[tuple[str, str]]  # <meta name=...>: Highwire citation_* and Dublin Core
    properties: list[tuple[str, str]]  # <meta property=...>: OpenGraph


def head_tags(request: Request, view: DocumentView) -> HeadTags:
    meta = view.meta
    site_name = library_name_of(request)
    base_url = base_url_of(request)
    url = permalink(meta.slug, base_url=base_url)
    description = meta.summary or (
        f"{meta.title_translation} [{meta.title_original}]: the original and its "
        "translation, side by side.")
    properties = [
        ("og:title", f"{meta.title_translation} [{meta.title_original}]"),
        ("og:type", "article"),
        ("og:url", url),
        ("og:description", description),
        ("og:locale", og_locale(meta.language_translation)),
        ("og:locale:alternate", og_locale(meta.language_original)),
        ("og:site_name", site_name),
    ]
    if meta.cited_date:
        properties.append(("article:published_time", meta.cited_date.isoformat()))
    names = service.citation_meta_tags(view, library_name=site_name, base_url=base_url)
    return HeadTags(url, names, properties)


def library_name_of(request: Request) -> str:
    """The library's name in citations (the ``library_name`` setting)."""
    return request.app.state.settings.library_name
