"""Corrections by editors, one module per job: text (``corrections``), alignment
(``alignment``), metadata (``metadata``) and publication status (``status``).

Every change is written in one transaction with its audit row. This package's names are
the editing API the web and the tests use.
"""

from bitext.services.editing.alignment import edit_alignment
from bitext.services.editing.corrections import (
    PARAGRAPH_MAX_CHARS,
    EditConflict,
    edit_paragraph,
)
from bitext.services.editing.editable import NOTE_MAX_CHARS, DocumentWithdrawn
from bitext.services.editing.metadata import edit_metadata, metadata_version
from bitext.services.editing.status import STATUS_CHANGES, change_status

__all__ = [
    "NOTE_MAX_CHARS",
    "PARAGRAPH_MAX_CHARS",
    "STATUS_CHANGES",
    "DocumentWithdrawn",
    "EditConflict",
    "change_status",
    "edit_alignment",
    "edit_metadata",
    "edit_paragraph",
    "metadata_version",
]
