"""An editor publishes a draft with an open translation-check finding in a real browser:
the page asks, lists the finding, refuses without a note, and publishes with one."""

import pytest

from bitext.services.accounts import add_user
from bitext.services.library import add_document, open_library
from tests.browser.conftest import served
from tests.browser.test_editorial import PASSWORD, editor_page
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
        add_user(database, "editor1", PASSWORD, "editor")
    finally:
        database.dispose()
    with served(db_path, folder, BITEXT_DATA_DIR=str(folder),
                BITEXT_SECRET_KEY="browser-test-secret-0123456789-abcdefghij") as url:
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
