"""``bitext align --batch``: many pairs of files, one file of beads per pair.

Each result is written as ``OUTPUT_DIR/NAME.align`` (``.tsv``, ``.json``), whole or not at
all (a temporary file renamed), and then noted in ``OUTPUT_DIR/bitext-batch.jsonl`` with
its content hash: the hash of both files' bytes, the languages, the level and the format.
A re-run skips every pair noted with the same hash whose file is there, so it resumes
where a stopped run left off and redoes a pair only when its input or options changed.
"""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bitext.core.text.decode import decode_text
from bitext.errors import BitextError, InputError
from bitext.services.batch import BatchProgress, BatchReport, dask_client, run_batch
from bitext.services.batch_pairs import PairFiles, content_key, list_pairs
from bitext.services.batch_tasks import AlignedLines, LinePairJob, PairFailure, align_line_pair
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.library import read_json_file
from bitext.services.line_alignment import Level, OutputFormat

JOURNAL = "bitext-batch.jsonl"


@dataclass(frozen=True)
class LineOptions:
    level: Level = Level.sentence
    output_format: OutputFormat = OutputFormat.align
    source_language: str = "zh-Hans"  # unless the pair's meta.json names its languages
    target_language: str = "en"


def align_batch(
    batch: Path, output_dir: Path, options: LineOptions | None = None, *,
    scheduler: str | None = None, workers: int | None = None, processes: bool = True,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Align every pair of ``batch`` (a directory or a LIST.tsv, see ``batch_pairs``)
    that ``output_dir`` does not hold yet."""
    options = options or LineOptions()
    listing = list_pairs(batch, metadata_required=False)
    outputs = AlignmentFiles(output_dir, options.output_format)
    limits = ImportLimits.from_settings()
    report = BatchReport(failures=list(listing.failures))
    to_run: list[tuple[PairFiles, str]] = []
    for pair in listing.pairs:
        try:
            key = _read(pair, options, limits)[2]
        except BitextError as error:
            report.failures.append(PairFailure(pair.name, error.message))
            continue
        if outputs.holds(pair.name, key):
            report.already_done += 1
        else:
            to_run.append((pair, key))
    if not to_run:
        return report
    with dask_client(scheduler, workers, processes=processes) as client:
        outputs.make_folder()
        return run_batch(client, _jobs(to_run, options, limits), len(to_run), align_line_pair,
                         outputs, progress, report)


def _jobs(to_run: list[tuple[PairFiles, str]], options: LineOptions,
          limits: ImportLimits) -> Iterator[LinePairJob | PairFailure]:
    """Each pair read again as it is sent: the batch never holds the corpus in memory."""
    for pair, _ in to_run:
        try:
            yield _job(pair, options, limits)
        except BitextError as error:
            yield PairFailure(pair.name, error.message)


def _read(pair: PairFiles, options: LineOptions,
          limits: ImportLimits) -> tuple[list[bytes], tuple[str, str], str]:
    """The pair's two files as bytes, its languages and its content key; nothing decoded
    (to see whether a pair is done, its key is enough)."""
    languages = (options.source_language, options.target_language)
    if pair.metadata is not None:
        languages = _languages(pair.metadata, limits, languages)
    data = [read_file_bytes(path, limits.max_bytes) for path in (pair.source, pair.target)]
    return data, languages, content_key([*data, *languages, options.level,
                                         options.output_format])


def _job(pair: PairFiles, options: LineOptions, limits: ImportLimits) -> LinePairJob:
    data, (source_language, target_language), key = _read(pair, options, limits)
    source_text, target_text = (decode_text(d, name=p.name)
                                for d, p in zip(data, (pair.source, pair.target), strict=True))
    return LinePairJob(pair.name, key, source_text, target_text, source_language,
                       target_language, options.level, options.output_format)


def _languages(path: Path, limits: ImportLimits, default: tuple[str, str]) -> tuple[str, str]:
    data = read_json_file(path, limits.metadata_max_bytes)
    languages = (data.get("language_original", default[0]),
                 data.get("language_translation", default[1]))
    if not all(isinstance(language, str) for language in languages):
        raise InputError(f"{path.name}: languages are BCP 47 tags, as text")
    return languages


class AlignmentFiles:
    """The output directory and its journal of finished pairs."""

    def __init__(self, folder: Path, output_format: OutputFormat):
        if folder.exists() and not folder.is_dir():
            raise InputError(f"the output folder is a file: {folder}")
        self.folder, self.suffix = folder, f".{output_format.value}"
        self.journal = folder / JOURNAL
        self.keys = self._read_journal()

    def make_folder(self) -> None:
        """Made once the cluster is there: a batch that cannot start writes nothing."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot make the output folder {self.folder}: "
                             f"{error.strerror or 'refused'}") from None

    def holds(self, name: str, key: str) -> bool:
        return self.keys.get(name) == key and (self.folder / f"{name}{self.suffix}").is_file()

    def write(self, result: AlignedLines) -> None:
        path = self.folder / f"{result.name}{self.suffix}"
        partial = self.folder / f".{result.name}{self.suffix}.partial"
        try:
            partial.write_text(result.rendered, encoding="utf-8")
            os.replace(partial, path)
        except OSError as error:
            raise InputError(f"cannot write {path.name}: {error.strerror or 'refused'}") from None
        with self.journal.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps({"name": result.name, "key": result.key,
                                      "beads": result.beads}, ensure_ascii=False) + "\n")
            journal.flush()
            os.fsync(journal.fileno())
        self.keys[result.name] = result.key

    def _read_journal(self) -> dict[str, str]:
        """Name to hash of each noted pair; a line cut short by a crash is ignored."""
        keys: dict[str, str] = {}
        if not self.journal.is_file():
            return keys
        for line in self.journal.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
                keys[str(entry["name"])] = str(entry["key"])
            except (ValueError, KeyError, TypeError):
                continue
        return keys
