"""Web pages (lxml's HTML parser): the main text only, headings, list items, notes, tables.

The encoding is decided before parsing, as browsers do: a byte-order mark wins, then the
page's ``<meta charset>``, then UTF-8; the bytes must then decode strictly (a page whose
declaration lies is refused, not read as mojibake). Only text nodes of kept elements are
read, so scripts, styles, iframes, links' targets and event handlers can never reach the
stored text; what was skipped is counted. The main text is ``<main>`` or the one
``<article>`` when the page has one, and never navigation, banners, footers or asides.
"""

import codecs
import re

import lxml.html
from lxml import etree

from bitext.core.text.decode import decode_text
from bitext.core.text.normalize import dropped_controls, normalize_text
from bitext.errors import ChoiceNeeded, InputError
from bitext.formats.readers.lines import tidy
from bitext.formats.readers.model import Block, Note, ReadDocument

_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_DROPPED = {  # element -> what the import report calls it
    "script": "scripts", "noscript": "scripts", "style": "styles", "iframe": "iframes",
    "frame": "iframes", "object": "embedded objects", "embed": "embedded objects",
    "template": "templates", "nav": "navigation", "header": "page headers",
    "footer": "page footers", "aside": "asides", "form": "forms", "button": "forms",
    "select": "forms", "textarea": "forms", "svg": "images", "canvas": "images",
    "head": None, "title": None, "meta": None, "link": None,
}
_DROPPED_ROLES = {"navigation": "navigation", "banner": "page headers",
                  "contentinfo": "page footers", "complementary": "asides",
                  "search": "forms"}
_WIDGET_WORDS = re.compile(r"(?:^|[\s_-])(share|social|cookie|breadcrumbs?|menu|sidebar)"
                           r"(?:$|[\s_-])", re.IGNORECASE)
_BLOCKS = {"p": "paragraph", "h1": "heading", "h2": "heading", "h3": "heading",
           "h4": "heading", "h5": "heading", "h6": "heading", "li": "item", "dt": "paragraph",
           "dd": "paragraph", "blockquote": "paragraph", "pre": "paragraph",
           "figcaption": "paragraph", "caption": "paragraph", "td": "paragraph",
           "th": "paragraph", "div": "paragraph", "section": "paragraph",
           "article": "paragraph", "main": "paragraph", "body": "paragraph",
           "address": "paragraph", "center": "paragraph", "table": "paragraph",
           "tr": "paragraph", "ul": "paragraph", "ol": "paragraph", "dl": "paragraph",
           "hr": "paragraph", "br": None}
_NOTE_CONTAINER = re.compile(r"(?:^|\s)(footnotes?|endnotes?|doc-endnotes|doc-footnote|"
                             r"doc-endnote)(?:$|\s)", re.IGNORECASE)


