"""A work's pages in real Chromium at desktop (1280 px) and phone (390 px) widths: the
work page leads to the translations side by side and to the version diff; the side-by-side
columns sit in one row on a desktop and stack on a phone; the "where the translations
differ" filter keeps only those rows; axe-core finds no serious or critical violation.
The text in force on a date is reached from the work page's date form; a date before the
first version comes back as one line on it. Screenshots go to test-artifacts/works-*.png."""

import pytest
from typer.testing import CliRunner

from bitext.cli import app
from tests.browser.conftest import record_errors, served
from tests.test_works import META, NEW, NEW_EN, NEW_EN_OTHER, OLD, OLD_EN

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SERIOUS = ("serious", "critical")
COMPARE = "/works/prc-constitution/compare?translations=constitution-2018,other-2018"
PAGES = {"work": "/works/prc-constitution",
         "diff": "/works/prc-constitution/diff?from=2004&to=2018",
         "compare": COMPARE, "compare-differ": COMPARE + "&differ=true",
         "in-force": "/works/prc-constitution/in-force?date=2019-05-01",
         "in-force-error": "/works/prc-constitution/in-force?date=2001-01-01"}


def _cli(db, folder, *args: str) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output


def _site(tmp_path_factory, with_2004_translation: bool):
    folder = tmp_path_factory.mktemp("works")
    db = folder / "library.db"
    files = {}
    for name, content in (("2004.txt", OLD), ("2018.txt", NEW), ("en.txt", NEW_EN),
                          ("en2.txt", NEW_EN_OTHER)):
        files[name] = folder / name
        files[name].write_text(content, encoding="utf-8")
    import json

    meta, meta2 = folder / "meta.json", folder / "meta2.json"
    meta.write_text(json.dumps({**META, "status": "published"}), encoding="utf-8")
    meta2.write_text(json.dumps({"slug": "other-2018", "status": "published",
                                 "title_translation": "The <PRC> Constitution",
                                 "language_translation": "en", "translator": "A. Reader"}),
                     encoding="utf-8")
    _cli(db, folder, "add", str(files["2004.txt"]), "--meta", str(meta), "--work",
         "prc-constitution", "--version", "2004", "--date", "2004-03-14")
    _cli(db, folder, "add", str(files["2018.txt"]), str(files["en.txt"]), "--meta", str(meta),
         "--work", "prc-constitution", "--version", "2018", "--date", "2018-03-11")
    _cli(db, folder, "add-translation", "prc-constitution", "2018", str(files["en2.txt"]),
         "--meta", str(meta2))
    if with_2004_translation:
        en_2004, meta_2004 = folder / "en-2004.txt", folder / "meta-2004.json"
        en_2004.write_text(OLD_EN, encoding="utf-8")
        meta_2004.write_text(json.dumps({"slug": "constitution-2004", "translator": "NPC",
                                         "title_translation": "Constitution (2004)",
                                         "language_translation": "en", "status": "published"}),
                             encoding="utf-8")
        _cli(db, folder, "add-translation", "prc-constitution", "2004", str(en_2004),
             "--meta", str(meta_2004))
    return served(db, folder)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """prc-constitution: 2004 alone, 2018 with two English translations (published)."""
    with _site(tmp_path_factory, False) as url:
        yield url


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    """The same, with the NPC's English of 2004 too."""
    with _site(tmp_path_factory, True) as url:
        yield url


