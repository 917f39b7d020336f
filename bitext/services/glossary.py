"""The glossary as a use case: import and export files, keep entries revisioned, and show
each term with what the library does with it (occurrences, renderings, frequency)."""

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from bitext.core.glossary.entry import GlossaryEntry, parse_entry
from bitext.core.glossary.renderings import PairStatistics
from bitext.core.glossary.usage import (
    Pair,
    RenderingCount,
    TermUse,
    YearFrequency,
    rendering_counts,
    term_places,
    uses_of,
    year_frequencies,
)
from bitext.errors import InputError
from bitext.formats.glossary import format_of, read_glossary, write_csv, write_tbx
from bitext.services.import_limits import read_file_bytes
from bitext.services.reading import PUBLIC_STATUSES
from bitext.services.search import ConcordanceLine, concordance, filters_from_text
from bitext.store import audit
from bitext.store import glossary as store
from bitext.store.database import Database

EXPORT_FORMATS = ("tbx", "jsonl", "csv")
EXPANSION_MAX_PARTS = 12
EXPANSION_LINES_SHOWN = 20
_EXPANSION_SEPARATORS = re.compile("[、，,；;/。]")
OCCURRENCES_SHOWN = 200


@dataclass(frozen=True)
class GlossaryImport:
    added: int
    revised: int
    unchanged: int


def import_glossary(
    database: Database, data: bytes, file_format: str, *, note: str | None = None,
    user_id: int | None = None, address: str | None = None,
) -> GlossaryImport:
    """Add or revise the entries of a glossary file in one transaction; an entry equal to
    its current revision is left as it is."""
    entries = read_glossary(data, file_format)
    added = revised = 0
    with database.transaction() as session:
        for entry in entries:
            number = store.save_entry(session, entry.term, entry.as_dict(), note=note,
                                      author_id=user_id)
            added += number == 1
            revised += number > 1
        audit.record(session, "glossary.import", "glossary", user_id=user_id,
                     address=address, detail={"format": file_format, "added": added,
                                              "revised": revised})
    return GlossaryImport(added, revised, len(entries) - added - revised)


def import_glossary_file(
    database: Database, path: Path, file_format: str | None = None, *, max_bytes: int,
    note: str | None = None,
) -> GlossaryImport:
    """``bitext glossary import``: the format from ``file_format`` or the file name."""
    chosen = file_format or format_of(path.name)
    return import_glossary(database, read_file_bytes(path, max_bytes), chosen, note=note)


def glossary_entries(database: Database) -> list[GlossaryEntry]:
    with database.reader() as session:
        return [parse_entry(s.entry) for s in store.latest_entries(session)]


def export_glossary(database: Database, file_format: str) -> bytes:
    """The current entries as a TBX, JSONL or CSV file."""
    entries = glossary_entries(database)
    if file_format == "tbx":
        return write_tbx(entries)
    if file_format == "csv":
        return write_csv(entries).encode("utf-8")
    if file_format == "jsonl":
        return "".join(json.dumps(e.as_dict(), ensure_ascii=False) + "\n"
                       for e in entries).encode("utf-8")
    raise InputError(f"glossary export formats: {', '.join(EXPORT_FORMATS)}")


@dataclass(frozen=True)
class SavedEntry:
    term: str
    revision: int  # the new revision's number, 0 if the entry was unchanged


def save_entry(
    database: Database, fields: dict, *, note: str, user_id: int | None,
    address: str | None = None,
) -> SavedEntry:
    """An editor adds or corrects one entry (a new revision, unless nothing changed)."""
    entry = parse_entry(fields)
    if not note.strip():
        raise InputError("say what changed in the note")
    with database.transaction() as session:
        number = store.save_entry(session, entry.term, entry.as_dict(), note=note.strip(),
                                  author_id=user_id)
        if number:
            audit.record(session, "glossary.edit", f"glossary:{entry.term}", user_id=user_id,
                         address=address, detail={"revision": number})
    return SavedEntry(entry.term, number)


# -- what the library does with its glossary -------------------------------------------

