"""A new version's draft translations, carried forward from the version before it.

When a version of a work arrives without a translation, each translation of the latest
earlier version that has one is carried forward (``core.versions.carry_forward``): the
paragraphs unchanged since then keep their translation, and the draft is stored as a new
document (status draft) filed under the new version, its paragraph alignment the carried
one (sentences are aligned inside each carried paragraph). Changed and new paragraphs have
no translation yet; the result lists them for the translators. Each draft is written in one
transaction of its own, after the version's.
"""

import re
from dataclasses import dataclass

from bitext.core.align.base import Aligner, Bead
from bitext.core.metadata import metadata_dict, parse_metadata
from bitext.core.text.segment import segment_text
from bitext.core.versions.carry_forward import CarryForward, DraftUnit, carry_forward
from bitext.errors import InputError
from bitext.services.library import AddedDocument, Library, Progress, add_document
from bitext.services.reading import document_summary
from bitext.store import audit, own_works
from bitext.store import works as store
from bitext.store.database import Session
from bitext.store.schema import Document, WorkVersion


@dataclass(frozen=True)
class CarriedDraft:
    """One translation carried forward: from which document, what was carried, and the
    draft document (None when nothing could be carried, so there is no draft)."""

    source: str  # slug of the previous version's translation
    previous: str  # label of the version it translates
    result: CarryForward
    added: AddedDocument | None
    paragraphs: tuple[str, ...]  # the new version's original paragraphs

    def original(self, unit: DraftUnit) -> str:
        """The new version's text of a unit, for the list of paragraphs to translate."""
        return " ".join(self.paragraphs[j] for j in unit.new)


def carry_forward_drafts(database: Library, work: str, label: str, *,
                         aligner: Aligner | None = None,
                         progress: Progress | None = None) -> list[CarriedDraft]:
    """Draft translations of version ``label`` from the latest earlier translated version
    (none when no earlier version has a translation)."""
    with database.reader() as session:
        found = store.work_by_slug(session, work)
        version = store.existing_version(session, found, label)
        text = store.version_text(session, version)
        if text is None:
            raise InputError(f"version {label!r} of {work!r} has no text")
        earlier = [v for v in store.versions_of(session, found) if v.position < version.position]
        plans = []
        for previous in reversed(earlier):
            documents = store.translations_of(session, [previous.id], ("draft", "published"))
            if documents:
                plans = [_plan(session, document, previous.label, text.split("\n"), version)
                         for document in documents]
                break
    drafts = []
    for document_meta, plan in plans:
        added = None
        if any(unit.translation for unit in plan.result.units):
            added = _write_draft(database, document_meta, plan, work, label, aligner, progress)
        drafts.append(CarriedDraft(plan.source, plan.previous, plan.result, added,
                                   tuple(plan.original)))
    return drafts


@dataclass(frozen=True)
class _Plan:
    source: str
    previous: str
    original: list[str]
    result: CarryForward


def _plan(session: Session, document: Document, previous: str, original: list[str],
          version: WorkVersion) -> tuple[dict, _Plan]:
    stored = store.stored_paragraphs(session, document)
    beads = [Bead(tuple(s), tuple(t)) for s, t in stored.beads]
    result = carry_forward(stored.original_texts, stored.translation_texts, beads, original)
    meta = {**metadata_dict(document_summary(document)),
            "slug": _draft_slug(document.slug, version.label), "status": "draft",
            "version_date": version.date}
    return meta, _Plan(document.slug, previous, original, result)


def _draft_slug(slug: str, label: str) -> str:
    """The previous translation's slug with the new version's label: constitution-2018."""
    return f"{slug}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}".strip("-")


def _write_draft(database: Library, meta_fields: dict, plan: _Plan, work: str, label: str,
                 aligner: Aligner | None, progress: Progress | None) -> AddedDocument:
    meta = parse_metadata(meta_fields)
    translation, beads = plan.result.draft()
    original_text, translation_text = "\n\n".join(plan.original), "\n\n".join(translation)
    for text, language, count in ((original_text, meta.language_original, len(plan.original)),
                                  (translation_text, meta.language_translation,
                                   len(translation))):
        if len(segment_text(text, language)) != count:  # the carried beads count paragraphs
            raise InputError(f"the draft of {meta.slug} does not keep its paragraphs as "
                             "they are; add its translation by hand")

    def file_under_version(session: Session, report: dict) -> None:
        version = store.existing_version(session, store.work_by_slug(session, work), label)
        own_works.link_document(session, meta.slug, version)
        audit.record(session, "work.carry_forward", f"work:{work}",
                     detail={"version": label, "document": meta.slug, "from": plan.source,
                             "summary": plan.result.summary()})

    return add_document(database, meta, original_text, translation_text, aligner=aligner,
                        progress=progress, paragraph_beads=beads, also_write=file_under_version)
