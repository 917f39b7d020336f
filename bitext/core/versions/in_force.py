"""The text as in force on a date: of a work's dated versions, the latest dated on or before it.

A version is in force from its date (the day it was adopted or the amendment took effect)
until the next version's date; on that date the next one is. Undated versions (a draft
filed without a date) are never in force.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from bitext.errors import InputError


class DatedVersion(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def date(self) -> dt.date | None: ...


V = TypeVar("V", bound=DatedVersion)


def version_in_force(versions: Iterable[V], on: dt.date) -> V:
    """The version in force on ``on``; a date before the first version is an error."""
    dated = sorted(((v.date, k, v) for k, v in enumerate(versions) if v.date is not None),
                   key=lambda item: (item[0], item[1]))
    if not dated:
        raise InputError("no version has a date, so none can be said to be in force")
    first_date, _, first = dated[0]
    if on < first_date:
        raise InputError(f"{on.isoformat()} is before the first version "
                         f"({first.label}, {first_date.isoformat()})")
    latest = max(date for date, _, _ in dated if date <= on)
    chosen = [v for date, _, v in dated if date == latest]
    if len(chosen) > 1:
        raise InputError(f"versions {', '.join(v.label for v in chosen)} are all dated "
                         f"{latest.isoformat()}: which was in force is unclear")
    return chosen[0]
