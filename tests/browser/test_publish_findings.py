"""An editor publishes a draft with an open translation-check finding in a real browser:
the page asks, lists the finding, refuses without a note, and publishes with one. The
question page and the checks page pass axe and fit a phone."""

import pytest

from bitext.services.accounts import add_user
from bitext.services.library import add_document, open_library
from tests.browser.conftest import PASSWORD, served_for_editors
from tests.browser.test_editorial import editor_page
from tests.test_qa_stored import EN, META, ZH

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def draft_server(tmp_path_factory):
    """``bitext serve`` over a library holding one draft whose translation has a wrong date."""
    folder = tmp_path_factory.mktemp("publish-server")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, META, ZH, EN)
        add_document(database, {**META, "slug": "doc2"}, ZH, EN)
        add_user(database, "editor1", PASSWORD, "editor")
    finally:
        database.dispose()
    with served_for_editors(db_path, folder) as url:
        yield url


def test_publishing_with_a_finding_asks_for_a_note_first(browser, draft_server, artifacts_dir):
    errors: list[str] = []
    context, page = editor_page(browser, draft_server, "editor1", errors)
    try:
        page.goto(f"{draft_server}/documents/doc")
        with page.expect_navigation():
            page.get_by_role("button", name="Publish").click()
        assert page.get_by_role("heading", name="Publish with open findings?").is_visible()
        finding = page.locator(".publish-confirm__findings tbody tr")
        assert finding.count() == 1 and "in the translation only: 16" in finding.inner_text()
        assert page.get_by_role("link", name="checks page").get_attribute("href") == (
            "/editor/checks/doc")
        note = page.get_by_label("Why publish with these findings?")
        page.get_by_role("button", name="Publish anyway").click()
        # the browser itself refuses the empty note (required): nothing is sent
        assert note.evaluate("element => element.validity.valueMissing")
        assert "/documents/doc/status" in page.url
        note.fill("The date is as printed in the official English text.")
        page.screenshot(path=str(artifacts_dir / "publish-with-findings.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Publish anyway").click()
        assert page.url.endswith("/documents/doc?status=1")
        assert not page.locator(".status-marker--draft").count()
        page.goto(f"{draft_server}/editor/audit")
        assert "The date is as printed in the official English text." in page.content()
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_question_and_the_checks_page_pass_axe_and_fit(browser, draft_server, width,
                                                             artifacts_dir):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    axe = axe_module.Axe()
    errors: list[str] = []
    context, page = editor_page(browser, draft_server, "editor1", errors)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        failures = []
        page.goto(f"{draft_server}/documents/doc2")
        with page.expect_navigation():
            page.get_by_role("button", name="Publish").click()
        assert page.get_by_role("heading", name="Publish with open findings?").is_visible()
        for path in (None, "/editor/checks/doc2"):
            if path:
                page.goto(draft_server + path)
            failures += [(path, v["id"]) for v in axe.run(page).response["violations"]
                         if v["impact"] in ("serious", "critical")]
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            name = "checks" if path else "publish-question"
            page.screenshot(path=str(artifacts_dir / f"{name}-{width}.png"), full_page=True)
        assert failures == [] and errors == []
    finally:
        context.close()


def test_an_editor_sees_a_drafts_checks_notice_without_console_errors(browser, draft_server):
    """qa-notice.js asks the checks API for the draft the editor reads: it answers (no 404
    in the console) and the notice lists the open finding."""
    errors: list[str] = []
    context, page = editor_page(browser, draft_server, "editor1", errors)
    try:
        with page.expect_response(lambda r: r.url.endswith("/api/documents/doc2/checks")) \
                as answer:
            page.goto(f"{draft_server}/documents/doc2")
        assert answer.value.status == 200
        assert page.locator(".status-marker--draft").count()  # still a draft
        notice = page.locator(".qa-notice summary")
        notice.wait_for()
        assert notice.inner_text() == "Translation checked: 1 open finding"
        assert errors == []
    finally:
        context.close()
