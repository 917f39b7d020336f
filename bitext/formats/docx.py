"""A side-by-side Word document (python-docx): title, metadata, then a two-column table
with one row per paragraph bead, original on the left, translation on the right.

Word's XML cannot hold control characters; imports drop them, and text stored before they
did is written here without them rather than failing the export.
"""

import io

from docx import Document
from docx.shared import Pt

from bitext.core.text.normalize import without_controls
from bitext.formats.model import AlignedDocument, joiner


def _rows(document: AlignedDocument) -> list[tuple[str, str]]:
    """Paragraph rows when the beads carry them, else one row per sentence bead."""
    js, jt = joiner(document.language_source), joiner(document.language_target)
    rows: dict[object, tuple[list[str], list[str]]] = {}
    for number, bead in enumerate(document.beads):
        key = bead.row if bead.row is not None else ("bead", number)
        source, target = rows.setdefault(key, ([], []))
        source.extend(bead.source)
        target.extend(bead.target)
    return [(without_controls(js.join(s)), without_controls(jt.join(t)))
            for s, t in rows.values()]


def write_docx(document: AlignedDocument) -> bytes:
    meta = {k: without_controls(str(v)) for k, v in document.metadata.items()
            if isinstance(v, str | int | float)}
    word = Document()
    title = meta.get("title_translation") or without_controls(document.slug)
    word.core_properties.title = title
    word.core_properties.language = document.language_target
    word.add_heading(title, level=1)
    if meta.get("title_original"):
        word.add_paragraph(meta["title_original"])
    details = [meta.get("source_translation") or meta.get("source"), meta.get("date"),
               meta.get("translator") and f"Translated by {meta['translator']}"]
    line = " · ".join(d for d in details if d)
    if line:
        word.add_paragraph(line).runs[0].font.size = Pt(9)
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for original, translation in _rows(document):
        cells = table.add_row().cells
        cells[0].text = original
        cells[1].text = translation
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
