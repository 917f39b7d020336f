"""The text of a work as in force on a date: which version was (core.versions.in_force)
and its text, row by row beside a translation of it when the reader may see one."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from bitext.core.versions.in_force import version_in_force
from bitext.services.library import Library
from bitext.services.work_reading import (
    CompareRow,
    TranslationSummary,
    VersionSummary,
    WorkView,
    compare_rows,
    work_view,
)
from bitext.store import works as store


@dataclass(frozen=True)
class InForce:
    work: WorkView
    on: dt.date
    version: VersionSummary
    until: dt.date | None  # the next dated version's date, if any
    translation: TranslationSummary | None
    rows: list[CompareRow]  # with no translation, each row's translations are []


def _shown(version: VersionSummary) -> TranslationSummary | None:
    """The translation shown beside the text: an official one first, else the first."""
    ordered = sorted(version.translations, key=lambda t: not t.official)
    return ordered[0] if ordered else None


def text_in_force(database: Library, slug: str, on: dt.date,
                  statuses: Collection[str]) -> InForce:
    """The version in force on ``on`` with its rows; a date before the first version, or a
    work with no dated version, is an InputError naming it."""
    work = work_view(database, slug, statuses)
    version = version_in_force([v for v in work.versions if v.has_text], on)
    later = sorted(v.date for v in work.versions
                   if v.has_text and v.date is not None and v.date > on)
    translation = _shown(version)
    with database.reader() as session:
        if translation is not None:
            document = store.documents_by_slugs(session, [translation.slug], statuses)[0]
            rows = compare_rows([store.stored_paragraphs(session, document)],
                                [translation.language])
        else:
            found = store.existing_version(session, store.work_by_slug(session, slug),
                                           version.label)
            text = store.version_text(session, found) or ""
            rows = [CompareRow(number, [paragraph], [], None, False)
                    for number, paragraph in enumerate(text.split("\n"), 1)]
    return InForce(work, on, version, later[0] if later else None, translation, rows)
