"""Word documents (python-docx opens the package; its XML is walked for the text).

The archive is measured before anything is unpacked: too many entries, too much
uncompressed data or too high a compression ratio is a zip bomb and is refused. Tracked
changes read as accepted (insertions kept, deletions gone), comments are dropped and
counted, footnotes and endnotes become notes attached to the paragraph that marks them.
Macros and external relationships (linked images, remote templates) are never run or
fetched: nothing here follows a relationship out of the package.
"""

import io
import zipfile
from dataclasses import dataclass

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from bitext.errors import InputError
from bitext.formats.readers.lines import tidy
from bitext.formats.readers.model import Block, Note, ReadDocument


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 5_000
    max_total_bytes: int = 256 * 1024 * 1024  # uncompressed
    max_entry_bytes: int = 128 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for entries over 1 MB


def check_archive(data: bytes, limits: ZipLimits = ZipLimits()) -> None:
    """Refuse a damaged or bomb-like archive in one line, before any entry is unpacked
    (the sizes checked are the ones zipfile holds each entry to when it reads)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError("not a readable DOCX file: damaged or truncated zip archive") from None
    if len(entries) > limits.max_entries:
        raise InputError(f"DOCX refused: {len(entries):,} entries in the archive, more than "
                         f"{limits.max_entries:,}")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limits.max_entry_bytes:
            raise InputError(f"DOCX refused: entry {entry.filename} unpacks to "
                             f"{entry.file_size:,} bytes, more than {limits.max_entry_bytes:,}")
        if (entry.file_size > 1024 * 1024
                and entry.file_size > limits.max_ratio * max(entry.compress_size, 1)):
            raise InputError(f"DOCX refused: entry {entry.filename} is compressed more than "
                             f"{limits.max_ratio}:1 (a zip bomb?)")
    if total > limits.max_total_bytes:
        raise InputError(f"DOCX refused: the archive unpacks to {total:,} bytes, more than "
                         f"{limits.max_total_bytes:,}")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:instrText"), qn("w:delText"),
            qn("w:fldChar"), qn("w:pPr"), qn("w:rPr")}
_BREAKS = {qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")}
_NOTE_REFS = {qn("w:footnoteReference"): "footnote", qn("w:endnoteReference"): "endnote"}
_NOTE_PARTS = {RT.FOOTNOTES: ("footnote", "w:footnote"), RT.ENDNOTES: ("endnote", "w:endnote")}


class _Walker:
    """Turns the body's XML into blocks, tables and note references."""

    def __init__(self, document: ReadDocument):
        self.document = document
        self.note_refs: dict[tuple[str, str], int] = {}  # (kind, id) -> block index

    def body(self, element: etree._Element) -> None:
        for child in element:
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"),
                               qn("w:ins")):
                self.body(child)

    def paragraph(self, p: etree._Element) -> None:
        refs: list[tuple[str, str]] = []
        text = tidy(self.text(p, refs))
        if not text:
            return
        index = len(self.document.blocks)
        for ref in refs:
            self.note_refs[ref] = index
        self.document.blocks.append(Block(text, _kind(p), _lang(p)))

    def table(self, tbl: etree._Element) -> None:
        rows = []
        for tr in tbl.findall(qn("w:tr")):
            cells = []
            for tc in tr.findall(qn("w:tc")):
                first = len(self.document.blocks)
                for p in tc.iter(qn("w:p")):
                    self.paragraph(p)
                cells.append(" ".join(b.text for b in self.document.blocks[first:]))
            rows.append(cells)
        self.document.tables.append(rows)

    def text(self, element: etree._Element, refs: list[tuple[str, str]]) -> str:
        """The accepted text under ``element``: deletions, field codes and comment marks
        left out; note reference marks noted in ``refs`` instead of kept inline."""
        parts = []
        for node in element:
            tag = node.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == qn("w:t"):
                parts.append(node.text or "")
            elif tag in _BREAKS:
                parts.append("-" if tag == qn("w:noBreakHyphen") else " ")
            elif tag in _NOTE_REFS:
                refs.append((_NOTE_REFS[tag], node.get(qn("w:id")) or ""))
            elif tag == qn("w:commentReference"):
                self.document.removed["comments"] += 1
            elif tag not in (qn("w:p"), qn("w:tbl")):  # a text box's paragraphs are not inline
                parts.append(self.text(node, refs))
        return "".join(parts)


def _kind(p: etree._Element) -> str:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(qn("w:val")) or "").lower() if style is not None else ""
    if name.startswith(("heading", "title", "subtitle")) or p.find(
            f"{_W}pPr/{_W}outlineLvl") is not None:
        return "heading"
    if p.find(f"{_W}pPr/{_W}numPr") is not None or name.startswith("list"):
        return "item"
    return "paragraph"


def _lang(p: etree._Element) -> str | None:
    for run_lang in p.iter(qn("w:lang")):
        value = run_lang.get(qn("w:eastAsia")) or run_lang.get(qn("w:val"))
        if value:
            return value
    return None


def read_docx(data: bytes, limits: ZipLimits = ZipLimits()) -> ReadDocument:
    check_archive(data, limits)
    try:
        word = Document(io.BytesIO(data))
    except ValueError as error:  # python-docx's "not a Word file, content type is …"
        raise InputError(f"not a readable DOCX file: {error}") from None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        raise InputError("not a readable DOCX file: a part is missing or malformed") from None
    document = ReadDocument("docx")
    walker = _Walker(document)
    walker.body(word.element.body)
    _read_notes(word, walker, document)
    package = word.part.package
    if any(part.partname.endswith("vbaProject.bin") for part in package.iter_parts()):
        document.removed["macros (never run)"] += 1
    external = sum(1 for part in package.iter_parts() for rel in part.rels.values()
                   if rel.is_external)
    if external:
        document.removed["external links and references (never fetched)"] += external
    return document


def _read_notes(word, walker: _Walker, document: ReadDocument) -> None:
    for rel in word.part.rels.values():
        if rel.is_external or rel.reltype not in _NOTE_PARTS:
            continue
        kind, tag = _NOTE_PARTS[rel.reltype]
        try:
            root = etree.fromstring(rel.target_part.blob,
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            raise InputError(f"not a readable DOCX file: its {kind}s are malformed") from None
        for note in root.iter(qn(tag)):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator",
                                          "continuationNotice"):
                continue
            text = tidy(" ".join(walker.text(p, []) for p in note.iter(qn("w:p"))))
            if text:
                document.notes.append(Note(text, walker.note_refs.get((kind, note.get(
                    qn("w:id")) or ""))))
