"""What every editing job checks first: the document exists and is not withdrawn, and the
editor's note is one tidy line."""

import re

from bitext.errors import BitextError, InputError
from bitext.store import documents as store
from bitext.store.database import Session
from bitext.store.schema import Document

NOTE_MAX_CHARS = 2000


class DocumentWithdrawn(BitextError):
    """Withdrawn documents are read-only until published again.

    Not an ``InputError``: nothing the editor typed is wrong, so the routes that re-show a
    form on bad input let this one through to the error page."""

    def __init__(self) -> None:
        super().__init__("a withdrawn document cannot be edited; publish it again first")


def editable_document(session: Session, slug: str) -> Document:
    document = store.document_by_slug(session, slug)
    if document.status == "withdrawn":
        raise DocumentWithdrawn
    return document


def clean_note(note: str, *, required: bool = True) -> str:
    note = re.sub(r"\s+", " ", note or "").strip()
    if required and not note:
        raise InputError("please say what you changed in the note")
    if len(note) > NOTE_MAX_CHARS:
        raise InputError(f"the note is too long (at most {NOTE_MAX_CHARS} characters)")
    return note
