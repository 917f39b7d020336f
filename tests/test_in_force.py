"""The text as in force on a date: the latest version dated on or before it."""

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.versions.in_force import version_in_force
from bitext.errors import InputError


@dataclass(frozen=True)
class Version:
    label: str
    date: dt.date | None


CONSTITUTION = [Version("1982", dt.date(1982, 12, 4)), Version("2004", dt.date(2004, 3, 14)),
                Version("draft 2017", None), Version("2018", dt.date(2018, 3, 11)),
                Version("1988", dt.date(1988, 4, 12))]


@pytest.mark.parametrize(("on", "label"), [
    (dt.date(1982, 12, 4), "1982"),  # on a version's date: that version
    (dt.date(1988, 4, 11), "1982"),
    (dt.date(1988, 4, 12), "1988"),
    (dt.date(2010, 1, 1), "2004"),
    (dt.date(2018, 3, 10), "2004"),
    (dt.date(2018, 3, 11), "2018"),
    (dt.date(2030, 1, 1), "2018"),
])
def test_the_latest_version_dated_on_or_before_the_day(on, label):
    assert version_in_force(CONSTITUTION, on).label == label


def test_before_the_first_version_is_a_clear_error():
    with pytest.raises(InputError, match=r"^1982-12-03 is before the first version "
                                         r"\(1982, 1982-12-04\)$"):
        version_in_force(CONSTITUTION, dt.date(1982, 12, 3))


def test_undated_versions_are_never_in_force():
    with pytest.raises(InputError, match="no version has a date"):
        version_in_force([Version("draft", None)], dt.date(2020, 1, 1))


def test_two_versions_of_one_date_are_ambiguous_only_when_chosen():
    versions = [Version("a", dt.date(2000, 1, 1)), Version("b", dt.date(2000, 1, 1)),
                Version("c", dt.date(2001, 1, 1))]
    assert version_in_force(versions, dt.date(2001, 6, 1)).label == "c"
    with pytest.raises(InputError, match="versions a, b are all dated 2000-01-01"):
        version_in_force(versions, dt.date(2000, 6, 1))


@given(st.lists(st.dates(), min_size=1, max_size=8, unique=True), st.dates())
def test_no_later_version_is_in_force_and_none_between(dates, on):
    versions = [Version(str(k), d) for k, d in enumerate(dates)]
    if on < min(dates):
        with pytest.raises(InputError):
            version_in_force(versions, on)
        return
    chosen = version_in_force(versions, on)
    assert chosen.date is not None and chosen.date <= on
    assert not [d for d in dates if chosen.date < d <= on]
