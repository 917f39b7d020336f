"""The metadata schema: required fields, validation messages, extra fields kept."""

import datetime as dt

import pytest

from bitext.core.metadata import DocumentMetadata, parse_metadata
from bitext.errors import InputError

REQUIRED = {"slug": "nat-sec-xinjiang-2022", "title_original": "深入贯彻落实总体国家安全观",
            "title_translation": "Adhere to the Overall National Security Outlook",
            "language_original": "zh-Hans", "language_translation": "en"}


def test_full_example_from_the_documentation():
    meta = parse_metadata({
        **REQUIRED, "authors": [{"name": "马兴瑞", "romanized": "Ma Xingrui"}],
        "source": "人民日报", "source_translation": "People's Daily", "date": "2022-04-21",
        "translator": "…", "publisher": "…", "summary": "…", "tags": ["national security"],
        "url_original": "https://example.org/a", "licence": "…", "status": "published",
        "our_own_field": {"kept": True},
    })
    assert meta.authors[0].romanized == "Ma Xingrui"
    assert meta.date == dt.date(2022, 4, 21)
    assert meta.extra_fields() == {"our_own_field": {"kept": True}}


def test_only_five_fields_are_required():
    assert set(DocumentMetadata.model_json_schema()["required"]) == set(REQUIRED)
    assert parse_metadata(REQUIRED).status == "draft"


@pytest.mark.parametrize(("change", "message"), [
    ({"slug": "Bad Slug/.."}, "field 'slug'"),
    ({"language_translation": "klingon"}, "unknown language code: 'klingon'"),
    ({"date": "21 April"}, "field 'date'"),
    ({"status": "secret"}, "field 'status'"),
    ({"url_original": "javascript:alert(1)"}, "http or https"),
])
def test_bad_fields_are_named(change, message):
    with pytest.raises(InputError, match=message):
        parse_metadata({**REQUIRED, **change})


def test_language_tags_are_standardised():
    meta = parse_metadata({**REQUIRED, "language_original": "ZH-hans"})
    assert meta.language_original == "zh-Hans"
