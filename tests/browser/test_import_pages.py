"""An editor imports a document in a real browser, at desktop and phone widths: upload →
preview → progress → report, each page without serious accessibility faults (axe) and
without console errors (CSP violations included)."""

import json
import re
from pathlib import Path

import pytest
from import_documents import make_docx, make_html

from bitext.services.accounts import add_user
from bitext.services.library import open_library
from tests.browser.conftest import PASSWORD, log_in, record_errors, served_for_editors

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "bitext" / "demo" / "hk-basic-law-1990"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
IMPORT_TIMEOUT_MS = 600_000  # a long law on a shared machine


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import-server")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_user(database, "editor1", PASSWORD, "editor")
    finally:
        database.dispose()
    with served_for_editors(db_path, folder) as url:
        yield url


@pytest.fixture(scope="module")
def law_files():
    """The Basic Law's original as a Word file and its translation as a web page."""
    lines = {name: [line.strip() for line in (DEMO / f"{name}.txt").read_text("utf-8")
                    .splitlines() if line.strip()] for name in ("original", "translation")}
    return {"meta": json.loads((DEMO / "meta.json").read_text("utf-8")),
            "docx": make_docx(lines["original"]),
            "html": make_html(lines["translation"], title="Basic Law").encode(),
            "paragraphs": (len(lines["original"]), len(lines["translation"]) + 1)}


def _axe_failures(page) -> list:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    results = axe_module.Axe().run(page)
    return [(page.url, v["id"], [n["target"] for n in v["nodes"][:3]])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_upload_preview_progress_report(browser, import_server, law_files, viewport):
    slug = f"basic-law-{viewport['width']}"
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    record_errors(page, errors)
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    failures: list = []
    try:
        log_in(page, import_server, "editor1", next_path="/editor/import")
        failures += _axe_failures(page)

        page.set_input_files("#import-original", files=[{
            "name": "basic-law.docx", "buffer": law_files["docx"],
            "mimeType": "application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document"}])
        page.set_input_files("#import-translation", files=[{
            "name": "basic-law.html", "buffer": law_files["html"], "mimeType": "text/html"}])
        meta = law_files["meta"]
        page.fill("#import-slug", slug)
        for name in ("title_original", "title_translation", "language_original",
                     "language_translation"):
            page.fill(f"#import-{name}", meta[name])
        with page.expect_navigation():
            page.click("text=Read the files and preview")
        assert re.search(r"/editor/import/\d+/preview$", page.url), \
            page.locator("[role=alert]").all_inner_texts()
        counts = page.locator(".import-counts tr", has_text="Paragraphs").inner_text()
        assert counts.split()[1:] == [str(n) for n in law_files["paragraphs"]]
        rows = page.locator(".import-row")
        assert rows.count() == 8
        first = rows.nth(0).locator("p")
        if viewport is PHONE:  # one column: the translation under the original
            assert first.nth(1).bounding_box()["y"] > first.nth(0).bounding_box()["y"]
        else:  # two columns, side by side
            assert first.nth(1).bounding_box()["x"] > first.nth(0).bounding_box()["x"]
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= viewport["width"], "the preview scrolls sideways"
        failures += _axe_failures(page)

        with page.expect_navigation():
            page.click("text=Import and align")
        assert re.search(r"/editor/imports/\d+$", page.url), page.url
        assert page.locator("progress#import-bar").is_visible()
        assert page.locator("#import-stage").inner_text()
        failures += _axe_failures(page)

        page.wait_for_url(re.compile(r"/editor/imports/\d+/report$"),
                          timeout=IMPORT_TIMEOUT_MS)  # the script goes there when done
        summary = page.locator(".import-lines").inner_text()
        assert "original: basic-law.docx (docx)" in summary
        assert re.search(r"alignment: \d+ paragraph beads, \d+ sentence beads", summary)
        failures += _axe_failures(page)
        import_errors = list(errors)  # the reader page's own scripts are not under test
        with page.expect_navigation():
            page.click("text=read the document")
        assert page.url.endswith(f"/documents/{slug}")
        assert page.locator(".row").count() > 100
    finally:
        context.close()
    assert failures == []
    assert import_errors == []
