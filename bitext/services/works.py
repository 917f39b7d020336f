"""Works: versions of an original and their translations, added and read.

A translation is an ordinary document (its URL, citations and search results are those of
any document) filed under one version of a work; two translations of a version are two
documents whose originals are that version's text. A version may have no translation yet:
its text is then kept with the version.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bitext.core.metadata import SLUG_PATTERN, parse_metadata
from bitext.core.text.languages import validate_language_tag
from bitext.core.versions.diff import Operation, diff_versions
from bitext.errors import InputError
from bitext.services.file_import import (
    PreparedImport,
    SideReport,
    Upload,
    add_from_files,
    read_side,
)
from bitext.services.import_limits import ImportLimits
from bitext.services.library import AddedDocument, Library, read_json_file
from bitext.services.reading import EVERY_STATUS
from bitext.store import audit, own_works
from bitext.store import works as store
from bitext.store.database import Session

_LABEL = re.compile(r"^[\w.-]{1,100}$")


@dataclass(frozen=True)
class VersionPlace:
    """Where a text goes: work slug, version label and (for a new version) its date."""

    work: str
    label: str
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if not re.match(SLUG_PATTERN, self.work):
            raise InputError(f"work {self.work!r}: use lowercase letters, digits and '-'")
        if not _LABEL.match(self.label):
            raise InputError(f"version {self.label!r}: use letters, digits, '.', '_' or '-' "
                             "(at most 100)")


def parse_date(text: str | None) -> dt.date | None:
    """A --date option: YYYY-MM-DD, or nothing."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"date {text!r}: expected YYYY-MM-DD") from None


def normalized_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs with their spacing collapsed: two originals are the same text when
    these are equal."""
    return [" ".join(line.split()) for text in paragraphs for line in text.splitlines()
            if line.strip()]


def _lines(text: str) -> list[str]:
    return normalized_paragraphs([text])


def _check_place(session: Session, place: VersionPlace, language: str,
                 original: list[str]) -> None:
    """A text filed under an existing version must be that version's text, in the work's
    language, and agree with its date."""
    work = store.find_work(session, place.work)
    if work is None:  # a new work: nothing to agree with
        return
    if work.language_original.lower() != language.lower():
        raise InputError(f"work {place.work!r} is in {work.language_original}, not {language}")
    version = store.version_by_label(session, work, place.label)
    if version is None:
        return
    if place.date and version.date and place.date != version.date:
        raise InputError(f"version {place.label!r} of {place.work!r} is dated "
                         f"{version.date.isoformat()}, not {place.date.isoformat()}")
    held = store.version_text(session, version)
    if held is not None and _lines(held) != _lines("\n".join(original)):
        raise InputError(f"the original is not the text of version {place.label!r} of "
                         f"{place.work!r} (use another --version for another text)")


def _file_under(place: VersionPlace, title: str, language: str, slug: str,
                original: list[str]) -> Callable[[Session, dict], None]:
    """The rows that file a new document under its version, in the document's transaction."""

    def write(session: Session, report: dict) -> None:
        _check_place(session, place, language, original)
        work = store.find_or_add_work(session, place.work, title, language)
        version = (store.version_by_label(session, work, place.label)
                   or store.add_version(session, work, place.label, place.date, None))
        own_works.link_document(session, slug, version)
        audit.record(session, "work.translation", f"work:{place.work}",
                     detail={"version": place.label, "document": slug})
    return write


def add_to_work(database: Library, prepared: PreparedImport, place: VersionPlace,
                **options) -> AddedDocument:
    """``bitext add ORIGINAL TRANSLATION --work --version``: a document filed under the
    version (created with the work if new); refused before any alignment when the version
    holds another text."""
    meta = prepared.meta
    if prepared.pairs is not None:
        raise InputError("--work takes an original and a translation file, not one "
                         "bilingual file")
    with database.reader() as session:
        _check_place(session, place, meta.language_original, prepared.original)
    return add_from_files(database, prepared, also_write=_file_under(
        place, meta.title_original, meta.language_original, meta.slug, prepared.original),
        **options)


