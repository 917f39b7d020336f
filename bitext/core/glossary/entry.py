"""A glossary entry as plain data, checked on the way in.

Every file format (JSONL, CSV, TBX) and the web form produce a dict of fields; ``parse_entry``
is the one gate they all pass, so limits and refusals are the same whatever the source.
Markup is not refused (a term is text; every page escapes it), but control characters,
oversized fields and oversized entries are: one line naming the problem.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from bitext.errors import InputError

TERM_MAX_CHARS = 200  # the glossary_terms.term column
FIELD_MAX_CHARS = 4000  # any one text field
LIST_MAX_ITEMS = 100  # variants, sources
ENTRY_MAX_BYTES = 64 * 1024  # the whole entry as JSON (the seed's largest is ~4 KB)

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TEXT_FIELDS = ("term_hant", "pinyin", "canonical", "canonical_source", "expansion_zh",
                "expansion_en", "category", "notes", "first_seen")
_LIST_FIELDS = ("variants", "sources")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str  # the original-script form (simplified Chinese for the seed)
    canonical: str = ""  # the canonical English rendering
    canonical_source: str = ""
    canonical_is_official: bool = False
    term_hant: str = ""  # the traditional-script form
    pinyin: str = ""
    variants: tuple[str, ...] = ()  # other accepted renderings
    expansion_zh: str = ""  # what a numbered formulation stands for
    expansion_en: str = ""
    category: str = ""
    notes: str = ""
    first_seen: str = ""
    sources: tuple[str, ...] = field(default=())

    def renderings(self) -> tuple[str, ...]:
        """The canonical rendering first, then the variants: every accepted rendering."""
        return tuple(r for r in (self.canonical, *self.variants) if r)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["variants"], data["sources"] = list(self.variants), list(self.sources)
        return data


# The seed file's field names, mapped to ours (JSONL import).
SEED_FIELDS = {
    "zh": "term", "zh_hant": "term_hant", "canonical_en": "canonical",
    "variants_en": "variants",
}


def parse_entry(raw: Mapping[str, object]) -> GlossaryEntry:
    """Check ``raw`` (our field names or the seed's) and return the entry it describes."""
    data = {SEED_FIELDS.get(key, key): value for key, value in raw.items()}
    term = _text(data.get("term"), "term")
    if not term:
        raise InputError("a glossary entry needs a term")
    if len(term) > TERM_MAX_CHARS:
        raise InputError(f"a glossary term is longer than {TERM_MAX_CHARS} characters")
    values: dict = {"term": term}
    for name in _TEXT_FIELDS:
        values[name] = _text(data.get(name), name)
    for name in _LIST_FIELDS:
        values[name] = _texts(data.get(name), name)
    values["canonical_is_official"] = data.get("canonical_is_official") is True
    entry = GlossaryEntry(**values)
    size = len(json.dumps(entry.as_dict(), ensure_ascii=False).encode("utf-8"))
    if size > ENTRY_MAX_BYTES:
        raise InputError(f"the glossary entry for {term[:40]!r} is larger than "
                         f"{ENTRY_MAX_BYTES // 1024} KB")
    return entry


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"glossary field {name} must be text")
    value = value.strip()
    if len(value) > FIELD_MAX_CHARS:
        raise InputError(f"glossary field {name} is longer than {FIELD_MAX_CHARS} characters")
    if _CONTROLS.search(value):
        raise InputError(f"glossary field {name} contains a control character")
    return value


def _texts(value: object, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"glossary field {name} must be a list of texts")
    if len(value) > LIST_MAX_ITEMS:
        raise InputError(f"glossary field {name} has more than {LIST_MAX_ITEMS} items")
    texts = (_text(v, name) for v in value)
    return tuple(dict.fromkeys(t for t in texts if t))
