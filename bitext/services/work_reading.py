"""What a reader sees of a work: its versions and translations, the diff of two versions,
and two or three translations of one version side by side, aligned through the original.

Translations are documents, so a draft is shown only to whoever may see drafts
(``statuses``), exactly as on the document's own page.
"""

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from typing import get_args

from bitext.core.align.base import Bead
from bitext.core.align.nway import align_through_original
from bitext.core.versions.diff import Operation, OpKind
from bitext.errors import InputError, NotFound
from bitext.services.library import Library
from bitext.services.version_translations import RenderedChange, diff_with_translations
from bitext.services.works import normalized_paragraphs, version_texts
from bitext.store import works as store
from bitext.store.schema import Document

MAX_COMPARED = 3
DIFFER_BELOW = 0.6
"""Two translations in one language differ in a row when fewer than this share of their
words match in order (difflib's ratio over lower-cased words)."""


@dataclass(frozen=True)
class TranslationSummary:
    slug: str
    title: str
    language: str
    translator: str | None
    date: dt.date | None
    official: bool
    status: str


@dataclass(frozen=True)
class VersionSummary:
    label: str
    date: dt.date | None
    has_text: bool
    translations: list[TranslationSummary]


@dataclass(frozen=True)
class WorkView:
    slug: str
    title: str
    language: str
    versions: list[VersionSummary]

    def labels(self) -> list[str]:
        return [version.label for version in self.versions if version.has_text]


def work_view(database: Library, slug: str, statuses: Collection[str]) -> WorkView:
    """The work with its versions in order, each with the translations ``statuses`` show."""
    with database.reader() as session:
        work = store.work_by_slug(session, slug)
        versions = store.versions_of(session, work)
        version_ids = [v.id for v in versions]
        documents = store.translations_by_version(session, version_ids, statuses)
        translated = store.translated_versions(session, version_ids)  # a draft holds text too
        return WorkView(work.slug, work.title, work.language_original, [
            VersionSummary(v.label, v.date, v.text is not None or v.id in translated,
                           [_summary(document) for document in documents.get(v.id, [])])
            for v in versions])


def _summary(document: Document) -> TranslationSummary:
    return TranslationSummary(
        document.slug, document.title_translation, document.language_translation,
        document.translator, document.version_date or document.date,
        (document.extra or {}).get("official") is True, document.status)


@dataclass(frozen=True)
class WorkPlace:
    """Where a document sits: the work it translates a version of."""

    work: str
    title: str
    language: str
    version: str


def work_of_document(database: Library, slug: str) -> WorkPlace | None:
    with database.reader() as session:
        found = store.work_place(session, slug)
    return None if found is None else WorkPlace(*found)


@dataclass(frozen=True)
class TranslatedDiff:
    """The translation's diff beside the original's: one translation of each version."""

    old: TranslationSummary
    new: TranslationSummary
    changes: list[RenderedChange | None]  # beside each operation; None for unchanged ones


@dataclass(frozen=True)
class VersionDiff:
    work: WorkView
    old: str
    new: str
    operations: list[Operation]
    translated: TranslatedDiff | None = None

    @property
    def counts(self) -> dict[str, int]:
        return operation_counts(self.operations)


def operation_counts(operations: Sequence[Operation]) -> dict[str, int]:
    """How many operations of each kind, every kind named (0 for none), in OpKind's order:
    what the work's diff page and ``bitext diff`` report."""
    counted = Counter(op.kind for op in operations)
    return {kind: counted[kind] for kind in get_args(OpKind)}


def translation_pair(old: VersionSummary, new: VersionSummary
                     ) -> tuple[TranslationSummary, TranslationSummary] | None:
    """The translations whose diff is shown: one translator's in both versions if there
    is one, official ones first; else the first of each in one language; None if the two
    versions have no translation in a common language."""
    pairs = [(a, b) for a in old.translations for b in new.translations
             if a.language.lower() == b.language.lower()]
    if not pairs:
        return None
    return min(pairs, key=lambda p: (p[0].translator is None or p[0].translator != p[1].translator,
                                     not (p[0].official and p[1].official)))


