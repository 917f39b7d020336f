"""Metadata edits: an editor changes the fields a document was imported with.

Each save is a numbered snapshot (``MetadataRevision``) with its audit row; a save names the
version it was based on, and one based on an older version is refused.
"""

from bitext.core.metadata import EDITABLE_TEXT_FIELDS, FIXED_FIELDS, metadata_dict, parse_metadata
from bitext.errors import Conflict
from bitext.services.accounts import Account
from bitext.services.editing.editable import clean_note, editable_document
from bitext.services.reading import document_summary
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database
from bitext.store.history import add_metadata_revision
from bitext.store.history import metadata_version as stored_metadata_version
from bitext.store.schema import utcnow

_NOT_EDITED_HERE = frozenset({*FIXED_FIELDS, "status"})  # status has its own workflow


def edit_metadata(
    database: Database,
    editor: Account,
    slug: str,
    base_version: int,
    changes: dict,
    note: str,
    *,
    address: str | None = None,
) -> int:
    """Change metadata fields (not the slug, languages or status); returns the new version."""
    note = clean_note(note)
    with database.transaction() as session:
        document = editable_document(session, slug)
        version = stored_metadata_version(session, document.id)
        if version != base_version:
            raise Conflict("the metadata was changed by someone else; reload and try again")
        allowed = {k: v for k, v in changes.items() if k not in _NOT_EDITED_HERE}
        meta = parse_metadata({**metadata_dict(document_summary(document)), **allowed})
        for field in EDITABLE_TEXT_FIELDS:
            setattr(document, field, getattr(meta, field))
        store.set_authors_and_tags(session, document, meta)
        add_metadata_revision(session, document.id, version + 1, meta.model_dump(mode="json"),
                              note, editor.id)
        document.corrected_at = document.updated_at = utcnow()
        audit.record(session, "metadata.edit", f"document:{slug}", user_id=editor.id,
                     address=address, detail={"fields": sorted(allowed), "note": note})
        return version + 1


def metadata_version(database: Database, slug: str) -> int:
    """The number of the latest metadata snapshot (0 before any edit): what a form sends
    back as its base."""
    with database.reader() as session:
        return stored_metadata_version(session, store.document_by_slug(session, slug).id)
