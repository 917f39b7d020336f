"""The reader in a real browser, against a real ``bitext serve``."""

import pytest

pytestmark = pytest.mark.browser

HIGHLIGHT = "is-counterpart"


def has_highlight(locator) -> bool:
    return locator.evaluate(f"el => el.classList.contains('{HIGHLIGHT}')")


def beads_of(page, side: str) -> list[str]:
    return page.eval_on_selector_all(
        f".side--{side} [data-bead]", "spans => spans.map(s => s.dataset.bead)"
    )


def open_reader(page, server_url, view: str = "side"):
    page.goto(f"{server_url}/documents/udhr?view={view}")
    page.wait_for_load_state("load")


def test_hover_highlights_the_counterpart(page, server_url, console_errors, artifacts_dir):
    open_reader(page, server_url)
    original, translation = beads_of(page, "original"), beads_of(page, "translation")
    shared = [b for b in dict.fromkeys(original) if b in translation]
    assert len(shared) >= 3, (original, translation)
    bead, other = shared[1], shared[0]

    source = page.locator(f'.side--original [data-bead="{bead}"]').first
    counterparts = page.locator(f'.side--translation [data-bead="{bead}"]')
    stranger = page.locator(f'.side--translation [data-bead="{other}"]').first

    source.hover()
    assert counterparts.count() >= 1
    for i in range(counterparts.count()):
        assert has_highlight(counterparts.nth(i))
    assert has_highlight(source)
    assert not has_highlight(stranger)
    # The highlight is visible: a real background colour, not just a class name.
    background = counterparts.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    artifacts_dir.joinpath("reader-side-by-side.png").write_bytes(page.screenshot(full_page=True))

    page.locator("h1").hover()
    assert not has_highlight(counterparts.first)
    assert page.locator(f".{HIGHLIGHT}").count() == 0
    assert console_errors == []


def test_keyboard_focus_highlights_the_counterpart(page, server_url, console_errors):
    open_reader(page, server_url)
    # Article 1: two sentences on each side, aligned one to one. Its first sentence is the
    # text's one tab stop; the arrow keys move on from it.
    spans = page.locator("#p1 .side--original [data-bead]")
    first, second = spans.nth(0), spans.nth(1)
    first_bead, second_bead = first.get_attribute("data-bead"), second.get_attribute("data-bead")
    assert first_bead != second_bead, "the fixture text should align article 1 one to one"
    assert first.get_attribute("tabindex") == "0"

    first.focus()
    assert has_highlight(page.locator(f'.side--translation [data-bead="{first_bead}"]').first)

    page.keyboard.press("ArrowRight")  # one tab stop for the text; arrows move sentence to sentence
    assert second.evaluate("el => el === document.activeElement")
    assert has_highlight(page.locator(f'.side--translation [data-bead="{second_bead}"]').first)
    assert not has_highlight(page.locator(f'.side--translation [data-bead="{first_bead}"]').first)
    outline = second.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # keyboard focus is visible

    page.locator("h1").click()  # focus leaves the text: nothing stays highlighted
    page.mouse.move(0, 0)
    assert page.locator(f".{HIGHLIGHT}").count() == 0
    assert console_errors == []


def test_permalink_copies_the_full_url(page, server_url, console_errors):
    open_reader(page, server_url)
    page.locator('.row#p2 .row-menu > summary').click()  # the row's menu holds its link
    page.locator('.row#p2 a.permalink').click()
    expected = f"{server_url}/documents/udhr?view=side#p2"
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert page.locator(".copy-status").inner_text().startswith("Link copied")
    assert page.evaluate("location.hash") == "#p2"
    assert console_errors == []


def test_enhancements_appear_only_with_javascript(browser, server_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server_url}/documents/udhr")
        assert not page.locator('[data-action="print"]').is_visible()
        page.goto(f"{server_url}/documents/udhr?view=translation#p3")
        assert page.locator("#p3").is_visible()
        assert page.locator(".side--original").count() == 0
    finally:
        context.close()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server_url}/documents/udhr")
        assert page.locator('[data-action="print"]').is_visible()
    finally:
        context.close()
