"""``bitext add --batch DIR``: a directory of document pairs into the library.

Each pair is a folder (see ``batch_pairs``) with ``meta.json``, ``original.txt`` and
``translation.txt``, checked here as ``bitext add`` checks them (sizes, encoding,
metadata). Workers segment and align; this process stores each document in its own
transaction as it arrives, with the content hash of its three files. A re-run skips the
documents stored with the same hash; a slug the library holds with other content, or
given twice in the batch, fails that pair only.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bitext.core.metadata import DocumentMetadata, parse_metadata
from bitext.core.text.decode import decode_text
from bitext.errors import BitextError
from bitext.services.batch import BatchProgress, BatchReport, dask_client, run_batch
from bitext.services.batch_pairs import PairFiles, content_key, list_pairs
from bitext.services.batch_tasks import (
    AlignedDocumentPair,
    DocumentPairJob,
    PairFailure,
    align_document_pair,
)
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.library import Library, read_json_file, write_document
from bitext.store.batch_records import batch_keys, record_batch_key
from bitext.store.documents import check_slug_is_new


@dataclass(frozen=True)
class _Checked:
    pair: PairFiles
    key: str
    meta: DocumentMetadata


def add_batch(
    database: Library, batch: Path, *, encoding: str = "utf-8",
    limits: ImportLimits | None = None, scheduler: str | None = None,
    workers: int | None = None, processes: bool = True, progress: BatchProgress | None = None,
) -> BatchReport:
    """Add every document pair of the directory ``batch`` that the library lacks."""
    limits = limits or ImportLimits.from_settings()
    decode_text(b"", encoding)  # an unknown encoding is refused once, not once a pair
    listing = list_pairs(batch, metadata_required=True)
    report = BatchReport(failures=list(listing.failures))
    checked: list[_Checked] = []
    for pair in listing.pairs:
        try:
            checked.append(_checked(pair, encoding, limits))
        except BitextError as error:
            report.failures.append(PairFailure(pair.name, error.message))
    to_run = _not_yet_added(database, checked, report)
    if not to_run:
        return report
    with dask_client(scheduler, workers, processes=processes) as client:
        return run_batch(client, _jobs(to_run, encoding, limits), len(to_run),
                         align_document_pair, LibraryWriter(database, to_run), progress,
                         report)


def _checked(pair: PairFiles, encoding: str, limits: ImportLimits) -> _Checked:
    """The pair's metadata and content hash; its texts are read, decoded and dropped."""
    assert pair.metadata is not None  # list_pairs(metadata_required=True) saw to it
    data = read_json_file(pair.metadata, limits.metadata_max_bytes)
    meta = parse_metadata(data, limits.metadata)
    texts = [_read_text(path, encoding, limits) for path in (pair.source, pair.target)]
    return _Checked(pair, content_key([json.dumps(data, sort_keys=True), *texts]), meta)


def _read_text(path: Path, encoding: str, limits: ImportLimits) -> str:
    return decode_text(read_file_bytes(path, limits.max_bytes), encoding, name=str(path))


def _not_yet_added(database: Library, checked: list[_Checked],
                   report: BatchReport) -> list[_Checked]:
    """The pairs to run: not stored with their hash yet, each slug once."""
    with database.reader() as session:
        stored = batch_keys(session, [c.meta.slug for c in checked])
    to_run, slugs = [], set()
    for item in checked:
        slug = item.meta.slug
        if slug in stored and stored[slug] == item.key:
            report.already_done += 1
        elif slug in stored:
            report.failures.append(PairFailure(item.pair.name, f"a document with slug {slug!r} "
                                               "is already in the library, not from these files"))
        elif slug in slugs:
            report.failures.append(PairFailure(item.pair.name, f"another pair of the batch has "
                                               f"the slug {slug!r}"))
        else:
            slugs.add(slug)
            to_run.append(item)
    return to_run


def _jobs(to_run: list[_Checked], encoding: str,
          limits: ImportLimits) -> Iterator[DocumentPairJob | PairFailure]:
    """Each pair's texts read again as it is sent: the client never holds the corpus."""
    for item in to_run:
        try:
            original, translation = (_read_text(path, encoding, limits)
                                     for path in (item.pair.source, item.pair.target))
        except BitextError as error:
            yield PairFailure(item.pair.name, error.message)
            continue
        yield DocumentPairJob(item.pair.name, item.key, original, translation,
                              item.meta.language_original, item.meta.language_translation,
                              limits.max_paragraph_chars, limits.max_sentence_chars)


class LibraryWriter:
    """The one writer: each aligned document in a transaction of its own."""

    def __init__(self, database: Library, to_run: list[_Checked]):
        self.database = database
        self.meta = {item.pair.name: item.meta for item in to_run}

    def write(self, result: AlignedDocumentPair) -> None:
        meta = self.meta.pop(result.name)
        with self.database.transaction() as session:
            check_slug_is_new(session, meta.slug)  # added by someone else meanwhile
            write_document(session, meta, result.original, result.translation,
                           result.method, result.alignment, engine=result.engine)
            record_batch_key(session, meta.slug, result.key)
