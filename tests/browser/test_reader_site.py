"""The reader as readers meet it, at desktop (1280 px) and phone (390 px, 320 px) widths, in
real Chromium against a real ``bitext serve`` holding the UDHR sample and the demo's PRC
Constitution (the longest document: 380 rows, chapters, sections and 143 articles)."""

import re

import pytest
from conftest import UDHR_EN, UDHR_METADATA, UDHR_ZH, record_errors, served

from bitext.services.demo import DEMO_DIR
from bitext.services.file_import import add_from_files, prepare_import
from bitext.services.library import add_document, open_library

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 320, "height": 640}
LONG = "prc-constitution-2018"
CJK_FONT = re.compile(r"CJK|Han |Song|Ming|SimSun|Hei|Kai", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
        long = DEMO_DIR / LONG
        add_from_files(database, prepare_import(
            long / "original.txt", long / "translation.txt", long / "meta.json"))
    finally:
        database.dispose()
    with served(db_path, folder) as url:
        yield url


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        record_errors(page, page.errors)
        return page

    yield make
    for context in contexts:
        context.close()


def reader_pages(site: str) -> list[str]:
    """One address of every kind of page a reader can reach."""
    return [
        "/", "/documents/udhr", "/documents/udhr?view=original",
        "/documents/udhr?view=translation", f"/documents/{LONG}",
        "/search?q=rights", "/concordance?q=rights", "/documents/udhr/cite",
        "/documents/udhr/report?row=2", "/documents/udhr/history", "/login",
    ]


@pytest.mark.parametrize("viewport", [PHONE, NARROW_PHONE], ids=["390px", "320px"])
def test_phone_pages_never_scroll_sideways(site, open_page, viewport, artifacts_dir):
    page = open_page(viewport)
    for path in reader_pages(site):
        page.goto(site + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls {overflow} px sideways at {viewport['width']} px"
    page.goto(f"{site}/documents/udhr")
    # Rows stack: each language gets (nearly) the whole width, original above translation.
    original = page.locator("#p2 .side--original").bounding_box()
    translation = page.locator("#p2 .side--translation").bounding_box()
    assert translation["width"] >= viewport["width"] * 0.75, translation
    assert translation["y"] >= original["y"] + original["height"] - 1
    # Nothing in a row keeps the desktop's "2 / -1" grid placement (the 16 px column).
    for element in page.locator("#p2 > *").all():
        assert element.bounding_box()["width"] >= viewport["width"] * 0.75 or \
            element.evaluate("el => el.classList.contains('row__gutter')")
    if viewport is PHONE:
        artifacts_dir.joinpath("reader-phone.png").write_bytes(page.screenshot(full_page=True))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_latin_text_is_never_set_in_a_cjk_font(site, open_page, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/documents/udhr")
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]

    def fonts_of(selector: str) -> list[str]:
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [f["familyName"] for f in fonts]

    for selector in ("#p1 .side--translation .s", ".document__title-translation",
                     ".document__summary p", ".breadcrumb a"):
        used = fonts_of(selector)
        assert used and not any(CJK_FONT.search(name) for name in used), (selector, used)
        declared = page.locator(selector).first.evaluate("el => getComputedStyle(el).fontFamily")
        first_cjk = next((i for i, f in enumerate(declared.split(",")) if CJK_FONT.search(f)), None)
        assert first_cjk is None, f"{selector} declares a CJK font: {declared}"
    # ... while Chinese is set in a CJK font.
    assert any(CJK_FONT.search(name) for name in fonts_of("#p1 .side--original .s"))


def test_no_page_asks_another_site_for_anything(site, open_page):
    page = open_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in [*reader_pages(site), "/docs"]:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    # The API docs render from the package's own Swagger UI files (so they work offline).
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("bitext")
    assert page.locator(".opblock").count() >= 2
    foreign = [u for u in requests if not u.startswith((site + "/", "data:", "blob:"))]
    assert foreign == [], foreign
    assert any("/docs-assets/swagger-ui-bundle.js" in u for u in requests)
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_report_thanks_the_reader_where_they_are(site, open_page, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/documents/udhr")
    page.locator("#p3 .row-menu > summary").click()
    page.locator("#p3").get_by_role("link", name="Report an error in paragraph 3").click()
    assert "paragraph 3" in page.locator("h1").inner_text()
    page.get_by_label("What should it say, or what is wrong?").fill("A typo in the third line.")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == "#p3"
    notice = page.locator("#p3 [role=status]")
    assert "Thank you" in notice.inner_text()
    box = notice.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    assert page.locator(".document__header [role=status]").count() == 0
    # ... and neither the row nor its thank-you is under the sticky reader bar.
    bar = page.locator(".reader-bar").bounding_box()
    assert page.locator("#p3").bounding_box()["y"] >= bar["y"] + bar["height"] - 1
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_row_reached_by_its_link_starts_below_the_reader_bar(site, open_page, viewport,
                                                               artifacts_dir):
    """#p200 (a permalink, a search hit, the contents) scrolls the row to the top of the
    window, where the sticky bar stands: the row must start below it. On a phone the bar
    keeps to two lines (contents, article, position; then the search box)."""
    page = open_page(viewport)
    page.goto(f"{site}/documents/{LONG}#p200")
    page.wait_for_load_state("load")
    bar = page.locator(".reader-bar").bounding_box()
    assert abs(bar["y"]) < 1
    row = page.locator("#p200").bounding_box()
    assert bar["y"] + bar["height"] - 1 <= row["y"] < bar["y"] + bar["height"] + 60, (bar, row)
    line = page.locator("#contents > summary").bounding_box()["height"]
    assert bar["height"] <= 2 * line + 60, bar  # two lines at most, not four
    search = page.get_by_role("searchbox", name="Search this document")
    assert search.is_visible() and search.bounding_box()["width"] >= viewport["width"] * 0.5 \
        if viewport is PHONE else search.is_visible()
    position = page.locator("[data-position]").inner_text()
    assert position.endswith("¶ 200 of " + str(page.locator(".row").count())), position
    if viewport is PHONE:
        artifacts_dir.joinpath("reader-phone-jump.png").write_bytes(page.screenshot())
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_checked_notice_names_paragraphs_readers_can_find(site, open_page, viewport):
    """The checks count sentence pairs; the notice names and links the paragraph (¶) that
    holds each one, under the document's title and details, not above the breadcrumb."""
    page = open_page(viewport)
    page.goto(f"{site}/documents/{LONG}")
    notice = page.locator(".document__header .qa-notice")
    notice.locator("summary").click()
    items = notice.locator("li")
    assert items.count() >= 1
    for item in items.all():
        link = item.locator("a").first
        assert re.fullmatch(r"¶ \d+", link.inner_text()), item.inner_text()
        target = page.locator(link.get_attribute("href"))
        assert target.count() == 1 and target.get_attribute("class").startswith("row")
        assert link.inner_text() == "¶ " + link.get_attribute("href")[2:]
        assert not re.search(r"\brow \d+", item.inner_text()), item.inner_text()
    font = notice.evaluate("el => getComputedStyle(el).fontFamily")
    assert font == page.locator(".document__tools").evaluate(
        "el => getComputedStyle(el).fontFamily")
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_row_menu_status_and_language_names(site, open_page, viewport, artifacts_dir):
    page = open_page(viewport)
    page.goto(f"{site}/documents/udhr")
    menu = page.locator("#p2 .row-menu")
    assert not page.locator("#p2 .row-menu__items").is_visible()
    menu.locator("summary").click()
    items = page.locator("#p2 .row-menu__items a")
    names = [" ".join(t.split()) for t in items.all_text_contents()]
    assert names == ["Copy link to paragraph 2", "Cite paragraph 2",
                     "Report an error in paragraph 2"]
    assert all(item.is_visible() for item in items.all())
    page.locator("#p3 .row-menu > summary").click()  # opening another closes this one
    expect(page.locator("#p2 .row-menu__items")).to_be_hidden()
    expect(page.locator("#p3 .row-menu__items")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#p3 .row-menu__items")).to_be_hidden()
    # Each row says whether an editor checked its link; the confidence shows on hover.
    status = page.locator("#p2 .align-status")
    assert status.is_visible()
    assert re.search(r"Aligned automatically.*confidence \d{1,3}%", status.get_attribute("title"))
    if viewport is DESKTOP:
        headers = page.locator(".reader__columns").inner_text()
        assert "中文（简体）" in headers and "English" in headers and "zh-Hans" not in headers
        artifacts_dir.joinpath("reader-alignment-status.png").write_bytes(
            page.locator(".reader").screenshot())


def test_long_document_has_contents_jump_and_position(site, open_page, artifacts_dir):
    page = open_page()
    page.goto(f"{site}/documents/{LONG}")
    toc = page.locator("#contents")
    toc.locator("summary").click()
    entries = toc.locator(".toc__item a")
    assert entries.count() >= 10
    assert "第一章" in entries.first.inner_text() and "Chapter I" in entries.first.inner_text()
    # The entries carry their own numbers: no running count over chapters and sections.
    marker = toc.locator(".toc__item").nth(3).evaluate(
        "li => getComputedStyle(li, '::marker').content + getComputedStyle(li).listStyleType")
    assert marker in ("nonenone", "normalnone"), marker
    artifacts_dir.joinpath("reader-contents.png").write_bytes(page.screenshot())
    third = entries.nth(2)
    target = third.get_attribute("href")
    third.click()
    row = page.locator(target)
    assert row.bounding_box()["y"] >= 0 and row.bounding_box()["y"] < 300
    # The bar stays at the top and says where the reader is; the contents closed, so that
    # the list does not cover the chapter it led to.
    bar = page.locator(".reader-bar")
    assert abs(bar.bounding_box()["y"]) < 1
    assert not toc.evaluate("details => details.open")
    assert row.bounding_box()["y"] >= bar.bounding_box()["height"] - 1
    assert page.evaluate("location.hash") == target
    position = page.locator("[data-position]").inner_text()
    assert re.search(r"¶ \d+ of \d+", position) and re.search("Chapter|Section", position)

    page.get_by_label("Article").fill("62")
    page.get_by_role("button", name="Go").click()
    article = page.locator('.row[data-article="62"]')
    assert article.locator(".side--original").inner_text().startswith("第六十二条")
    box = article.bounding_box()
    assert 0 <= box["y"] < 300, box
    assert page.evaluate("location.hash") == f"#{article.get_attribute('id')}"


def test_long_document_keeps_few_tab_stops(site, open_page):
    page = open_page()
    page.goto(f"{site}/documents/{LONG}")
    rows = page.locator(".row").count()
    stops = page.evaluate("""() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(el => el.tabIndex >= 0 && !el.closest('details:not([open]) > :not(summary)')
                && el.getClientRects().length > 0).length""")
    assert rows > 300
    assert stops < rows + 60, f"{stops} tab stops for {rows} rows"
    # Sentences: one tab stop, then the arrow keys.
    first = page.locator('.s[tabindex="0"]')
    assert first.count() == 1
    first.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.dataset.bead")
    assert focused is not None and page.locator('.s[tabindex="0"]').count() == 1


def test_pages_pass_axe(site, open_page):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    axe = axe_module.Axe()
    failures = []
    for viewport in (DESKTOP, PHONE):
        page = open_page(viewport)
        for path in reader_pages(site):
            page.goto(site + path)
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    failures.append((viewport["width"], path, violation["id"],
                                     [node["target"] for node in violation["nodes"][:3]]))
    assert failures == []


def test_the_cite_panel_and_the_bar_line_up_with_the_page(site, open_page):
    """At 1280 px the "Cite this document" panel starts at the title's left edge (a prose
    .wrap centred it 250 px in), and the bar's two buttons (Go, Find) look alike."""
    page = open_page(DESKTOP)
    page.goto(f"{site}/documents/{LONG}")
    cite = page.locator("#cite > summary").bounding_box()
    title = page.locator(".document__title").bounding_box()
    assert abs(cite["x"] - title["x"]) < 2, (cite, title)
    styles = "b => [getComputedStyle(b).borderColor, getComputedStyle(b).backgroundColor]"
    go = page.get_by_role("button", name="Go").evaluate(styles)
    find = page.get_by_role("button", name="Find").evaluate(styles)
    assert go == find
