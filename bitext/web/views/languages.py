"""Language tags as readers and crawlers want them: names in their own language, og:locale."""

from functools import lru_cache

import langcodes


@lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """The language's name in itself ("中文（简体）", "English"); the tag if it has none."""
    try:
        language = langcodes.Language.get(tag)
        if not language.is_valid():
            return tag
        # "zh-TW"'s autonym mixes English in; named in its base language it reads right.
        base = language.language
        name = (language.display_name(base) if base and language.territory
                and not language.script else language.autonym())
    except (ValueError, LookupError):
        return tag
    return name or tag


@lru_cache(maxsize=256)
def og_locale(tag: str) -> str:
    """Open Graph's ``language_TERRITORY`` ("zh_CN", "en_US"), the likeliest territory
    filled in: a script ("zh_Hans") or a bare language is not a valid og:locale."""
    try:
        language = langcodes.Language.get(tag)
        valid = language.is_valid()
        language = language.maximize()
    except (ValueError, LookupError):
        return "en_US"
    if not valid or not language.language or not language.territory:
        return "en_US"
    return f"{language.language}_{language.territory}"
