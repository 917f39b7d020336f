"""Joining hard-wrapped lines back into the paragraph they were cut from.

Shared by the plain-text, Markdown and PDF readers: a line break inside a paragraph becomes
a space, or nothing next to a character of a script written without spaces (a wrapped
Chinese line must not gain one), and a Latin word hyphenated at the line end is made whole.
"""

import re
import unicodedata

_NO_SPACE_SCRIPTS = re.compile(
    "[\u2e80-\u2fff\u3000-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f\u0e00-\u0e7f\u0e80-\u0eff"
    "\u1000-\u109f\u1780-\u17ff]"
)
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_ENDS_CLAUSE = re.compile(r"[.!?;:。！？；：…\"'”’」』）)\]]\s*$")
_WHITESPACE = re.compile(r"\s+")
_LIST_MARK = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,3})[.)]|[•·▪–—-])\s")
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
     "to", "with"))


def is_no_space_char(char: str) -> bool:
    return bool(_NO_SPACE_SCRIPTS.match(char))


def is_latin_letter(char: str) -> bool:
    return char.isalpha() and "LATIN" in unicodedata.name(char, "")


def tidy(text: str) -> str:
    """Runs of whitespace (a newline too) as one space, none at either end."""
    return _WHITESPACE.sub(" ", text).strip()


def join_two(left: str, right: str) -> str:
    """``left`` and the line wrapped after it as one text."""
    if not left or not right:
        return left + right
    if left[-1] in "\u2010\u00ad":  # a hyphen that is part of the word; a soft one
        return (left if left[-1] == "\u2010" else left[:-1]) + right
    if (_HYPHENATED.search(left) and right[0].islower() and is_latin_letter(left[-2])
            and is_latin_letter(right[0])):
        return left[:-1] + right
    if is_no_space_char(left[-1]) or is_no_space_char(right[0]):
        return left + right
    return f"{left} {right}"


def join_lines(lines: list[str]) -> str:
    """The lines of one paragraph as one text (see :func:`join_two`)."""
    text = ""
    for line in lines:
        line = tidy(line)
        if line:
            text = join_two(text, line)
    return text


def starts_list_item(line: str) -> bool:
    """``line`` starts with a list mark: "a. ", "(ii) ", "3) ", "• "."""
    return bool(_LIST_MARK.match(line))


def continues(line: str, following: str) -> bool:
    """True when ``following`` reads as the rest of ``line``'s sentence: ``line`` ends
    without a clause mark and ``following`` starts with a lower-case Latin letter, or
    ``line`` ends in a hyphenated word or a word such as "of" that cannot end a
    sentence, or leaves a bracket open; never when ``following`` starts a list item."""
    line, following = line.rstrip(), following.lstrip()
    if not line or not following or starts_list_item(following):
        return False
    if line.count("(") > line.count(")") or line.count("（") > line.count("）"):
        return True
    if _ENDS_CLAUSE.search(line):
        return False
    if line.rsplit(" ", 1)[-1].lower() in _FUNCTION_WORDS or _HYPHENATED.search(line):
        return True
    return following[0].islower() and is_latin_letter(following[0])


def rejoin_wrapped(lines: list[str], max_lines: int = 12) -> list[list[str]]:
    """Group line-per-paragraph ``lines`` into paragraphs, a line joining the one before it
    when it :func:`continues` it (at most ``max_lines`` lines to a paragraph, so a bracket
    never closed cannot swallow the rest of the file)."""
    groups: list[list[str]] = []
    for line in lines:
        if groups and len(groups[-1]) < max_lines and continues(join_lines(groups[-1]), line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups
