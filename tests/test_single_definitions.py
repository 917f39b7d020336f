"""Concepts defined once: every layer that applies one must agree with its definition.

Each test moves a value to either side of the one definition and checks that every user
of it changes its answer there, so a second, drifting copy would fail.
"""

from dataclasses import fields, replace

import pytest
from fastapi.routing import iter_route_contexts
from samples import UDHR_EN, UDHR_ZH

from bitext.core.metadata import (
    EDITABLE_TEXT_FIELDS,
    FIXED_FIELDS,
    METADATA_FIELDS,
    metadata_dict,
    parse_metadata,
)
from bitext.core.sides import SIDES
from bitext.errors import InputError
from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.services.reports import submit_report
from bitext.web.app import create_app
from bitext.web.views.document import ReaderPage
from bitext.web.views.editorial import BeadLine


def _udhr(library):
    add_document(library, {
        "slug": "udhr", "title_original": "世界人权宣言",
        "title_translation": "Universal Declaration of Human Rights",
        "language_original": "zh-Hans", "language_translation": "en",
    }, UDHR_ZH, UDHR_EN)
    return get_document(library, "udhr", statuses=EVERY_STATUS)


def test_reader_marks_uncertain_rows_at_the_one_threshold(library, monkeypatch):
    document = _udhr(library)
    page = ReaderPage(document, "side", "https://example.org/documents/udhr")
    row = document.rows[0]
    probability = document.confidences[row.number]
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", probability + 1e-9)
    assert page.is_uncertain(row)
    assert not page.is_uncertain(replace(row, confirmed=True))
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", probability)
    assert not page.is_uncertain(row)


def test_alignment_page_marks_uncertain_beads_at_the_one_threshold(monkeypatch):
    line = BeadLine(0, 1, ["原文"], ["text"], 0.5, confirmed=False, confidence=0.6)
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", 0.6 + 1e-9)
    assert line.uncertain
    assert not replace(line, confirmed=True).uncertain  # an editor's link is not in doubt
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", 0.6)
    assert not line.uncertain


FULL_METADATA = {
    "slug": "full", "title_original": "世界人权宣言", "title_translation": "UDHR",
    "language_original": "zh-Hans", "language_translation": "en",
    "authors": [{"name": "联合国大会", "romanized": "Lianheguo Dahui"}, {"name": "X"}],
    "source": "联合国", "source_translation": "United Nations", "date": "1948-12-10",
    "translator": "T", "publisher": "P", "summary": "S", "tags": ["law", "rights"],
    "url_original": "https://example.org/u", "licence": "Public domain",
    "status": "published", "carried_by_another_tool": {"kept": True},
}


def test_every_metadata_field_survives_the_store_and_back(library):
    add_document(library, FULL_METADATA, UDHR_ZH, UDHR_EN)
    summary = get_document(library, "full").meta
    assert parse_metadata(metadata_dict(summary)) == parse_metadata(FULL_METADATA)
    assert set(METADATA_FIELDS) <= {f.name for f in fields(summary)}


def test_the_metadata_form_posts_every_editable_field_and_nothing_fixed(library):
    route = next(r for r in iter_route_contexts(create_app(library).routes)
                 if r.name == "edit_metadata_post")
    posted = {field.name for field in route.dependant.body_params}  # the form's fields
    assert set(EDITABLE_TEXT_FIELDS) <= posted
    assert not posted & {*FIXED_FIELDS, "status"}


def test_every_layer_names_the_same_two_sides(library):
    editor = add_user(library, "ed", "a long passphrase", "editor")
    _udhr(library)
    with pytest.raises(InputError, match="side must be original or translation"):
        submit_report(library, "udhr", 1, "footnote", "", "a suggestion", None, "127.0.0.1")
    with pytest.raises(InputError, match="side must be original or translation"):
        editing.edit_paragraph(library, editor, "udhr", "footnote", 1, 1, "text", "note")
    document = get_document(library, "udhr", statuses=EVERY_STATUS)
    assert set(document.revisions) == set(SIDES)
    assert all(hasattr(document.rows[0], side) for side in SIDES)
