"""PDF (pdfplumber, which gives every line's position and type size).

Running headers and footers are lines in the top or bottom margin whose text, digits aside,
repeats on at least half the pages; page numbers are margin lines that are only a number
("3", "- 3 -", "Page 3 of 9"). Lines are grouped into paragraphs by the space between them
(lines of one paragraph sit closer than 1.9 times the type size) and by type size (a
larger size is a heading); a paragraph cut by a page or column break is joined again when
its sentence was left unfinished (see :func:`_starts_paragraph`). Smaller type at the foot
of a page is footnotes, kept as notes. Hyphenation and wrap are undone as in every reader
(:mod:`bitext.formats.readers.lines`). JavaScript and embedded files are never run or read,
only counted. A PDF with no text at all is a scan, refused with a line telling what to do.
"""

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from bitext.errors import InputError
from bitext.formats.readers.lines import (
    continues,
    is_no_space_char,
    join_lines,
    starts_list_item,
)
from bitext.formats.readers.model import Block, Note, ReadDocument
from bitext.formats.readers.radicals import fold_radicals

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font quirks it copes with are no news
MAX_PAGES = 5_000
_MARGIN = 0.065  # of the page height, top and bottom: where running heads and feet sit
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,5}|[ivxlcdm]{1,8})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,5})?$|^第\s*\d+\s*頁|^第\s*\d+\s*页", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?。！？:：;；…\"”’」』)）]$")


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    page_height: float


def read_pdf(data: bytes, max_pages: int = MAX_PAGES) -> ReadDocument:
    document = ReadDocument("pdf")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            document.pages = len(pdf.pages)
            if document.pages > max_pages:
                raise InputError(f"PDF refused: {document.pages:,} pages, more than "
                                 f"{max_pages:,}")
            _count_active_content(pdf, document)
            pages = [_page_lines(page, number) for number, page in enumerate(pdf.pages)]
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError("the PDF is encrypted (it needs a password); save a decrypted "
                             "copy and import that") from None
        raise InputError(f"not a readable PDF file: {cause or error}") from None
    except PDFPasswordIncorrect:
        raise InputError("the PDF is encrypted (it needs a password); save a decrypted "
                         "copy and import that") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise InputError(f"not a readable PDF file: damaged or truncated ({error})") from None
    if not any(pages):
        raise InputError("the PDF has no text layer (a scan?); OCR it first")
    body = _drop_running_lines(pages, document)
    _paragraphs(body, document)
    return document


def _count_active_content(pdf, document: ReadDocument) -> None:
    catalog = pdf.doc.catalog
    names = resolve1(catalog.get("Names")) or {}
    if "JavaScript" in names or "OpenAction" in catalog or "AA" in catalog:
        document.removed["JavaScript (never run)"] += 1
    if "EmbeddedFiles" in names:
        document.removed["embedded files (not read)"] += 1


def _page_lines(page, number: int) -> list[_Line]:
    lines = []
    for region in _regions(page):
        for line in region.extract_text_lines(strip=True, return_chars=True):
            text = fold_radicals(line["text"]).strip()
            if text:
                sizes = [c["size"] for c in line["chars"] if not c["text"].isspace()]
                lines.append(_Line(text, number, line["top"] / page.height,
                                   line["bottom"] / page.height, line["x0"], line["x1"],
                                   statistics.median(sizes) if sizes else 0.0, page.height))
    page.close()  # frees the page's cached objects: memory stays one page deep
    return lines


