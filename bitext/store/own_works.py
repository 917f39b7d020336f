"""The work of a lone document: where a document no work was named for is filed.

Such a document is a work of its own, as migration 0010 filed every document it found
(the migration keeps a frozen copy of this rule, as migrations are history): the work
takes the document's slug, title, language and creation time, and has one version,
labelled by the document's version date, else its date, else "1", of which the document
is the one translation. Filing the document under a version of another work later moves
it there (link_document), and its own work, then empty, goes.
"""

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bitext.errors import InputError
from bitext.store import documents
from bitext.store.schema import Document, Work, WorkTranslation, WorkVersion
from bitext.store.works import find_work, version_of


def check_work_slug_is_free(session: Session, slug: str) -> None:
    if find_work(session, slug) is not None:
        raise InputError(f"a work with slug {slug!r} already exists: give the document "
                         "another slug, or file it under that work")


def lone_version_label(document: Document) -> str:
    date = document.version_date or document.date
    return date.isoformat() if date else "1"


def file_as_own_work(session: Session, document: Document) -> WorkVersion:
    """File a new document as a work of its own, in the caller's transaction."""
    check_work_slug_is_free(session, document.slug)
    work = Work(slug=document.slug, title=document.title_original,
                language_original=document.language_original, created_at=document.created_at)
    session.add(work)
    session.flush()
    version = WorkVersion(work_id=work.id, label=lone_version_label(document),
                          date=document.version_date or document.date, position=0)
    session.add(version)
    session.flush()
    session.add(WorkTranslation(document_id=document.id, version_id=version.id))
    session.flush()
    return version


def is_filed(session: Session, document: Document) -> bool:
    return version_of(session, document.id) is not None


def filed_by_choice(session: Session, document: Document) -> bool:
    """Whether the document is filed under a work other than its own."""
    return is_filed(session, document) and own_work(session, document) is None


def own_work(session: Session, document: Document) -> Work | None:
    """The document's work when it is the document's own: the document's slug, one
    version, with no text of its own and this document its one translation."""
    work = session.scalar(
        select(Work).join(WorkVersion, WorkVersion.work_id == Work.id)
        .join(WorkTranslation, WorkTranslation.version_id == WorkVersion.id)
        .where(WorkTranslation.document_id == document.id, Work.slug == document.slug,
               WorkVersion.text.is_(None)))
    if work is None:
        return None
    versions = session.scalar(select(func.count()).select_from(WorkVersion)
                              .where(WorkVersion.work_id == work.id))
    translations = session.scalar(
        select(func.count()).select_from(WorkTranslation)
        .join(WorkVersion, WorkVersion.id == WorkTranslation.version_id)
        .where(WorkVersion.work_id == work.id))
    return work if versions == 1 and translations == 1 else None


def leave_own_work(session: Session, document: Document) -> None:
    """Take the document out of its own work, which goes with it (nothing else is in it);
    a document filed under any other work stays where it is."""
    work = own_work(session, document)
    if work is None:
        return
    session.execute(delete(WorkTranslation).where(WorkTranslation.document_id == document.id))
    session.execute(delete(WorkVersion).where(WorkVersion.work_id == work.id))
    session.execute(delete(Work).where(Work.id == work.id))


def link_document(session: Session, slug: str, version: WorkVersion) -> None:
    """File the document under the version; one that was a work of its own leaves it."""
    document = documents.document_by_slug(session, slug)
    if version_of(session, document.id) == version.id:
        return
    leave_own_work(session, document)
    if is_filed(session, document):
        raise InputError(f"{slug!r} is filed under another work already")
    session.add(WorkTranslation(document_id=document.id, version_id=version.id))
