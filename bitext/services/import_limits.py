"""What one import may cost: file sizes, paragraph and sentence lengths, metadata sizes.

A file is measured before it is read: ``bitext add /dev/zero …`` used to grow to 5 GB
before it was killed; now it is refused after reading one byte past the limit.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bitext.core.metadata import MetadataLimits
from bitext.errors import InputError
from bitext.settings import Settings


@dataclass(frozen=True)
class ImportLimits:
    """The import settings of the same names (see ``Settings``)."""

    max_bytes: int
    max_paragraph_chars: int
    max_sentence_chars: int
    metadata_max_bytes: int
    metadata: MetadataLimits

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "ImportLimits":
        settings = settings or Settings()
        return cls(
            settings.import_max_bytes, settings.import_max_paragraph_chars,
            settings.import_max_sentence_chars, settings.metadata_max_bytes,
            MetadataLimits(settings.metadata_max_field_chars, settings.metadata_max_list_items),
        )


def read_file_bytes(path: Path, max_bytes: int, setting: str = "import_max_bytes") -> bytes:
    """The file's bytes, or one line refusing it: missing, not a file, unreadable, or
    larger than ``max_bytes`` (a regular file by its size; a device or pipe, which has
    none, after reading one byte more than the limit)."""
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise _too_large(path, max_bytes, setting)
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"not a file: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read file: {path}") from None
    if len(data) > max_bytes:
        raise _too_large(path, max_bytes, setting)
    return data


def _too_large(path: Path, max_bytes: int, setting: str) -> InputError:
    return InputError(f"{path}: larger than {max_bytes:,} bytes (setting {setting})")
