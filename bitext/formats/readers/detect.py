"""Which reader a file needs: by its content first (magic bytes), then by its extension.

A file whose content says one format and whose name another is refused rather than read
either way: a ``.docx`` that is really a PDF was mislabelled by someone, and which of the
two they meant is theirs to say (``ChoiceNeeded``: ``--format`` on the command line, the
import form's Format field on the web).
"""

import io
import re
import zipfile
from pathlib import PurePath

from bitext.errors import ChoiceNeeded, InputError

READER_FORMATS = ("docx", "pdf", "html", "markdown", "text")
_EXTENSIONS = {
    ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
}
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_ZIP_MAGIC = b"PK\x03\x04"


def sniff(data: bytes) -> str | None:
    """The format the bytes show, or None for text with no mark of its own."""
    if data.lstrip(b"\t\n\r ")[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return "docx" if _is_word(data) else "zip"
    if _HTML_START.match(data[:4096]):
        return "html"
    return None


def _is_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return True  # a damaged Word file: the DOCX reader says what is wrong with it


def detect_format(data: bytes, name: str, given: str | None = None) -> str:
    """The reader for ``data`` (from a file called ``name``); ``given`` (``--format``)
    overrides both content and extension."""
    if given is not None:
        if given not in READER_FORMATS:
            raise InputError(f"unknown format {given!r}; choose one of: "
                             f"{', '.join(READER_FORMATS)}")
        return given
    by_content = sniff(data)
    by_name = _EXTENSIONS.get(PurePath(name).suffix.lower())
    if by_content == "zip":
        raise InputError(f"{name}: a zip archive but not a Word document (no word/document.xml)")
    if by_content and by_name and by_content != by_name:
        raise ChoiceNeeded(f"{name}: the content is {by_content.upper()} but the name says "
                           f"{by_name.upper()}", "format", by_content)
    if by_content:
        return by_content
    if by_name in ("docx", "pdf"):
        raise ChoiceNeeded(f"{name}: not a {by_name.upper()} file (its content does not "
                           "start as one does)", "format")
    return by_name or "text"
