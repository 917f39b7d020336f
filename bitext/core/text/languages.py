"""BCP 47 language tags: validation, and the few facts the pipeline needs per language."""

import langcodes

from bitext.errors import InputError


def validate_language_tag(tag: str) -> str:
    """Return the tag in its standard form, or raise naming the bad code."""
    try:
        valid = langcodes.tag_is_valid(tag) and langcodes.Language.get(tag).is_valid()
    except (ValueError, LookupError):
        valid = False
    if not valid:
        raise InputError(
            f"unknown language code: {tag!r} (expected a BCP 47 tag such as zh-Hans or en)"
        )
    return langcodes.standardize_tag(tag)


def base_language(tag: str) -> str:
    """'zh-Hant-TW' -> 'zh': segmentation rules depend on the language, not the script."""
    return langcodes.Language.get(tag).language or tag


def is_chinese(tag: str) -> bool:
    return base_language(tag) in {"zh", "cmn", "yue", "wuu", "lzh"}


def joins_without_spaces(tag: str) -> bool:
    """Languages written without spaces between words or sentences."""
    return base_language(tag) in {"zh", "cmn", "yue", "wuu", "lzh", "ja", "th", "lo", "km", "my"}