def page_encoding(data: bytes) -> tuple[str, str]:
    """(encoding, where it came from): the byte-order mark, the meta charset, or UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, "byte-order mark"
    found = _META_CHARSET.search(data[:4096])
    if found:
        name = found.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            raise InputError(f"the page's meta charset names an unknown encoding: {name}") \
                from None
        if name.replace("_", "-") not in ("utf-8", "utf8") and not data.isascii() \
                and _is_utf8(data):
            raise ChoiceNeeded(f"the page's meta charset says {name} but its bytes are UTF-8",
                               "encoding")
        return name, "meta charset"
    return "utf-8", "no declaration, so UTF-8"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_html(data: bytes, *, encoding: str | None = None, name: str = "input") -> ReadDocument:
    if encoding is None:
        encoding, source = page_encoding(data)
        name = f"{name} (encoding from the {source})"
    for bom, _ in _BOMS:
        if data.startswith(bom):
            data = data[len(bom):]
    raw = decode_text(data, encoding, name=name)
    text = normalize_text(raw)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"not readable HTML: {error}") from None
    document = ReadDocument("html")
    document.removed["control characters"] = dropped_controls(raw)
    _Reader(document).read(_main(root), root.get("lang"))
    return document


def _main(root: etree._Element) -> etree._Element:
    mains = root.findall(".//main") or root.findall(".//*[@role='main']")
    if len(mains) == 1:
        return mains[0]
    articles = root.findall(".//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


class _Reader:
    def __init__(self, document: ReadDocument):
        self.document = document
        self.words: list[str] = []
        self.kind = "paragraph"
        self.lang: str | None = None
        self.in_notes = False
        self.note_id: str | None = None
        self.note_marks: dict[str, int] = {}  # note id -> index of the block marking it
        self.tables: list[list[list[str]]] = []  # tables being read, innermost last

    def read(self, element: etree._Element, lang: str | None) -> None:
        for ancestor in element.iterancestors():
            lang = lang or ancestor.get("lang")
        self.walk(element, element.get("lang") or lang)
        self.flush()

    def flush(self) -> None:
        text = tidy("".join(self.words))
        self.words = []
        if not text:
            return
        if self.in_notes:
            self.document.notes.append(Note(text, self.note_marks.get(self.note_id or "")))
        else:
            self.document.blocks.append(Block(text, self.kind, self.lang))

    def walk(self, element: etree._Element, lang: str | None) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None:  # comments and processing instructions
            if isinstance(element, etree._Comment):
                self.document.removed["comments"] += 1
            return
        tag = tag.lower()
        skipped = self.skipped(element, tag)
        if skipped is not None:
            if skipped:
                self.document.removed[skipped] += 1
            return
        lang = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang") \
            or lang
        if self.note_mark(element, tag):
            return
        notes = bool(_NOTE_CONTAINER.search(" ".join(
            (element.get("class") or "", element.get("role") or "", element.get("id") or ""))))
        is_block = tag in _BLOCKS and tag != "br"
        if is_block or notes:
            self.flush()
            outer = (self.kind, self.lang, self.in_notes, self.note_id)
            self.kind, self.lang = _BLOCKS.get(tag) or "paragraph", lang
            self.in_notes = self.in_notes or notes
            self.note_id = element.get("id") or self.note_id
        self.table_start(tag)
        first = len(self.document.blocks)
        if tag == "br":
            self.words.append(" ")
        self.words.append(element.text or "")
        for child in element:
            self.walk(child, lang)
            self.words.append(child.tail or "")
        if is_block or notes:
            self.flush()
            self.kind, self.lang, self.in_notes, self.note_id = outer
        self.table_end(tag, first)
        if tag == "img" and element.get("alt"):
            self.words.append(element.get("alt") or "")

    def skipped(self, element: etree._Element, tag: str) -> str | None:
        """What the report calls ``element`` if it is left out ("" for parts of the page
        never counted), None if it is read."""
        if tag in _DROPPED:
            return _DROPPED[tag] or ""
        role = (element.get("role") or "").lower()
        if role in _DROPPED_ROLES:
            return _DROPPED_ROLES[role]
        if element.get("hidden") is not None or element.get("aria-hidden") == "true":
            return "hidden elements"
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _WIDGET_WORDS.search(names) and tag not in ("p", "li", "td", "th") \
                and not _NOTE_CONTAINER.search(names):
            return "share and menu widgets"
        return None

    def note_mark(self, element: etree._Element, tag: str) -> bool:
        """A footnote reference (``<sup><a href="#fn1">1</a></sup>``, ``role=doc-noteref``)
        is dropped from the text; its note is attached to this paragraph."""
        role = (element.get("role") or "").lower()
        link = element if tag == "a" else element.find("a") if tag == "sup" else None
        href = link.get("href") if link is not None else None
        is_mark = role == "doc-noteref" or (
            href is not None and href.startswith("#") and tag in ("a", "sup")
            and tidy("".join(element.itertext())).strip("[]()").isdigit())
        if is_mark:
            self.document.removed["note reference marks"] += 1
            if href:
                self.note_marks[href[1:]] = len(self.document.blocks)
        return is_mark

    def table_start(self, tag: str) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])

    def table_end(self, tag: str, first_block: int) -> None:
        """A cell's text is the blocks read inside it, so it holds nothing the blocks
        would not (no script, no hidden element)."""
        if tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(
                " ".join(b.text for b in self.document.blocks[first_block:]))
        elif tag == "table" and self.tables:
            rows = self.tables.pop()
            self.document.tables.append([row for row in rows if any(row)])
