"""Works and their versions: reading and writing the rows that group documents.

A document is one translation of one version of a work; its original text is the
version's. A version no translation has yet keeps its text in its own row.
"""

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bitext.errors import InputError, NotFound
from bitext.store import documents as store
from bitext.store.schema import Alignment, Document, Work, WorkTranslation, WorkVersion


@dataclass(frozen=True)
class StoredParagraphs:
    """One side of a document's current alignment: paragraph ids in order, their texts,
    and the paragraph beads as positions in these lists."""

    original_texts: list[str]
    translation_texts: list[str]
    beads: list[tuple[list[int], list[int]]]


def find_work(session: Session, slug: str) -> Work | None:
    return session.scalar(select(Work).where(Work.slug == slug))


def work_by_slug(session: Session, slug: str) -> Work:
    work = find_work(session, slug)
    if work is None:
        raise NotFound("Work not found")
    return work


def find_or_add_work(session: Session, slug: str, title: str, language: str) -> Work:
    """The work with this slug, or a new one; an existing work must be in ``language``."""
    work = find_work(session, slug)
    if work is None:
        work = Work(slug=slug, title=title, language_original=language)
        session.add(work)
        session.flush()
    elif work.language_original.lower() != language.lower():
        raise InputError(f"work {slug!r} is in {work.language_original}, not {language}")
    return work


def version_by_label(session: Session, work: Work, label: str) -> WorkVersion | None:
    return session.scalar(select(WorkVersion).where(WorkVersion.work_id == work.id,
                                                    WorkVersion.label == label))


def existing_version(session: Session, work: Work, label: str) -> WorkVersion:
    version = version_by_label(session, work, label)
    if version is None:
        raise NotFound(f"work {work.slug!r} has no version {label!r}")
    return version


def add_version(session: Session, work: Work, label: str, date: dt.date | None,
                text: str | None) -> WorkVersion:
    """A new version after the work's others."""
    last = session.scalar(select(func.max(WorkVersion.position))
                          .where(WorkVersion.work_id == work.id))
    version = WorkVersion(work_id=work.id, label=label, date=date, text=text,
                          position=0 if last is None else last + 1)
    session.add(version)
    session.flush()
    return version


def versions_of(session: Session, work: Work) -> list[WorkVersion]:
    return list(session.scalars(select(WorkVersion).where(WorkVersion.work_id == work.id)
                                .order_by(WorkVersion.position)))


def translations_by_version(session: Session, version_ids: Collection[int],
                            statuses: Collection[str]) -> dict[int, list[Document]]:
    """The documents translating each of these versions, with one of ``statuses``, oldest
    first; versions with none are left out. One query, however many versions."""
    found: dict[int, list[Document]] = {}
    if version_ids:
        for version_id, document in session.execute(
            select(WorkTranslation.version_id, Document)
            .join(Document, Document.id == WorkTranslation.document_id)
            .where(WorkTranslation.version_id.in_(list(version_ids)),
                   Document.status.in_(list(statuses)))
            .order_by(WorkTranslation.version_id, Document.id)
        ):
            found.setdefault(version_id, []).append(document)
    return found


def translations_of(session: Session, version_ids: Collection[int],
                    statuses: Collection[str]) -> list[Document]:
    """The documents translating these versions, with one of ``statuses``, oldest first."""
    return [document for documents in translations_by_version(session, version_ids,
                                                               statuses).values()
            for document in documents]


def translated_versions(session: Session, version_ids: Collection[int]) -> set[int]:
    """Which of these versions have a translation, whatever its status."""
    if not version_ids:
        return set()
    return set(session.scalars(select(WorkTranslation.version_id).distinct()
                               .where(WorkTranslation.version_id.in_(list(version_ids)))))


def version_of(session: Session, document_id: int) -> int | None:
    """The id of the version the document translates."""
    return session.scalar(select(WorkTranslation.version_id)
                          .where(WorkTranslation.document_id == document_id))


def any_translation(session: Session, version: WorkVersion) -> Document | None:
    return session.scalar(
        select(Document).join(WorkTranslation, WorkTranslation.document_id == Document.id)
        .where(WorkTranslation.version_id == version.id).order_by(Document.id).limit(1))


def original_paragraphs(session: Session, document: Document) -> list[str]:
    """The paragraph texts of the document's current original."""
    revision = store.current_revision(session, document.id, "original")
    return [segment.text for segment in store.revision_paragraphs(session, revision.id)]


def version_text(session: Session, version: WorkVersion) -> str | None:
    """The version's original: its first translation's current original, one paragraph a
    line, or the text kept in its row; None when it has neither."""
    document = any_translation(session, version)
    if document is not None:
        return "\n".join(original_paragraphs(session, document))
    return version.text


def stored_paragraphs(session: Session, document: Document) -> StoredParagraphs:
    """The texts and paragraph beads of the alignment a reader sees."""
    alignment: Alignment = store.current_alignment(session, document.id)
    original = store.revision_paragraphs(session, alignment.original_revision_id)
    translation = store.revision_paragraphs(session, alignment.translation_revision_id)
    where_o = {segment.id: k for k, segment in enumerate(original)}
    where_t = {segment.id: k for k, segment in enumerate(translation)}
    beads = [([where_o[i] for i in bead.source_ids], [where_t[i] for i in bead.target_ids])
             for bead in store.beads_of(session, alignment.id, "paragraph")]
    return StoredParagraphs([s.text for s in original], [s.text for s in translation], beads)


def documents_by_slugs(session: Session, slugs: Sequence[str],
                       statuses: Collection[str]) -> list[Document]:
    return [store.document_by_slug(session, slug, statuses) for slug in slugs]


def work_place(session: Session, slug: str) -> tuple[str, str, str, str] | None:
    """The work slug, title, language and version label of the document, if filed."""
    row = session.execute(
        select(Work.slug, Work.title, Work.language_original, WorkVersion.label)
        .join(WorkVersion, WorkVersion.work_id == Work.id)
        .join(WorkTranslation, WorkTranslation.version_id == WorkVersion.id)
        .join(Document, Document.id == WorkTranslation.document_id)
        .where(Document.slug == slug)).one_or_none()
    return None if row is None else (row[0], row[1], row[2], row[3])


def cited_version(session: Session, document_id: int) -> tuple[str, str, dt.date | None] | None:
    """The work slug, version label and date a citation of the document names: only when
    the work has more than one version or the version more than one translation."""
    row = session.execute(
        select(Work.slug, WorkVersion.label, WorkVersion.date, Work.id, WorkVersion.id)
        .join(WorkVersion, WorkVersion.work_id == Work.id)
        .join(WorkTranslation, WorkTranslation.version_id == WorkVersion.id)
        .where(WorkTranslation.document_id == document_id)).one_or_none()
    if row is None:
        return None
    versions = session.scalar(select(func.count()).select_from(WorkVersion)
                              .where(WorkVersion.work_id == row[3]))
    translations = session.scalar(select(func.count()).select_from(WorkTranslation)
                                  .where(WorkTranslation.version_id == row[4]))
    if (versions or 0) < 2 and (translations or 0) < 2:
        return None
    return row[0], row[1], row[2]