def _regions(page) -> list:
    """The page in reading order: whole, or when an empty gutter splits its body into two
    columns, its top margin, left column, right column and bottom margin (each object
    going to the region its centre is in)."""
    top, bottom = page.height * _MARGIN, page.height * (1 - _MARGIN)

    def centre(obj) -> tuple[float, float]:
        return (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2

    body = [c for c in page.chars if top < centre(c)[1] < bottom and not c["text"].isspace()]
    gutter = _gutter(body, page.width)
    if gutter is None:
        return [page]
    tests = (lambda x, y: y <= top, lambda x, y: top < y < bottom and x < gutter,
             lambda x, y: top < y < bottom and x >= gutter, lambda x, y: y >= bottom)
    return [page.filter(lambda o, test=test: "x0" in o and test(*centre(o))) for test in tests]


def _gutter(chars: list[dict], width: float) -> float | None:
    """The middle of the widest run of the page's middle third (at least 2% of the page
    wide) that no character touches, with a quarter of the characters or more on each
    side; None for a page of one column."""
    if len(chars) < 100:
        return None
    covered = bytearray(int(width) + 2)
    for char in chars:
        covered[max(0, int(char["x0"])):int(char["x1"]) + 1] = b"\x01" * (
            int(char["x1"]) + 1 - max(0, int(char["x0"])))
    best, start = (0, 0), None
    for x in range(int(width / 3), int(2 * width / 3) + 1):
        if not covered[x]:
            start = x if start is None else start
            if x - start + 1 > best[1] - best[0]:
                best = (start, x + 1)
        else:
            start = None
    if best[1] - best[0] < 0.02 * width:
        return None
    middle = (best[0] + best[1]) / 2
    left = sum(1 for c in chars if c["x1"] <= middle)
    if min(left, len(chars) - left) < len(chars) / 4:
        return None
    return middle


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _drop_running_lines(pages: list[list[_Line]], document: ReadDocument) -> list[_Line]:
    """The body lines of every page, in order, without running heads, feet and page
    numbers (each counted in the report)."""
    def in_margin(line: _Line) -> str | None:
        if line.top < _MARGIN:
            return "running headers"
        if line.bottom > 1 - _MARGIN:
            return "running footers"
        return None

    seen = Counter(_signature(line.text) for lines in pages for line in lines if in_margin(line))
    repeats = max(2, (len(pages) + 1) // 2)
    body = []
    for lines in pages:
        for line in lines:
            where = in_margin(line)
            if where and _PAGE_NUMBER.match(line.text.strip()):
                document.removed["page numbers"] += 1
            elif where and seen[_signature(line.text)] >= repeats:
                document.removed[where] += 1
            else:
                body.append(line)
    return body


def _paragraphs(lines: list[_Line], document: ReadDocument) -> None:
    if not lines:
        return
    body_size = statistics.median(line.size for line in lines)
    full = _full_lines(lines)
    group: list[_Line] = []

    def kind_of(line: _Line) -> str:
        return "heading" if line.size > body_size * 1.15 else "paragraph"

    def flush() -> None:
        if group:
            text = join_lines([line.text for line in group])
            if _is_note(group, body_size):
                attached = len(document.blocks) - 1 if document.blocks else None
                document.notes.append(Note(text, attached))
            else:
                document.blocks.append(Block(text, kind_of(group[0])))
            document.joined_lines += len(group) - 1

    for number, line in enumerate(lines):
        if group and _starts_paragraph(group[-1], line, body_size, full[number - 1]):
            flush()
            group = []
        group.append(line)
    flush()


def _full_lines(lines: list[_Line]) -> list[bool]:
    """Whether each line reaches the right edge of its column (the furthest right that any
    line of its page overlapping it horizontally reaches): within two characters when it
    ends in a script written without spaces, which fills a line to the edge, else within
    an eighth of the column, the most a next word too long for the line can leave."""
    pages: dict[int, list[_Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    full = []
    for line in lines:
        column = [o for o in pages[line.page] if o.x0 < line.x1 and o.x1 > line.x0]
        left, right = min(o.x0 for o in column), max(o.x1 for o in column)
        slack = (2 * line.size if is_no_space_char(line.text[-1])
                 else 0.12 * max(right - left, 1.0))
        full.append(line.x1 >= right - slack)
    return full


def _starts_paragraph(previous: _Line, line: _Line, body_size: float,
                      previous_full: bool) -> bool:
    """A new paragraph: a change of type size, lines further apart than 1.9 times the type
    size (the wrapped lines of one paragraph sit closer), or, across a page or column break,
    anything but a sentence left unfinished: the next line going on in lower case, a line
    ending in "of", a hyphen or an open bracket, or a full line ending in a comma or in
    Chinese without a full stop."""
    if abs(previous.size - line.size) > max(0.5, body_size * 0.08):
        return True
    if previous.page != line.page or line.top < previous.top:  # next page or column
        if starts_list_item(line.text):
            return True
        if continues(previous.text, line.text):  # lower case next, "of" or "-" before
            return False
        last = previous.text[-1]
        unfinished = previous_full and (last in ",、，" or (
            is_no_space_char(last) and not _ENDS_SENTENCE.search(previous.text)))
        return not unfinished
    pitch = (line.top - previous.top) * line.page_height
    return pitch > 1.9 * max(previous.size, line.size)


def _is_note(group: list[_Line], body_size: float) -> bool:
    """Footnotes: smaller type in the lower part of a page."""
    return group[0].size < body_size * 0.85 and group[0].top > 0.6
