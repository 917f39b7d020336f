"""Two editors in two real browsers correct the same paragraph: the second keeps their text."""


import re

import pytest

from bitext.services.accounts import add_user
from bitext.services.library import add_document, open_library
from bitext.services.reading import get_document
from tests.browser.conftest import (
    PASSWORD,
    UDHR_EN,
    UDHR_METADATA,
    UDHR_ZH,
    log_in,
    record_errors,
    served_for_editors,
)

pytestmark = pytest.mark.browser

FIRST_TEXT = "Everyone is entitled to all the rights and freedoms (first editor)."
SECOND_TEXT = "Everyone is entitled to all the rights and freedoms (second editor)."


@pytest.fixture(scope="module")
def editorial_server(tmp_path_factory):
    """``bitext serve`` over a library with two editors; yields (url, paragraph id)."""
    folder = tmp_path_factory.mktemp("editorial-server")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
        add_user(database, "editor1", PASSWORD, "editor")
        add_user(database, "editor2", PASSWORD, "editor")
        paragraph = get_document(database, "udhr").rows[1].translation[0].id
    finally:
        database.dispose()
    with served_for_editors(db_path, folder) as url:
        yield url, paragraph


def editor_page(browser, url: str, name: str, errors: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record_errors(page, errors)
    log_in(page, url, name)
    return context, page


def test_second_editor_sees_the_conflict_with_their_text_kept(
    browser, editorial_server, artifacts_dir
):
    url, paragraph = editorial_server
    errors: list[str] = []
    first_context, first = editor_page(browser, url, "editor1", errors)
    second_context, second = editor_page(browser, url, "editor2", errors)
    try:
        edit = f"{url}/documents/udhr/paragraphs/{paragraph}/edit?side=translation"
        for page in (first, second):
            page.goto(edit)
            assert page.locator("#edit-text").input_value().startswith("Everyone is entitled")

        first.fill("#edit-text", FIRST_TEXT)
        first.fill("#edit-note", "Shorter sentence.")
        with first.expect_navigation():
            first.click("text=Save correction")
        assert first.url.endswith("/documents/udhr?saved=1#p2")
        assert "Your correction was saved." in first.locator(".message--notice").inner_text()

        second.fill("#edit-text", SECOND_TEXT)
        second.fill("#edit-note", "My own fix.")
        with second.expect_navigation() as posted:
            second.click("text=Save correction")
        assert posted.value.status == 409
        assert "someone else saved this text first" in second.locator("[role=alert]").inner_text()
        assert second.locator(".conflict__theirs blockquote").inner_text() == FIRST_TEXT
        assert second.locator(".conflict__yours blockquote").inner_text() == SECOND_TEXT
        assert second.locator("#edit-text").input_value() == SECOND_TEXT
        assert second.locator("#edit-note").input_value() == "My own fix."
        artifacts_dir.joinpath("edit-conflict.png").write_bytes(
            second.screenshot(full_page=True))

        # Sending it again (now based on the current revision) saves the second text.
        with second.expect_navigation():
            second.click("text=Save correction")
        assert "saved=1" in second.url
        assert SECOND_TEXT.split(" (")[0] in second.locator("#p2").inner_text()
        # (Chromium logs the expected 409 itself; nothing else may appear.)
        assert [e for e in errors if "status of 409" not in e] == []
    finally:
        first_context.close()
        second_context.close()


def test_report_an_error_without_javascript(browser, editorial_server, artifacts_dir):
    url, _ = editorial_server
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280,
                                                                        "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}/documents/udhr")
        row = page.locator("#p3")
        row.locator(".row-menu > summary").click()  # <details>: works without JavaScript
        row.get_by_role("link", name="Report an error in paragraph 3").click()
        page.locator("textarea[name=quoted]").fill("liberty")
        page.locator("textarea[name=suggestion]").fill("freedom?")
        artifacts_dir.joinpath("report-form.png").write_bytes(page.screenshot())
        with page.expect_navigation():
            page.get_by_role("button", name="Send the report").click()
        assert page.url.endswith("/documents/udhr?reported=3#p3")
        assert "Thank you" in page.locator("#p3 .message--notice").inner_text()
    finally:
        context.close()


def test_diff_shows_the_changed_row_with_context_and_visible_marks(
    browser, editorial_server, artifacts_dir
):
    url, _ = editorial_server
    errors: list[str] = []
    context, page = editor_page(browser, url, "editor1", errors)
    try:
        page.goto(f"{url}/documents/udhr")
        page.locator("#p4 .row-menu > summary").click()
        page.locator("#p4").get_by_role("link", name="Edit translation").click()
        text = page.locator("textarea[name=text]")
        text.fill(text.input_value().replace("Everyone", "Every person", 1))
        page.locator("#edit-note").fill("Wording.")
        with page.expect_navigation():
            page.get_by_role("button", name="Save correction").click()
        page.goto(f"{url}/documents/udhr/history")
        page.get_by_role("link", name=re.compile("Compare with revision")).first.click()
        assert "1 paragraph changed: 1 edited, 0 added, 0 removed" in page.locator(
            ".diff__counts").inner_text()
        added = page.locator(".diff > tbody ins", has_text="person")
        assert added.count() == 1 and added.is_visible()
        background = added.evaluate("el => getComputedStyle(el).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.locator(".diff > tbody del", has_text="Everyone").is_visible()
        # Row 3 is shown as context; rows 1-2 are folded, and open on demand.
        fold = page.locator(".diff__fold summary")
        assert "2 unchanged paragraphs (1–2)" in fold.inner_text()
        assert page.locator(".diff__other").last.inner_text().strip() != ""  # the Chinese
        # Two revisions and the other language side by side: the reader's width, not 44rem.
        assert page.locator("table.diff").first.bounding_box()["width"] >= 1000
        artifacts_dir.joinpath("diff-desktop.png").write_bytes(page.screenshot(full_page=True))
        page.set_viewport_size({"width": 390, "height": 844})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        artifacts_dir.joinpath("diff-phone.png").write_bytes(page.screenshot(full_page=True))
        assert errors == []
    finally:
        context.close()
