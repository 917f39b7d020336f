"""Real documents made from the shared corpus for the import tests and bench: Word files
with python-docx, web pages, wrapped text, and PDFs printed by Debian's Chromium (through
Playwright) with a running header and page numbers in the footer."""

import html
import io
import textwrap
from pathlib import Path

from docx import Document

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HEADER = ('<div style="font-size:9px;width:100%;text-align:center">{title}</div>')
FOOTER = ('<div style="font-size:9px;width:100%;text-align:center">Page '
          '<span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def corpus_lines(shared_data: Path, slug: str, side: str) -> list[str]:
    text = (shared_data / "corpus" / "docs" / slug / f"{side}.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def make_docx(paragraphs: list[str], title: str | None = None) -> bytes:
    word = Document()
    if title:
        word.add_heading(title, level=1)
    for paragraph in paragraphs:
        word.add_paragraph(paragraph)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def make_docx_table(rows: list[tuple[str, str]]) -> bytes:
    word = Document()
    table = word.add_table(rows=0, cols=2)
    for left, right in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = left, right
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def make_html(paragraphs: list[str], title: str = "", lang: str = "en",
              site: bool = True) -> str:
    """A page of ``paragraphs``; with ``site``, inside a site's navigation and footer."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    nav, footer = ("<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>",
                   "<footer>Footer text, all rights</footer>") if site else ("", "")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>body{{font-size:12pt}}</style></head>"
            f"<body>{nav}<main>{heading}{body}</main>{footer}</body></html>")


def make_wrapped_markdown(paragraphs: list[str], width: int = 60,
                          break_words: bool = False) -> str:
    """Blank-line separated paragraphs hard-wrapped at ``width`` (Chinese, which has no
    spaces to wrap at, needs ``break_words``)."""
    return "\n\n".join(textwrap.fill(p, width, break_long_words=break_words,
                                     break_on_hyphens=False) for p in paragraphs) + "\n"


def render_pdfs(pages: list[str], title: str | None = "A running title") -> list[bytes]:
    """Each HTML page printed to PDF by one Chromium; with a ``title``, it is the running
    header and the footer numbers the pages."""
    from playwright.sync_api import sync_playwright

    pdfs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for content in pages:
                page.set_content(content)
                pdfs.append(page.pdf(
                    display_header_footer=title is not None, header_template=HEADER.format(
                        title=html.escape(title or "")), footer_template=FOOTER,
                    margin={"top": "2cm", "bottom": "2cm", "left": "2cm", "right": "2cm"}))
        finally:
            browser.close()
    return pdfs


def encrypted_pdf(pdf: bytes) -> bytes:
    """``pdf`` encrypted with a user password (an import must refuse it, not guess)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
