"""The Cite section in a real browser: it opens without script, and the copy button puts
the Chicago citation on the clipboard."""

import urllib.request

import pytest

pytestmark = pytest.mark.browser


def plain_citation(server_url: str, query: str = "") -> str:
    url = f"{server_url}/documents/udhr/cite?format=text{query}"
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_copy_the_chicago_citation(page, server_url, console_errors):
    page.goto(f"{server_url}/documents/udhr")
    section = page.locator("details#cite")
    chicago = section.locator("#cite-chicago")
    assert not chicago.is_visible()
    section.locator("summary").click()
    assert chicago.is_visible()

    chicago.get_by_role("button", name="Copy the Chicago citation").click()
    page.locator(".copy-status", has_text="Citation copied.").wait_for()
    expected = plain_citation(server_url)
    assert "Universal Declaration of Human Rights [世界人权宣言]" in expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert console_errors == []


def test_cite_a_paragraph_from_its_row(page, server_url, console_errors):
    page.goto(f"{server_url}/documents/udhr")
    page.locator("#p2 .row-menu > summary").click()  # one menu per row holds its links
    page.locator("#p2").get_by_role("link", name="Cite paragraph 2").click()
    page.wait_for_url("**/documents/udhr/cite?paragraph=2")
    assert page.locator("h1").inner_text().startswith("Cite paragraph 2 of")
    page.get_by_role("button", name="Copy the Chicago citation").click()
    page.locator(".copy-status", has_text="Citation copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == plain_citation(
        server_url, "&paragraph=2")
    assert console_errors == []
