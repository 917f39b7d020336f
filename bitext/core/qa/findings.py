"""A finding of a translation check, and the pairs the checks read."""

import hashlib
from dataclasses import dataclass, field

KINDS = ("terminology", "numbers", "names", "omission", "addition", "length", "untranslated",
         "repeated", "consistency")


@dataclass(frozen=True)
class Row:
    """One aligned sentence bead: its place in the document and its two texts."""

    position: int  # 0-based
    original: str
    translation: str


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    row: int  # the bead position (0-based)
    message: str
    detail: dict = field(default_factory=dict)
    key: str = ""  # stable id: the same fault in the same texts keeps its key

    @classmethod
    def make(cls, kind: str, row: Row, message: str, **detail: object) -> "Finding":
        basis = "\x1f".join([kind, row.original, row.translation,
                             *(f"{k}={v}" for k, v in sorted(detail.items()))])
        key = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
        return cls(kind, row.position, message, dict(detail), key)
