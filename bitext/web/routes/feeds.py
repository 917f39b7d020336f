"""What machines read: the Atom feed of new and corrected documents, the sitemap, and
robots.txt. Links in them are absolute (the ``public_base_url`` setting, else the address
the request came to)."""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from bitext.services import feeds
from bitext.web.dependencies import LibraryDep, SettingsDep
from bitext.web.templating import absolute_url_for, base_url_of

router = APIRouter(include_in_schema=False)


@router.get("/feed.atom", name="feed")
def feed(request: Request, database: LibraryDep, settings: SettingsDep) -> Response:
    """Newly published and corrected documents, newest first."""
    updates = feeds.recent_updates(database, max_notes=settings.feed_max_notes_per_entry,
                                   note_max_chars=settings.feed_note_max_chars)
    body = feeds.atom_feed(updates,
                           base_url=base_url_of(request),
                           feed_url=absolute_url_for(request, "feed"))
    return Response(body, media_type="application/atom+xml")


@router.get("/sitemap.xml", name="sitemap")
def sitemap(request: Request, database: LibraryDep, settings: SettingsDep) -> Response:
    pages = feeds.site_pages(database, base_url=base_url_of(request),
                             library_url=absolute_url_for(request, "library"),
                             max_urls=settings.sitemap_max_urls)
    return Response(feeds.sitemap(pages), media_type="application/xml")


@router.get("/robots.txt", name="robots")
def robots(request: Request) -> PlainTextResponse:
    return PlainTextResponse(
        "User-agent: *\nDisallow: /editor/\nDisallow: /login\n"
        f"Sitemap: {absolute_url_for(request, 'sitemap')}\n")