def version_diff(database: Library, slug: str, old: str, new: str,
                 statuses: Collection[str]) -> VersionDiff:
    """The provision diff of two versions and, where both have a translation in one
    language, that translation's diff of each changed provision."""
    work = work_view(database, slug, statuses)
    by_label = {version.label: version for version in work.versions}
    pair = (translation_pair(by_label[old], by_label[new])
            if old in by_label and new in by_label else None)
    with database.reader() as session:
        texts = version_texts(session, slug, old, new)
        operations, changes = diff_with_translations(
            session, texts, (pair[0].slug, pair[1].slug) if pair else None, statuses)
    translated = (TranslatedDiff(pair[0], pair[1], changes)
                  if pair is not None and changes is not None else None)
    return VersionDiff(work, old, new, operations, translated)


@dataclass(frozen=True)
class CompareRow:
    number: int
    original: list[str]
    translations: list[list[str]]
    similarity: float | None  # lowest of same-language pairs; None with no such pair
    differ: bool


@dataclass(frozen=True)
class Comparison:
    work: WorkView
    version: str
    translations: list[TranslationSummary]
    rows: list[CompareRow]

    @property
    def differing(self) -> int:
        return sum(row.differ for row in self.rows)


def _words(paragraphs: Sequence[str]) -> list[str]:
    return " ".join(paragraphs).lower().split()


def _row_similarity(texts: list[list[str]], languages: list[str]) -> tuple[float | None, bool]:
    """The lowest word similarity of same-language pairs, and whether the row differs:
    one translation has text where another has none, or a pair is below DIFFER_BELOW."""
    if any(texts) and not all(texts):
        return None, True
    ratios = [SequenceMatcher(None, _words(texts[a]), _words(texts[b]), autojunk=False).ratio()
              for a, b in combinations(range(len(texts)), 2)
              if languages[a].lower() == languages[b].lower()]
    if not ratios:
        return None, False
    lowest = min(ratios)
    return lowest, lowest < DIFFER_BELOW


def compare_translations(database: Library, slug: str, translation_slugs: Sequence[str],
                         statuses: Collection[str]) -> Comparison:
    """Rows of the original with each translation's paragraphs beside it: rows cut where
    every translation's paragraph beads cut (core.align.nway). The translations must be of
    one version of this work."""
    slugs = list(dict.fromkeys(s.strip() for s in translation_slugs if s.strip()))
    if not 1 <= len(slugs) <= MAX_COMPARED:
        raise InputError(f"choose one to {MAX_COMPARED} translations to compare")
    work = work_view(database, slug, statuses)
    where = {t.slug: (v.label, t) for v in work.versions for t in v.translations}
    missing = [s for s in slugs if s not in where]
    if missing:
        raise NotFound(f"{missing[0]!r} is not a translation of this work")
    labels = {where[s][0] for s in slugs}
    if len(labels) > 1:
        raise InputError("the translations are of different versions: compare translations "
                         "of one version")
    with database.reader() as session:
        stored = [store.stored_paragraphs(session, document)
                  for document in store.documents_by_slugs(session, slugs, statuses)]
    originals = {tuple(normalized_paragraphs(s.original_texts)) for s in stored}
    if len(originals) > 1:
        raise InputError("the translations' originals are no longer the same text (one was "
                         "corrected): they cannot be aligned through it")
    rows = compare_rows(stored, [where[s][1].language for s in slugs])
    return Comparison(work, labels.pop(), [where[s][1] for s in slugs], rows)


def compare_rows(stored: Sequence[store.StoredParagraphs],
                 languages: Sequence[str]) -> list[CompareRow]:
    """The rows of translations of one original (the first one's text is shown), each
    row's translations compared."""
    base = stored[0].original_texts
    rows = align_through_original(
        [[Bead(tuple(source), tuple(target)) for source, target in s.beads] for s in stored],
        len(base))
    built = []
    for number, row in enumerate(rows, 1):
        texts = [[s.translation_texts[k] for k in positions]
                 for s, positions in zip(stored, row.translations, strict=True)]
        similarity, differ = _row_similarity(texts, list(languages))
        built.append(CompareRow(number, [base[k] for k in row.original], texts, similarity,
                                differ))
    return built
