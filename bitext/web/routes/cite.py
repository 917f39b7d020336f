"""Citation files (BibTeX, RIS, CSL-JSON) and whole-document exports, as downloads.

Both stream their chunks as they come, so an export is never built whole in the server's
memory. The cite page itself is a reader's page (``bitext.web.routes.reading``).
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from bitext.formats.registry import export_formats
from bitext.services import export as service
from bitext.web.dependencies import LibraryDep, SettingsDep
from bitext.web.templating import base_url_of

router = APIRouter()

EXPORT_NAMES = f"^({'|'.join(f.name for f in export_formats())})$"  # what ?format= takes


def _download(file: service.ExportFile) -> Response:
    return StreamingResponse(
        iter(file.chunks),
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


@router.get("/documents/{slug}/cite.{ext}", name="citation_download")
def citation_download(
    request: Request, database: LibraryDep, settings: SettingsDep, slug: str, ext: str,
    paragraph: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) of a document or one paragraph."""
    file = service.citation_file(
        database, slug, ext, paragraph=paragraph,
        base_url=base_url_of(request), library_name=settings.library_name,
    )
    return _download(file)


@router.get("/api/documents/{slug}/export", name="export")
def export(
    database: LibraryDep, slug: str,
    format: Annotated[str, Query(pattern=EXPORT_NAMES)] = "tmx",  # noqa: A002
) -> Response:
    """The document in one of the export formats (the pattern names them), as a download."""
    return _download(service.export_document(database, slug, format))
