"""Search as a reader uses it, in real Chromium against a real ``bitext serve`` holding the
UDHR sample, at desktop (1280 px) and phone (390 px) widths: a query in both languages
finds the aligned pair with both sides marked, an empty search offers examples, a page past
the end says so, and the reader's own search box finds a row and jumps to it."""

from itertools import pairwise

import pytest

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def sized(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page, request.param


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px of horizontal scroll"


def test_terms_in_both_languages_find_the_pair_marked_on_both_sides(sized, server_url,
                                                                       artifacts_dir):
    page, width = sized
    page.goto(f"{server_url}/search?q=security+安全")
    expect(page.locator(".search-count")).to_contain_text("1 matching aligned pair")
    hit = page.locator(".search-hit").first
    expect(hit.locator(".search-hit__text mark")).to_have_text("安全")
    expect(hit.locator(".search-hit__aligned mark")).to_have_text("security")
    for mark in (hit.locator(".search-hit__text mark"), hit.locator(".search-hit__aligned mark")):
        expect(mark).to_be_visible()
        box = mark.bounding_box()
        assert box and box["width"] > 4
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"search-pair-{width}.png"), full_page=True)


def test_an_empty_search_offers_examples_and_a_page_past_the_end_says_so(sized, server_url):
    page, _ = sized
    page.goto(f"{server_url}/search")
    examples = page.locator(".search-examples a")
    assert examples.count() >= 3
    expect(page.locator("input[name=exact]")).to_be_visible()
    _no_sideways_scroll(page)
    page.goto(f"{server_url}/search?q=rights&page=50")
    expect(page.get_by_role("status")).to_contain_text("past the end")
    page.get_by_role("link", name="Go to the last page").click()
    expect(page.locator(".search-hit").first).to_be_visible()


def test_the_reader_searches_its_document_and_jumps_to_the_row(sized, server_url):
    page, _ = sized
    page.goto(f"{server_url}/documents/udhr")
    box = page.get_by_label("Search this document")
    expect(box).to_be_visible()
    box.fill("安全")
    box.press("Enter")
    expect(page.locator(".search-scope")).to_contain_text("Within one document")
    link = page.locator(".search-hit .permalink").first
    row = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(f"**/documents/udhr#{row}")
    expect(page.locator(f"#{row}")).to_be_in_viewport()
    bar = page.locator(".reader-bar").bounding_box()  # and not under the sticky bar
    assert page.locator(f"#{row}").bounding_box()["y"] >= bar["y"] + bar["height"] - 1
    _no_sideways_scroll(page)


@pytest.mark.parametrize("path", ["/search?q=rights", "/concordance?q=rights"])
def test_the_search_form_has_no_blank_gaps(sized, server_url, path):
    """On a phone the form stacks; each part takes its own height (a field's 10rem flex
    basis became a 160 px blank under the checkboxes). The choices read as sentences."""
    page, _ = sized
    page.goto(server_url + path)
    parts = page.locator(".search-form__bar > *")
    boxes = [parts.nth(k).bounding_box() for k in range(parts.count())]
    options = page.locator(".search-form__options")
    box = options.bounding_box()
    inner = options.locator("label")
    used = inner.last.bounding_box()["y"] + inner.last.bounding_box()["height"] - box["y"]
    assert box["height"] <= used + 8, (box, used)
    if width_is_phone(page):
        assert all(b["y"] >= a["y"] + a["height"] - 1 for a, b in pairwise(boxes))
    case = inner.first.evaluate("label => getComputedStyle(label).textTransform")
    assert case == "none"


def width_is_phone(page) -> bool:
    return page.viewport_size["width"] < 500
