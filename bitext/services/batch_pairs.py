"""Where a batch's pairs are: a directory of pair folders, or a LIST.tsv of file pairs.

A directory holds one folder per pair (the layout of ``bitext/demo``)::

    DIR/NAME/original.txt      (or original.md)
    DIR/NAME/translation.txt   (or translation.md)
    DIR/NAME/meta.json         (``add --batch``: required; ``align --batch``: optional,
                                its language_original/language_translation are used)

Folders whose name starts with a dot, and files directly in DIR, are not pairs. A
LIST.tsv has one pair a line, ``SOURCE<TAB>TARGET[<TAB>NAME]``, paths relative to the
list's folder; blank lines and lines starting with ``#`` are skipped; NAME defaults to
SOURCE's file name without its extension. A pair that cannot be listed (a folder missing
a file, a line without two paths, a name used twice) is a failure of that pair alone.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bitext.errors import InputError
from bitext.services.batch_tasks import PairFailure

TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class PairFiles:
    name: str
    source: Path
    target: Path
    metadata: Path | None = None


@dataclass(frozen=True)
class PairListing:
    pairs: list[PairFiles]
    failures: list[PairFailure]


def list_pairs(batch: Path, *, metadata_required: bool) -> PairListing:
    """The pairs of a directory or of a LIST.tsv; one line of error if ``batch`` is
    neither."""
    if batch.is_dir():
        listing = _folder_pairs(batch, metadata_required)
    elif batch.is_file():
        if metadata_required:
            raise InputError(f"{batch}: add --batch takes a directory of pair folders")
        listing = _listed_pairs(batch)
    else:
        raise InputError(f"no such file or directory: {batch}")
    return _unique_names(listing)


def content_key(parts: Iterable[bytes | str]) -> str:
    """A hash of everything that decides a pair's result (texts, metadata, options), each
    part length-prefixed so that no two different lists hash alike."""
    digest = hashlib.sha256(b"bitext-batch-1")
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _folder_pairs(folder: Path, metadata_required: bool) -> PairListing:
    pairs, failures = [], []
    for pair in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        source, target = _text_file(pair, "original"), _text_file(pair, "translation")
        metadata = pair / "meta.json"
        missing = [f"{stem}.txt (or .md)" for stem, path in (("original", source),
                                                             ("translation", target))
                   if path is None]
        if metadata_required and not metadata.is_file():
            missing.append("meta.json")
        if missing or source is None or target is None:
            failures.append(PairFailure(pair.name, f"the folder has no {', '.join(missing)}"))
            continue
        pairs.append(PairFiles(pair.name, source, target,
                               metadata if metadata.is_file() else None))
    return PairListing(pairs, failures)


def _text_file(folder: Path, stem: str) -> Path | None:
    for suffix in TEXT_SUFFIXES:
        if (folder / f"{stem}{suffix}").is_file():
            return folder / f"{stem}{suffix}"
    return None


def _listed_pairs(listing: Path) -> PairListing:
    try:
        text = listing.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        raise InputError(f"cannot read {listing}: {reason or 'unreadable'}") from None
    pairs, failures = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) not in (2, 3) or not all(fields):
            failures.append(PairFailure(f"line {number}", "expected SOURCE<TAB>TARGET[<TAB>NAME]"))
            continue
        source, target = (listing.parent / f for f in fields[:2])
        name = fields[2] if len(fields) == 3 else source.stem
        if not _is_plain_name(name):
            failures.append(PairFailure(f"line {number}", "a NAME is a file name: no / or \\, "
                                        "not starting with a dot"))
            continue
        pairs.append(PairFiles(name, source, target))
    return PairListing(pairs, failures)


def _is_plain_name(name: str) -> bool:
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name


def _unique_names(listing: PairListing) -> PairListing:
    """The first pair of each name; a later one is refused, since results go by name."""
    seen: set[str] = set()
    pairs, failures = [], list(listing.failures)
    for pair in listing.pairs:
        if pair.name in seen:
            failures.append(PairFailure(pair.name, "another pair of the batch has this name"))
        else:
            seen.add(pair.name)
            pairs.append(pair)
    return PairListing(pairs, failures)