def add_version_text(database: Library, place: VersionPlace, original: Path,
                     metadata_path: Path, *, format_name: str | None = None,
                     encoding: str | None = None) -> int:
    """``bitext add ORIGINAL --work --version --meta``: a version with no translation yet;
    the metadata file gives the work's title and language (title_original,
    language_original). Returns the version's paragraph count."""
    limits = ImportLimits.from_settings()
    data = read_json_file(metadata_path, limits.metadata_max_bytes)
    title, language = data.get("title_original"), data.get("language_original")
    if not isinstance(title, str) or not title.strip():
        raise InputError("metadata: missing required field 'title_original'")
    if not isinstance(language, str):
        raise InputError("metadata: missing required field 'language_original'")
    language = validate_language_tag(language)
    paragraphs, _ = read_side(Upload.from_path(original, limits.max_bytes), "original",
                              format_name=format_name, encoding=encoding, language=language)
    with database.transaction() as session:
        _check_place(session, place, language, paragraphs)
        work = store.find_or_add_work(session, place.work, title.strip(), language)
        if store.version_by_label(session, work, place.label) is not None:
            raise InputError(f"work {place.work!r} already has version {place.label!r}")
        store.add_version(session, work, place.label, place.date, "\n".join(paragraphs))
        audit.record(session, "work.version", f"work:{place.work}",
                     detail={"version": place.label})
    return len(paragraphs)


def add_translation(database: Library, work: str, label: str, translation: Path,
                    metadata_path: Path, *, format_name: str | None = None,
                    encoding: str | None = None, **options) -> AddedDocument:
    """``bitext add-translation WORK VERSION FILE --meta M``: a new document translating
    the version, aligned against its text. The metadata file may leave out the original's
    title and language: the work's are taken."""
    limits = ImportLimits.from_settings()
    with database.reader() as session:
        found = store.work_by_slug(session, work)
        version = store.existing_version(session, found, label)
        text = store.version_text(session, version)
        title, language = found.title, found.language_original
    if text is None:
        raise InputError(f"version {label!r} of {work!r} has no text")
    data = read_json_file(metadata_path, limits.metadata_max_bytes)
    meta = parse_metadata({"title_original": title, "language_original": language, **data},
                          limits.metadata)
    if meta.language_original.lower() != language.lower():
        raise InputError(f"work {work!r} is in {language}, not {meta.language_original}")
    paragraphs, read = read_side(Upload.from_path(translation, limits.max_bytes),
                                 "translation", format_name=format_name, encoding=encoding,
                                 language=meta.language_translation)
    original = text.split("\n")
    prepared = PreparedImport(
        meta, original, paragraphs,
        (SideReport(f"{work} {label}", "text", len(original), 0, 0, 0), read))
    return add_to_work(database, prepared, VersionPlace(work, label), **options)


def file_version(database: Library, place: VersionPlace, title: str, language: str, *,
                 text: str | None = None, slugs: Sequence[str] = ()) -> None:
    """Make sure the work and its version exist (a new version after the others, with
    ``text`` when no document holds it) and file each of ``slugs`` under it, unless the
    document is filed under another work already (a work of its own it leaves); loading
    again changes nothing. The documents' originals must be one text."""
    with database.transaction() as session:
        work = store.find_or_add_work(session, place.work, title, language)
        version = (store.version_by_label(session, work, place.label)
                   or store.add_version(session, work, place.label, place.date, text))
        for slug in slugs:
            document = store.documents_by_slugs(session, [slug], EVERY_STATUS)[0]
            if own_works.filed_by_choice(session, document):
                continue
            held = store.version_text(session, version)
            own = store.original_paragraphs(session, document)
            if held is not None and _lines(held) != normalized_paragraphs(own):
                raise InputError(f"{slug!r}: its original is not the text of version "
                                 f"{place.label!r} of {place.work!r}")
            own_works.link_document(session, slug, version)


def version_texts(session: Session, work: str, old: str, new: str) -> tuple[str, str]:
    """The originals of two versions of a work (NotFound, or InputError for no text)."""
    found = store.work_by_slug(session, work)
    texts = []
    for label in (old, new):
        text = store.version_text(session, store.existing_version(session, found, label))
        if text is None:
            raise InputError(f"version {label!r} of {work!r} has no text")
        texts.append(text)
    return texts[0], texts[1]


def diff_work(database: Library, work: str, old: str, new: str) -> list[Operation]:
    """The provision diff of two versions of a work's original."""
    with database.reader() as session:
        texts = version_texts(session, work, old, new)
    return diff_versions(*texts)
