"""Glossary marks in the reader, in a real browser against a real ``bitext serve``: terms
of the original are dotted links to their entry, showing the canonical rendering on hover
and focus; a toggle turns them off and is remembered."""

import json
from urllib.parse import unquote

import pytest
from conftest import UDHR_EN, UDHR_METADATA, UDHR_ZH, served

from bitext.services.glossary import import_glossary
from bitext.services.library import add_document, open_library

pytestmark = pytest.mark.browser

ENTRY = {"zh": "人身安全", "canonical_en": "security of person"}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The server over the UDHR sample and a one-entry glossary."""
    folder = tmp_path_factory.mktemp("glossary-server")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, {**UDHR_METADATA, "status": "published"}, UDHR_ZH, UDHR_EN)
        import_glossary(database, (json.dumps(ENTRY, ensure_ascii=False) + "\n").encode(),
                        "jsonl")
    finally:
        database.dispose()
    with served(db_path, folder) as url:
        yield url


def test_terms_are_marked_show_their_rendering_and_can_be_turned_off(page, server_url,
                                                                   console_errors):
    page.goto(f"{server_url}/documents/udhr?view=side")
    mark = page.locator(".side--original .glossary-mark").first
    mark.wait_for()
    assert mark.text_content() == "人身安全"
    assert unquote(mark.get_attribute("href")).endswith("/glossary/人身安全")
    mark.focus()
    shown = mark.evaluate("el => getComputedStyle(el, '::after').content")
    assert shown == '"security of person"'
    assert page.locator(".side--translation .glossary-mark").count() == 0

    toggle = page.locator(".glossary-toggle__button")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.evaluate("document.documentElement.classList.contains('glossary-marks-off')")
    assert mark.get_attribute("tabindex") == "-1"

    page.reload()
    page.locator(".glossary-mark").first.wait_for(state="attached")
    assert page.locator(".glossary-toggle__button").get_attribute("aria-pressed") == "false"
    assert console_errors == []


def test_pages_without_an_original_side_make_no_glossary_request(page, server_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server_url}/glossary")
    page.wait_for_load_state("load")
    assert not [u for u in requests if "/api/glossary" in u]


def test_readers_see_the_checked_notice_with_its_findings(page, server_url, console_errors):
    page.goto(f"{server_url}/documents/udhr?view=side")
    summary = page.locator(".qa-notice summary")
    summary.wait_for()
    assert summary.text_content().startswith("Translation checked: ")
    summary.click()
    items = page.locator(".qa-notice li")
    opened = page.evaluate("document.querySelector('.qa-notice').open")
    assert opened and all(t.startswith("¶ ") for t in items.all_text_contents())
    assert console_errors == []
