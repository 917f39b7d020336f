"""Stored runs of the translation checks: one row per check of one alignment of a document,
holding every finding it made, so the findings of each revision pair stay as they were."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bitext.store.schema import Alignment, QaCheck, Revision


@dataclass(frozen=True)
class StoredCheck:
    id: int
    alignment_id: int
    revisions: tuple[int, int]  # the numbers of the original and translation revisions
    trigger: str
    glossary_version: str
    rows: int
    findings: list[dict]
    created_at: dt.datetime


def add_check(
    session: Session, document_id: int, alignment_id: int, trigger: str,
    glossary_version: str, rows: int, findings: list[dict],
) -> None:
    session.add(QaCheck(document_id=document_id, alignment_id=alignment_id, trigger=trigger,
                        glossary_version=glossary_version, rows=rows, findings=findings))
    session.flush()


def document_checks(session: Session, document_id: int, limit: int) -> list[StoredCheck]:
    """The ``limit`` latest checks of a document, newest first."""
    original, translation = aliased(Revision), aliased(Revision)
    rows = session.execute(
        select(QaCheck, original.number, translation.number)
        .join(Alignment, Alignment.id == QaCheck.alignment_id)
        .join(original, original.id == Alignment.original_revision_id)
        .join(translation, translation.id == Alignment.translation_revision_id)
        .where(QaCheck.document_id == document_id)
        .order_by(QaCheck.id.desc())
        .limit(limit)
    ).all()
    return [
        StoredCheck(check.id, check.alignment_id, (number_o, number_t), check.trigger,
                    check.glossary_version, check.rows, list(check.findings), check.created_at)
        for check, number_o, number_t in rows
    ]
