"""Versions of an original: read two files within the import limits and diff them."""

from pathlib import Path

from bitext.core.text.decode import decode_text
from bitext.core.versions.diff import Operation, diff_versions
from bitext.services.import_limits import ImportLimits, read_file_bytes


def diff_files(old: Path, new: Path, encoding: str = "utf-8") -> list[Operation]:
    """The provision diff of two text files; a file too large, unreadable or not text is
    refused with one line naming it."""
    limits = ImportLimits.from_settings()
    old_text, new_text = (decode_text(read_file_bytes(path, limits.max_bytes), encoding,
                                      name=str(path)) for path in (old, new))
    return diff_versions(old_text, new_text)
