"""JSON Lines: a ``document`` line with the metadata, then one ``bead`` line per sentence bead.

Bead lines carry segment ids, scores and paragraph positions, so an import rebuilds the
same paragraphs and beads. A whole-library file is these blocks one after another.
"""

import json
from collections.abc import Iterable, Iterator

from bitext.core.strict_json import load_json_object
from bitext.errors import InputError
from bitext.formats.chunks import utf8_chunks
from bitext.formats.model import AlignedBead, AlignedDocument

JSONL_MAX_LINE_CHARS = 10 * 1024 * 1024


def jsonl_lines(document: AlignedDocument) -> Iterator[str]:
    yield _dump({
        "kind": "document",
        "document": document.slug,
        "language_source": document.language_source,
        "language_target": document.language_target,
        "metadata": document.metadata,
    })
    for number, bead in enumerate(document.beads, start=1):
        yield _dump({
            "kind": "bead",
            "document": document.slug,
            "bead": number,
            "paragraph": bead.row,
            "source": list(bead.source),
            "target": list(bead.target),
            "score": bead.score,
            "paragraph_score": bead.row_score,
            "source_ids": list(bead.source_ids) if bead.source_ids is not None else None,
            "target_ids": list(bead.target_ids) if bead.target_ids is not None else None,
            "source_paragraphs": _list(bead.source_paragraphs),
            "target_paragraphs": _list(bead.target_paragraphs),
        })


def jsonl_chunks(documents: Iterable[AlignedDocument]) -> Iterator[bytes]:
    """The file in chunks, one document read from ``documents`` at a time."""
    return utf8_chunks(line for d in documents for line in jsonl_lines(d))


def write_jsonl(documents: Iterable[AlignedDocument]) -> bytes:
    return b"".join(jsonl_chunks(documents))


def _list(values):
    return list(values) if values is not None else None


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n"


def read_jsonl(data: bytes) -> list[AlignedDocument]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("JSONL: not UTF-8") from None
    documents: list[AlignedDocument] = []
    name: object = None  # the last document line's name, which its bead lines repeat
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > JSONL_MAX_LINE_CHARS:
            raise InputError(f"JSONL line {number}: too long")
        record = load_json_object(line, f"JSONL line {number}")
        try:
            if record.get("kind") == "document":
                metadata = record.get("metadata") or {}
                if not isinstance(metadata, dict):
                    raise TypeError("metadata")
                documents.append(AlignedDocument(
                    metadata, str(record["language_source"]), str(record["language_target"]),
                    [],
                ))
                name = record.get("document", metadata.get("slug"))
            elif record.get("kind") == "bead":
                if not documents:
                    raise InputError(f"JSONL line {number}: a bead before any document line")
                if record.get("document", name) != name:
                    raise InputError(f"JSONL line {number}: the bead names another document "
                                     "than the document line above it")
                documents[-1].beads.append(_bead(record))
            else:
                raise InputError(f"JSONL line {number}: unknown kind")
        except (KeyError, TypeError, ValueError):
            raise InputError(f"JSONL line {number}: missing or malformed fields") from None
    if not documents:
        raise InputError("JSONL: no document")
    return documents


def _strings(values) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError("expected a list of strings")
    return tuple(values)


def _ints(values) -> tuple[int, ...] | None:
    if values is None:
        return None
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise TypeError("expected a list of integers")
    return tuple(values)


def _bead(record: dict) -> AlignedBead:
    row = record.get("paragraph")
    row_score = record.get("paragraph_score")
    return AlignedBead(
        source=_strings(record["source"]),
        target=_strings(record["target"]),
        score=float(record.get("score") or 0.0),
        source_paragraphs=_ints(record.get("source_paragraphs")),
        target_paragraphs=_ints(record.get("target_paragraphs")),
        row=int(row) if row is not None else None,
        row_score=float(row_score) if row_score is not None else None,
        source_ids=_ints(record.get("source_ids")),
        target_ids=_ints(record.get("target_ids")),
    )
