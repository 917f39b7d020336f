"""axe-core in real Chromium on the editors' pages (the report queue, a paragraph's edit form,
metadata, alignment, history, diff, audit log, the reader's page with editor controls) and
the login and report forms, at desktop (1280 px) and phone (390 px) widths: no serious or
critical violation. The reader's pages have the same check in test_reader_site.py."""

import pytest

from bitext.services.accounts import add_user
from bitext.services.editing import edit_paragraph
from bitext.services.library import add_document, open_library
from bitext.services.reading import get_document
from bitext.services.reports import submit_report
from tests.browser.conftest import (
    PASSWORD,
    UDHR_EN,
    UDHR_METADATA,
    UDHR_ZH,
    log_in,
    served_for_editors,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A library with an editor, a corrected paragraph (history and diff) and an open
    report (the queue); yields (url, the corrected paragraph's id)."""
    folder = tmp_path_factory.mktemp("editor-axe")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
        editor = add_user(database, "editor1", PASSWORD, "editor")
        paragraph = get_document(database, "udhr").rows[1].translation[0]
        edit_paragraph(database, editor, "udhr", "translation", paragraph.id, 1,
                       paragraph.text.replace("Everyone", "Every person", 1), "Plainer.")
        current = get_document(database, "udhr").rows[2].translation[0]
        submit_report(database, "udhr", current.id, "translation", current.text[:20],
                      "A better word here.", None, "127.0.0.1")
    finally:
        database.dispose()
    with served_for_editors(db_path, folder) as url:
        yield url, current.id


def editor_pages(paragraph: int) -> list[str]:
    return [
        "/editor/reports", "/editor/reports?status=accepted",
        f"/documents/udhr/paragraphs/{paragraph}/edit?side=translation",
        "/documents/udhr/metadata", "/documents/udhr/alignment",
        "/documents/udhr/alignment?row=1", "/documents/udhr/history",
        "/documents/udhr/diff?side=translation&old=1&new=2", "/editor/audit",
        "/documents/udhr",  # the reader's page with the editor's controls
    ]


ANONYMOUS_PAGES = ["/login", "/documents/udhr/report?row=2"]


def violations(axe, page, viewport: dict, path: str) -> list[tuple]:
    results = axe.run(page)
    return [(viewport["width"], path, v["id"], v["impact"],
             [node["target"] for node in v["nodes"][:3]])
            for v in results.response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_editor_pages_pass_axe(browser, site, viewport):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    axe = axe_module.Axe()
    url, paragraph = site
    failures: list[tuple] = []
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        for path in ANONYMOUS_PAGES:
            assert page.goto(url + path).status == 200, path
            failures += violations(axe, page, viewport, path)
        log_in(page, url, "editor1")
        for path in editor_pages(paragraph):
            assert page.goto(url + path).status == 200, path
            failures += violations(axe, page, viewport, path)
    finally:
        context.close()
    assert failures == []


def test_editor_pages_never_scroll_sideways_on_a_small_phone(browser, site):
    """At 320 px the editor's links under a document wrap (they ran 14 px off a 390 px
    screen once "Import report" joined them) and the alignment table scrolls in its box."""
    url, paragraph = site
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        log_in(page, url, "editor1")
        for path in editor_pages(paragraph):
            assert page.goto(url + path).status == 200, path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls {overflow} px sideways"
    finally:
        context.close()
