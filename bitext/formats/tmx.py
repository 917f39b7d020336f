"""TMX 1.4 translation memories through translate-toolkit: one ``<tu>`` per sentence bead.

A bead's sentences are joined into one ``<seg>`` (what CAT tools expect); the sentence
lengths and the bead score travel in ``<prop>`` elements, so an import gives back the
same sentences and scores. An empty side is an empty ``<seg/>``.
"""

import json
from collections.abc import Iterable, Iterator
from itertools import chain

from lxml import etree
from translate.storage import tmx

from bitext.core.strict_json import load_json_object
from bitext.errors import InputError
from bitext.formats.chunks import utf8_chunks
from bitext.formats.model import AlignedBead, AlignedDocument, joiner
from bitext.formats.safe_xml import check_xml

DTD_NAME = "tmx14.dtd"
PROP_SCORE = "x-bitext-score"
PROP_SOURCE = "x-bitext-source-lengths"
PROP_TARGET = "x-bitext-target-lengths"
PROP_DOCUMENT = "x-bitext-document"
PROP_METADATA = "x-bitext-metadata"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def lengths(sentences: tuple[str, ...]) -> str:
    return " ".join(str(len(s)) for s in sentences)


def split_joined(text: str, lengths_prop: str | None, separator: str) -> tuple[str, ...]:
    """Undo ``separator.join``: sentences of the given lengths; one sentence if unknown."""
    if not lengths_prop:
        return (text,) if text else ()
    try:
        sizes = [int(n) for n in lengths_prop.split()]
    except ValueError:
        raise InputError("TMX: sentence lengths are not numbers") from None
    if sum(sizes) + len(separator) * (len(sizes) - 1) != len(text) or min(sizes) < 1:
        raise InputError("TMX: sentence lengths do not match the segment")
    out, position = [], 0
    for size in sizes:
        out.append(text[position:position + size])
        position += size + len(separator)
    return tuple(out)


def tmx_chunks(documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
    """A TMX 1.4 file of the documents' sentence beads (all in the same language pair), in
    chunks: translate-toolkit writes the header, each ``<tu>`` is written as it comes, one
    document read from ``documents`` at a time."""
    queue = iter(documents)
    first = next(queue, None)
    if first is None:
        raise InputError("nothing to export")
    second = next(queue, None)
    head, tail = _frame(first, only=second is None)
    rest = chain([first], [second] if second is not None else [], queue)
    return utf8_chunks(chain([head], (u for d in rest for u in _units(d, first)), [tail]))


def write_tmx(documents: Iterable[AlignedDocument]) -> bytes:
    return b"".join(tmx_chunks(documents))


def _frame(first: AlignedDocument, *, only: bool) -> tuple[str, str]:
    """The file around the units: up to ``<body>``, and from ``</body>``; the metadata of a
    one-document file goes in the header."""
    store = tmx.tmxfile(sourcelanguage=first.language_source,
                        targetlanguage=first.language_target)
    header = store.document.getroot().find("header")
    assert header is not None  # a new tmxfile always has one
    if only:
        _prop(header, PROP_METADATA, json.dumps(first.metadata, ensure_ascii=False))
    head, body, tail = bytes(store).decode("utf-8").partition("<body/>")
    assert body, "translate-toolkit writes an empty body as <body/>"
    return head + "<body>\n", "  </body>" + tail


def _units(document: AlignedDocument, first: AlignedDocument) -> Iterator[str]:
    """One ``<tu>`` per bead; languages as in the header (the first document's)."""
    js, jt = joiner(document.language_source), joiner(document.language_target)
    for number, bead in enumerate(document.beads, start=1):
        element = etree.Element("tu", tuid=f"{document.slug}-{number}")
        props = [(PROP_DOCUMENT, document.slug), (PROP_SCORE, repr(float(bead.score))),
                 (PROP_SOURCE, lengths(bead.source)), (PROP_TARGET, lengths(bead.target))]
        for kind, value in props:
            _prop(element, kind, value)
        for language, text in ((first.language_source, js.join(bead.source)),
                               (first.language_target, jt.join(bead.target))):
            tuv = etree.SubElement(element, "tuv", {XML_LANG: language})
            etree.SubElement(tuv, "seg").text = text
        etree.indent(element, space="  ", level=2)
        yield "    " + etree.tostring(element, encoding="unicode") + "\n"


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = value


def _props(element: etree._Element) -> dict[str, str]:
    typed = ((p.get("type"), p.text) for p in element.findall("prop"))
    return {kind: text or "" for kind, text in typed if kind is not None}


def read_tmx(data: bytes) -> list[AlignedDocument]:
    """One document per ``x-bitext-document`` (one in all for TMX from other tools)."""
    check_xml(data, allowed_system_ids=frozenset({DTD_NAME}))
    try:
        store = tmx.tmxfile.parsestring(data)
    except Exception as error:  # translate-toolkit raises many kinds on bad files
        raise InputError(f"not a TMX file: {error}") from None
    root = store.document.getroot()
    header = root.find("header")
    if root.tag != "tmx" or header is None:
        raise InputError("not a TMX file: no <tmx> root with a <header>")
    if not store.units:
        raise InputError("TMX: the <body> holds no translation units")
    header_props = _props(header)
    metadata = _json_object(header_props.get(PROP_METADATA))
    language_source = header.get("srclang") or ""
    language_target = ""
    groups: dict[str, list[AlignedBead]] = {}
    for unit in store.getunits():
        element = unit.xmlelement
        tuvs = element.findall("tuv")
        if len(tuvs) != 2:
            raise InputError("TMX: every <tu> needs exactly two <tuv> (source and target)")
        language_target = language_target or _lang(tuvs[1])
        props = _props(element)
        try:
            score = float(props.get(PROP_SCORE, "0"))
        except ValueError:
            raise InputError("TMX: a score is not a number") from None
        source = split_joined(unit.source or "", props.get(PROP_SOURCE),
                              joiner(language_source))
        target = split_joined(unit.target or "", props.get(PROP_TARGET),
                              joiner(language_target))
        groups.setdefault(props.get(PROP_DOCUMENT, ""), []).append(
            AlignedBead(source, target, score)
        )
    return [
        AlignedDocument(metadata if len(groups) == 1 else {"slug": slug} if slug else {},
                        language_source, language_target, beads)
        for slug, beads in groups.items()
    ]


def _lang(tuv: etree._Element) -> str:
    return tuv.get(XML_LANG) or tuv.get("lang") or ""


def _json_object(text: str | None) -> dict:
    if not text:
        return {}
    return load_json_object(text, f"TMX: the {PROP_METADATA} property")
