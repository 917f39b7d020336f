"""What changed in the library, for machines: the Atom feed and the sitemap.

Both are built with ``xml.etree.ElementTree``, so every title, note and URL is escaped by
the XML library, never by hand. Only published documents appear; drafts and withdrawn
documents never do.
"""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from bitext.core.cite import permalink
from bitext.core.cite.record import author_display
from bitext.services.history import corrections
from bitext.services.reading import PUBLIC_STATUSES
from bitext.store.catalogue import documents_newest_update_first
from bitext.store.database import Database

FEED_MAX_ENTRIES = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot hold even escaped (ElementTree would write them as they are).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Update:
    """A published document as the feed and the sitemap see it."""

    slug: str
    title_original: str
    title_translation: str
    language: str  # of the translation, which the feed's readers read
    authors: tuple[str, ...]  # "Romanized (original)"
    summary: str | None
    tags: tuple[str, ...]
    created_at: dt.datetime
    corrected_at: dt.datetime | None
    notes: tuple[str, ...] = ()  # the editors' correction notes, newest first
    notes_left_out: int = 0  # beyond the feed's cap on notes per entry

    @property
    def updated_at(self) -> dt.datetime:
        if self.corrected_at and self.corrected_at > self.created_at:
            return self.corrected_at
        return self.created_at

    @property
    def title(self) -> str:
        return f"{self.title_translation} [{self.title_original}]"


def recent_updates(database: Database, *, limit: int | None = FEED_MAX_ENTRIES,
                   with_notes: bool = True, max_notes: int = 10,
                   note_max_chars: int = 500) -> list[Update]:
    """Published documents, newest first by max(created_at, corrected_at); with the
    correction notes of corrected ones (for the feed; the sitemap needs none): the newest
    ``max_notes``, each cut to ``note_max_chars``, so an entry stays small however often a
    document was corrected."""
    with database.reader() as session:
        updates = [
            Update(
                d.slug, d.title_original, d.title_translation, d.language_translation,
                tuple(author_display(a.name, a.romanized) for a in d.authors), d.summary,
                tuple(t.name for t in d.tags), d.created_at, d.corrected_at,
            )
            for d in documents_newest_update_first(session, PUBLIC_STATUSES, limit)
        ]
    if not with_notes:
        return updates
    return [_with_notes(database, u, max_notes, note_max_chars) if u.corrected_at else u
            for u in updates]


def _with_notes(database: Database, update: Update, max_notes: int,
                note_max_chars: int) -> Update:
    notes = list(dict.fromkeys(c.note for c in corrections(database, update.slug) if c.note))
    kept = tuple(_cut(note, note_max_chars) for note in notes[:max_notes])
    return replace(update, notes=kept, notes_left_out=len(notes) - len(kept))


def _cut(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[:max_chars - 1].rstrip() + "…"


def atom_feed(updates: list[Update], *, base_url: str, feed_url: str,
              title: str = "bitext: new and corrected documents") -> bytes:
    """An Atom 1.0 document (RFC 4287); entry ids are the documents' permalinks, so a
    correction updates the entry a reader already has instead of adding another."""
    site_url = base_url.rstrip("/") + "/"
    feed = ET.Element("feed", xmlns=ATOM_NS)
    _text(feed, "id", feed_url)
    _text(feed, "title", title)
    newest = max((u.updated_at for u in updates), default=dt.datetime(2000, 1, 1))
    _text(feed, "updated", _rfc3339(newest))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=site_url)
    _text(ET.SubElement(feed, "author"), "name", "bitext")
    _text(feed, "generator", "bitext")
    for update in updates:
        url = permalink(update.slug, base_url=base_url)
        entry = ET.SubElement(feed, "entry", {XML_LANG: update.language})
        _text(entry, "id", url)
        _text(entry, "title", update.title)
        _text(entry, "published", _rfc3339(update.created_at))
        _text(entry, "updated", _rfc3339(update.updated_at))
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        for name in update.authors:
            _text(ET.SubElement(entry, "author"), "name", name)
        for tag in update.tags:
            ET.SubElement(entry, "category", term=_clean(tag))
        _text(entry, "summary", update.summary or f"{update.title}: the original and its "
              "translation, side by side.")
        if update.corrected_at:
            _text(entry, "content", _correction_text(update), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap(pages: list[tuple[str, dt.datetime | None]]) -> bytes:
    """A sitemaps.org ``urlset`` of (absolute URL, last modified) pairs."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url, modified in pages:
        entry = ET.SubElement(urlset, "url")
        _text(entry, "loc", url)
        if modified:
            _text(entry, "lastmod", modified.date().isoformat())
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def site_pages(database: Database, *, base_url: str, library_url: str,
               max_urls: int) -> list[tuple[str, dt.datetime | None]]:
    """The library page and the published documents, newest first, ``max_urls`` in all
    (one sitemap file may list 50,000 at most)."""
    updates = recent_updates(database, limit=max(max_urls - 1, 0), with_notes=False)
    newest = updates[0].updated_at if updates else None
    return [(library_url, newest)] + [
        (permalink(u.slug, base_url=base_url), u.updated_at) for u in updates
    ]


def _correction_text(update: Update) -> str:
    when = update.corrected_at.date().isoformat() if update.corrected_at else ""
    if not update.notes:
        return f"Corrected on {when}."
    more = f" (and {update.notes_left_out} earlier)" if update.notes_left_out else ""
    return f"Corrected on {when}. Corrections: " + "; ".join(update.notes) + more


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _rfc3339(value: dt.datetime) -> str:
    """Stored times are naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