@pytest.fixture
def context_at(browser):
    opened = []

    def make(viewport: dict):
        context = browser.new_context(viewport=viewport)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def _boxes(page, row: int) -> list[dict]:
    cells = page.locator(f"#row-{row} > td")
    return [cells.nth(k).bounding_box() for k in range(cells.count())]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_work_compare_and_diff_pages(site, context_at, viewport, artifacts_dir):
    page = context_at(viewport).new_page()
    errors: list[str] = []
    record_errors(page, errors)
    width = viewport["width"]

    assert page.goto(site + PAGES["work"]).status == 200
    assert page.locator("h1").inner_text() == "中华人民共和国宪法"
    assert page.get_by_text("The <PRC> Constitution").count() == 1  # shown as text
    with page.expect_navigation():
        page.get_by_role("link", name="Compare these translations side by side").click()
    assert page.url.endswith("/compare?translations=constitution-2018%2Cother-2018")
    assert page.locator("thead th").count() == 4  # row, original, two translations
    assert page.locator("tbody tr.compare__row").count() == 4
    original, first, second = _boxes(page, 2)
    if width == DESKTOP["width"]:  # one row: side by side
        assert original["y"] == first["y"] == second["y"]
        assert original["x"] < first["x"] < second["x"]
    else:  # stacked, each with its label
        assert original["y"] < first["y"] < second["y"]
        assert abs(original["x"] - first["x"]) < 1
    overflow = page.evaluate("document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0
    if width == DESKTOP["width"]:  # three texts get the reader's width, not the prose measure
        assert page.locator("table.compare").bounding_box()["width"] >= 1000
    headers = [" ".join(h.split()) for h in page.locator("thead th").all_inner_texts()]
    assert headers[1] == "Original (中文（简体）)"  # language names, not codes
    assert headers[2].endswith("(English, NPC)") and "(en," not in " ".join(headers)
    artifacts_dir.joinpath(f"works-compare-{width}.png").write_bytes(
        page.screenshot(full_page=True))

    # a row lights up in every column (bitext.js, as the reader's counterparts do)
    lit = "document.querySelectorAll('.is-counterpart').length"
    page.locator("#row-2 > td").nth(2).locator(".s").first.hover()
    assert page.evaluate(lit) == page.locator('#row-2 [data-bead="row-2"]').count() == 3
    assert page.locator("#row-1 .is-counterpart").count() == 0
    page.mouse.move(0, 0)
    assert page.locator("[tabindex='0'][data-bead]").count() == 1  # one tab stop
    page.locator("#row-1 .s").first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # past row 1's three columns
    focused = page.evaluate("document.activeElement.getAttribute('data-bead')")
    assert focused == "row-2"
    assert page.locator("#row-2 .is-counterpart").count() == 3

    page.get_by_label("Only where the translations differ").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    shown = page.locator("tbody tr.compare__row")
    assert [shown.nth(k).get_attribute("id") for k in range(shown.count())] == [
        "row-1", "row-2", "row-4"]

    page.goto(site + PAGES["work"])
    with page.expect_navigation():
        page.get_by_role("button", name="Show the changes").click()
    assert "from=2004&to=2018" in page.url
    assert page.locator("ins").filter(has_text="中国共产党领导").count() == 1
    assert page.locator("tbody tr").count() == 2  # 第一条 changed, 第三条 added
    cells = page.locator("tr.work-diff__row").first.locator("td")
    boxes = [cells.nth(k).bounding_box() for k in range(cells.count())]
    if width == DESKTOP["width"]:  # the two versions side by side, each with room to read
        assert boxes[0]["y"] == boxes[1]["y"] and min(b["width"] for b in boxes) >= 400
    else:  # stacked and labelled: two columns of a phone would hold a few characters a line
        assert boxes[0]["y"] < boxes[1]["y"]
        assert min(b["width"] for b in boxes) >= width * 0.75
        label = cells.nth(1).evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Version 2018"'
    overflow = page.evaluate("document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0
    artifacts_dir.joinpath(f"works-diff-{width}.png").write_bytes(
        page.screenshot(full_page=True))
    page.goto(site + PAGES["work"])
    artifacts_dir.joinpath(f"works-work-{width}.png").write_bytes(
        page.screenshot(full_page=True))
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_text_in_force_on_a_date(site, context_at, viewport, artifacts_dir):
    page = context_at(viewport).new_page()
    errors: list[str] = []
    record_errors(page, errors)
    width = viewport["width"]
    page.goto(site + PAGES["work"])
    page.get_by_label("Date").fill("2010-06-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the text in force").click()
    assert page.url.endswith("/in-force?date=2010-06-01")
    assert "Version 2004, in force from 2004-03-14 until 2018-03-11" in page.locator(
        ".in-force__version").inner_text()
    assert page.locator("thead th").count() == 2  # row, original: no translation yet

    page.get_by_label("Another date").fill("2019-05-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the text in force").click()
    assert "official" in page.locator(".in-force__version").inner_text()
    assert page.locator("thead th").count() == 3
    original, translation = _boxes(page, 4)
    if width == DESKTOP["width"]:
        assert original["y"] == translation["y"] and original["x"] < translation["x"]
    else:
        assert original["y"] < translation["y"]
    overflow = page.evaluate("document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0
    artifacts_dir.joinpath(f"works-in-force-{width}.png").write_bytes(
        page.screenshot(full_page=True))

    page.get_by_label("Another date").fill("2001-01-01")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Show the text in force").click()
    response = navigation.value
    assert response is not None and response.status == 400
    assert page.get_by_role("alert").inner_text() == (
        "2001-01-01 is before the first version (2004, 2004-03-14)")
    assert page.get_by_label("Date").input_value() == "2001-01-01"
    assert [e for e in errors if "400" not in e] == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_version_diff_shows_the_translations_diff(translated_site, context_at, viewport,
                                                      artifacts_dir):
    page = context_at(viewport).new_page()
    width = viewport["width"]
    assert page.goto(translated_site + PAGES["diff"]).status == 200
    assert page.get_by_text("how it was rendered").count() == 1
    row = page.locator("tr.work-diff__row").first
    cells = row.locator("td")
    assert cells.count() == 4
    assert cells.nth(2).locator("del").inner_text() == "socialist"
    assert "practises socialism" in cells.nth(3).locator("ins").first.inner_text()
    boxes = [cells.nth(k).bounding_box() for k in range(4)]
    if width == DESKTOP["width"]:  # original's diff and translation's diff on one line
        assert len({box["y"] for box in boxes}) == 1
    else:  # stacked, each labelled
        assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
        label = cells.nth(2).evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Translation, 2004"'
    overflow = page.evaluate("document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0
    artifacts_dir.joinpath(f"works-diff-translated-{width}.png").write_bytes(
        page.screenshot(full_page=True))
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    violations = axe_module.Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in SERIOUS] == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_work_pages_pass_axe(site, context_at, viewport):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed")
    axe = axe_module.Axe()
    page = context_at(viewport).new_page()
    failures = []
    for name, path in PAGES.items():
        expected = 400 if name.endswith("error") else 200
        assert page.goto(site + path).status == expected, path
        results = axe.run(page)
        failures += [(viewport["width"], name, v["id"], v["impact"],
                      [node["target"] for node in v["nodes"][:3]])
                     for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert failures == []
