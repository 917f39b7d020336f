"""The two sides of a translated document, named once for every layer (store columns,
services, web forms and query parameters, export formats)."""

from typing import Literal, TypeGuard, get_args

from bitext.errors import InputError

Side = Literal["original", "translation"]
SIDES: tuple[Side, ...] = get_args(Side)


def is_side(name: object) -> TypeGuard[Side]:
    return name in SIDES


def as_side(name: str) -> Side:
    """``name`` as a side, or one clear line naming the two there are."""
    if not is_side(name):
        raise InputError(f"side must be {' or '.join(SIDES)}")
    return name