class LibraryUsage:
    """Where every glossary term occurs in the published library (found at once, cheaply),
    and, term by term when first asked, the renderings used for it (which need the
    phrase statistics of the whole library, also computed once)."""

    def __init__(self, pairs: list[Pair], entries: dict[str, GlossaryEntry]):
        self.pairs = pairs
        self.entries = entries
        self.places = term_places(pairs, list(entries.values()))
        self._statistics: PairStatistics | None = None
        self._uses: dict[str, list[TermUse]] = {}
        self._lock = threading.Lock()

    def occurrences(self, term: str) -> int:
        return len(self.places.get(term, []))

    def uses(self, term: str) -> list[TermUse]:
        with self._lock:
            if term not in self._uses:
                if self._statistics is None:
                    self._statistics = PairStatistics(p.translation for p in self.pairs)
                self._uses[term] = uses_of(self.entries[term], self.places.get(term, []),
                                           self._statistics)
            return self._uses[term]


_usage_cache: dict[tuple, LibraryUsage] = {}
_usage_lock = threading.Lock()


def library_usage(database: Database) -> LibraryUsage:
    """The glossary's usage in the published library, kept for as long as neither the
    library nor the glossary changes."""
    with database.reader() as session:
        key = (str(database.url), store.library_version(session),
               store.glossary_version(session))
        with _usage_lock:
            cached = _usage_cache.get(key)
        if cached is not None:
            return cached
        stored = store.latest_entries(session)
        pairs = [Pair(p.slug, p.date, p.position, p.original, p.translation)
                 for p in store.library_pairs(session, PUBLIC_STATUSES)]
    usage = LibraryUsage(pairs, {s.term: parse_entry(s.entry) for s in stored})
    with _usage_lock:
        _usage_cache.clear()  # one library state at a time is enough
        _usage_cache[key] = usage
    return usage


@dataclass(frozen=True)
class EntrySummary:
    entry: GlossaryEntry
    occurrences: int


@dataclass(frozen=True)
class RevisionSummary:
    number: int
    note: str | None
    author: str | None
    created_at: object


@dataclass(frozen=True)
class ExpansionPassages:
    """Concordance lines of one part of a numbered formulation's expansion (大局意识 for
    四个意识): passages that use the expansion rather than the short form."""

    part: str
    lines: list[ConcordanceLine]
    total: int


@dataclass(frozen=True)
class EntryPage:
    entry: GlossaryEntry
    revisions: list[RevisionSummary]
    occurrences: list[TermUse]  # the first OCCURRENCES_SHOWN
    total: int
    renderings: list[RenderingCount]
    years: list[YearFrequency]
    expansion: list[ExpansionPassages]


def glossary_index(database: Database) -> list[EntrySummary]:
    usage = library_usage(database)
    return [EntrySummary(entry, usage.occurrences(term))
            for term, entry in usage.entries.items()]


def entry_page(database: Database, term: str) -> EntryPage:
    """One term with its revisions and what the published library does with it."""
    with database.reader() as session:
        revisions = store.entry_revisions(session, term)
    entry = parse_entry(revisions[0].entry)
    usage = library_usage(database)
    uses = usage.uses(term) if term in usage.entries else []
    return EntryPage(
        entry=entry,
        revisions=[RevisionSummary(r.number, r.note, r.author, r.created_at)
                   for r in revisions],
        occurrences=uses[:OCCURRENCES_SHOWN],
        total=len(uses),
        renderings=rendering_counts(uses),
        years=year_frequencies(uses, usage.pairs),
        expansion=expansion_passages(database, entry),
    )


def expansion_parts(entry: GlossaryEntry) -> list[str]:
    """The parts of an entry's expansion: 政治意识、大局意识 -> [政治意识, 大局意识]."""
    parts = (p.strip(" “”\"'") for p in _EXPANSION_SEPARATORS.split(entry.expansion_zh))
    return list(dict.fromkeys(p for p in parts if len(p) >= 2))[:EXPANSION_MAX_PARTS]


def expansion_passages(database: Database, entry: GlossaryEntry) -> list[ExpansionPassages]:
    """Each part of the expansion in the published originals, as the concordance finds it."""
    passages = []
    for part in expansion_parts(entry):
        try:
            found = concordance(database, f'"{part}"', filters_from_text(side="original"),
                                per_page=EXPANSION_LINES_SHOWN)
        except InputError:  # a part the search cannot take (punctuation only): skip it
            continue
        passages.append(ExpansionPassages(part, found.lines, found.total))
    return passages
