"""The document metadata file: a documented JSON schema (``bitext schema`` prints it).

Only the first five fields are required; extra fields are kept, so other tools can carry
their own data through bitext.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bitext.core.text.languages import validate_language_tag
from bitext.core.text.normalize import has_control_characters
from bitext.errors import InputError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,119}$"


class Author(BaseModel):
    """An author, in the original script and romanized (e.g. 马兴瑞, Ma Xingrui)."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1, max_length=300, description="Name in the original script.")
    romanized: str | None = Field(None, max_length=300, description="Romanized name.")


class DocumentMetadata(BaseModel):
    """Metadata of a translated document."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    slug: str = Field(pattern=SLUG_PATTERN, description="URL name: lowercase letters, digits, '-'.")
    title_original: str = Field(min_length=1, max_length=1000)
    title_translation: str = Field(min_length=1, max_length=1000)
    language_original: str = Field(description="BCP 47 tag of the original, e.g. zh-Hans.")
    language_translation: str = Field(description="BCP 47 tag of the translation, e.g. en.")
    authors: list[Author] = Field(default_factory=list)
    source: str | None = Field(None, description="Source publication, original name.")
    source_translation: str | None = Field(None, description="Source publication, English name.")
    date: dt.date | None = Field(None, description="Date of the original publication.")
    version_date: dt.date | None = Field(
        None, description="Date of the version translated, when it is not the original: "
        "e.g. the constitution of 1982 as amended on 2018-03-11. The library sorts and cites "
        "the document by it, and names the original's date beside it.")
    translator: str | None = None
    publisher: str | None = Field(None, description="Publisher of the translation.")
    summary: str | None = Field(None, max_length=20000)
    tags: list[str] = Field(default_factory=list)
    url_original: str | None = Field(None, max_length=2000)
    licence: str | None = Field(None, max_length=5000)
    status: Literal["draft", "published"] = "draft"

    @field_validator("language_original", "language_translation")
    @classmethod
    def _known_language(cls, tag: str) -> str:
        return validate_language_tag(tag)

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        cleaned = [re.sub(r"\s+", " ", t).strip() for t in tags]
        return list(dict.fromkeys(t for t in cleaned if t))

    @field_validator("url_original")
    @classmethod
    def _http_only(cls, url: str | None) -> str | None:
        if url and not re.match(r"^https?://", url, re.IGNORECASE):
            raise ValueError("url_original must be an http or https address")
        return url

    @field_validator("version_date")
    @classmethod
    def _not_before_original(cls, version: dt.date | None,
                             info: ValidationInfo) -> dt.date | None:
        original = info.data.get("date")
        if version and original and version < original:
            raise ValueError("the version translated cannot be older than the original (date)")
        return version

    def extra_fields(self) -> dict:
        return dict(self.model_extra or {})


METADATA_FIELDS = tuple(DocumentMetadata.model_fields)
"""Every field of the metadata file, in the schema's order."""
FIXED_FIELDS = ("slug", "language_original", "language_translation")
"""Chosen at import and never edited: the URL and the languages the text was segmented in."""
EDITABLE_TEXT_FIELDS = tuple(
    name for name in METADATA_FIELDS if name not in {*FIXED_FIELDS, "authors", "tags", "status"}
)
"""The single-value fields an editor may change (authors and tags are lists; status has its
own workflow)."""


def metadata_dict(meta: Any) -> dict:
    """The metadata-file fields of ``meta`` as JSON-ready data: empty fields left out,
    authors as name and romanized name, extra fields kept. ``meta`` is anything with the
    fields as attributes, ``tags`` as text and ``extra`` as a dict (a stored document's
    summary, as the reader and the exporters see it)."""
    data: dict = {}
    for name in METADATA_FIELDS:
        if name == "authors":
            continue
        value = getattr(meta, name, None)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value not in (None, [], ""):
            data[name] = list(value) if isinstance(value, list | tuple) else value
    data["authors"] = [
        {"name": a.name, **({"romanized": a.romanized} if a.romanized else {})}
        for a in meta.authors
    ]
    data.update(getattr(meta, "extra", None) or {})
    return data


@dataclass(frozen=True)
class MetadataLimits:
    """Caps on one metadata file's content: a 20 MB source made every library page 40 MB,
    and 200,000 tags took minutes to import."""

    max_field_chars: int
    max_list_items: int


_SCHEMA_CAPPED = frozenset({"summary", "licence"})  # long texts with their own max_length


def check_metadata_limits(data: dict, limits: MetadataLimits) -> None:
    """Refuse, in one line, a text or a list beyond ``limits`` anywhere in ``data``."""
    for key, value in data.items():
        if key in _SCHEMA_CAPPED:
            continue
        for where, node in _nodes(value, str(key)[:80]):
            if isinstance(node, str) and len(node) > limits.max_field_chars:
                raise InputError(f"metadata: field {where!r}: longer than "
                                 f"{limits.max_field_chars:,} characters (setting "
                                 "metadata_max_field_chars)")
            if isinstance(node, list | dict) and len(node) > limits.max_list_items:
                kind = "items" if isinstance(node, list) else "keys"
                raise InputError(f"metadata: field {where!r}: more than "
                                 f"{limits.max_list_items:,} {kind} (setting "
                                 "metadata_max_list_items)")


def parse_metadata(data: object, limits: MetadataLimits | None = None) -> DocumentMetadata:
    """Validate metadata, raising one line that names the first problem; ``limits`` (the
    import settings) bound its texts and lists before anything else looks at them."""
    if not isinstance(data, dict):
        raise InputError("metadata: expected a JSON object")
    if limits is not None:
        check_metadata_limits(data, limits)
    for field, text in _nodes(data):
        if isinstance(text, str) and has_control_characters(text):
            raise InputError(f"metadata: field {field[:80]!r}: a control character is not "
                             "allowed")
    try:
        return DocumentMetadata.model_validate(data)
    except InputError as error:
        raise InputError(f"metadata: {error.message}") from None
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "metadata"
        if first["type"] == "missing":
            raise InputError(f"metadata: missing required field {field!r}") from None
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(f"metadata: field {field!r}: {message}") from None


def _nodes(value: object, where: str = "") -> Iterator[tuple[str, object]]:
    """``value`` and everything inside it (keys too), each with the field it sits in, e.g.
    ``authors.0``; a key is cut to 80 characters in the names of the fields below it."""
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{str(key)[:80]}" if where else str(key)[:80]
            yield from _nodes(key, inner)
            yield from _nodes(item, inner)
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from _nodes(item, f"{where}.{number}")
