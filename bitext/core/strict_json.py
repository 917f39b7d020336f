"""The one JSON reader for what users hand us (metadata files, JSONL lines, TMX headers).

Python's ``json`` accepts things that later break the library: a repeated key (the last
silently wins), ``NaN`` and ``Infinity`` (the JSON export then fails), a lone surrogate
``"\\ud800"`` (no UTF-8 store takes it) and nesting deep enough to raise ``RecursionError``.
Each is refused here with one line.
"""

import json

from bitext.core.text.normalize import has_lone_surrogate
from bitext.errors import InputError

JSON_MAX_DEPTH = 32  # our own files nest four levels at most


def load_json(text: str) -> object:
    """Parse ``text`` strictly; raise ``InputError`` with the problem (caller adds where)."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise InputError(f"not accepted JSON: nested deeper than {JSON_MAX_DEPTH} levels") from None
    _check(value)
    return value


def load_json_object(text: str, where: str) -> dict:
    """``load_json`` where only an object will do; every error starts with ``where``."""
    try:
        value = load_json(text)
    except InputError as error:
        raise InputError(f"{where}: {error.message}") from None
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object")
    return value


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise InputError(f"not accepted JSON: the key {key[:40]!r} appears twice")
        seen.add(key)
    return dict(pairs)


def _no_constant(name: str) -> object:
    raise InputError(f"not accepted JSON: {name} is not a number JSON allows")


def _check(value: object) -> None:
    """Walk ``value`` without recursion: refuse deep nesting and lone surrogates."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > JSON_MAX_DEPTH:
                raise InputError(f"not accepted JSON: nested deeper than {JSON_MAX_DEPTH} levels")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and has_lone_surrogate(item):
            raise InputError("not accepted JSON: a string holds a lone surrogate (\\ud800-\\udfff)")
