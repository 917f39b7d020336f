"""What one request can make the server produce stays bounded (issue 16).

A document whose sentences are 100,000 characters long (the web editor's own paragraph
limit) and hold the search term thousands of times once turned one anonymous concordance
request into 2.5 GB and 10 GB of server memory. Here, against a real server process, every
search and concordance response stays under a size derived from the settings, and so does
the growth of the server's memory; the editors' report queue comes in pages.
"""

import csv
import io
import re
from html import unescape
from pathlib import Path

import httpx2 as httpx
import pytest
from test_web_editorial import EN, PASSWORD, ZH, log_in, make_client
from test_web_editorial import META as SMALL

from bitext.services.accounts import add_user
from bitext.services.editing import PARAGRAPH_MAX_CHARS, edit_metadata
from bitext.services.library import add_document, open_library
from bitext.services.reading import get_document
from bitext.services.reports import submit_report
from bitext.services.search import TextLimits, concordance, search
from bitext.settings import Settings
from tests.browser.conftest import served_process

# One sentence per side, each as long as the editor allows, the term in it thousands of times.
TRANSLATION = ("people have rights " * (PARAGRAPH_MAX_CHARS // 19 + 1))[:PARAGRAPH_MAX_CHARS]
ORIGINAL = ("人民的权利" * (PARAGRAPH_MAX_CHARS // 5 + 1))[:PARAGRAPH_MAX_CHARS]
META = {"slug": "long", "title_original": "长句", "title_translation": "Long sentences",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published",
        "date": "2024-01-01"}
TERMS = ("people", "人民")

SETTINGS = Settings()
LIMITS = TextLimits.from_settings(SETTINGS)
BYTES_PER_CHAR = 6  # at most: three in UTF-8, six as a JSON \\u escape
ITEM_OVERHEAD_BYTES = 1500  # a line's or hit's date, slug, title, permalink, field names
PAGE_OVERHEAD_BYTES = 100_000  # an HTML page's own markup
LINE_BYTES = BYTES_PER_CHAR * (2 * LIMITS.context_chars + LIMITS.aligned_chars
                               + 2 * max(map(len, TERMS))) + ITEM_OVERHEAD_BYTES
# A hit: its cut sentence, the aligned prefix, and its highlights (at most one per character).
HIT_BYTES = (BYTES_PER_CHAR * (LIMITS.snippet_chars + LIMITS.aligned_chars)
             + 12 * LIMITS.snippet_chars + ITEM_OVERHEAD_BYTES)
MAX_PER_PAGE = 100
SERVER_GROWTH_MAX_BYTES = 300_000_000
REQUEST_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def long_library(tmp_path_factory) -> Path:
    """A library file holding the long document, through the product's own write path (a
    library whose import_max_sentence_chars allows such sentences, or older than it)."""
    db_path = tmp_path_factory.mktemp("long") / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("BITEXT_IMPORT_MAX_SENTENCE_CHARS", str(PARAGRAPH_MAX_CHARS))
            add_document(database, META, ORIGINAL, TRANSLATION)
        view = get_document(database, "long")
        for side in (view.original, view.translation):
            assert [len(s.text) for p in side for s in p.sentences] == [PARAGRAPH_MAX_CHARS]
    finally:
        database.dispose()
    return db_path


def test_concordance_lines_are_cut_and_counted_up_to_the_limit(long_library):
    database = open_library(f"sqlite:///{long_library}")
    try:
        result = concordance(database, "people", per_page=0)
        hit = search(database, "人民").hits[0]
    finally:
        database.dispose()
    assert result.truncated and result.total == len(result.lines) == LIMITS.concordance_max_lines
    line = result.lines[0]
    assert line.match == "people"
    assert len(line.left) <= LIMITS.context_chars + 1
    assert len(line.right) == LIMITS.context_chars + 1 and line.right.endswith("…")
    assert line.aligned_text == ORIGINAL[:LIMITS.aligned_chars] + "…"
    # a search hit: its sentence cut around the first match, highlights still on the term
    assert len(hit.text) <= LIMITS.snippet_chars + 2 and hit.text.endswith("…")
    assert hit.highlights and {hit.text[a:b] for a, b in hit.highlights} == {"人民"}
    assert hit.aligned_text == TRANSLATION[:LIMITS.aligned_chars] + "…"


def _vm_kib(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1))


def _size_of(client: httpx.Client, path: str, params: dict, max_bytes: int) -> int:
    """The body's size in bytes, read as it streams; stops reading past ``max_bytes``."""
    size = 0
    with client.stream("GET", path, params=params) as response:
        assert response.status_code == 200, path
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                break
    return size


REQUESTS = [
    ("/concordance.csv", {}, LIMITS.concordance_max_lines * LINE_BYTES + 1000),
    ("/api/concordance", {"per_page": MAX_PER_PAGE}, MAX_PER_PAGE * LINE_BYTES + 1000),
    ("/concordance", {}, MAX_PER_PAGE * LINE_BYTES + PAGE_OVERHEAD_BYTES),
    ("/api/search", {"per_page": MAX_PER_PAGE}, MAX_PER_PAGE * HIT_BYTES + 1000),
    ("/search", {}, 20 * HIT_BYTES + PAGE_OVERHEAD_BYTES),
]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_responses_and_server_memory_stay_bounded(long_library, tmp_path):
    with served_process(long_library, tmp_path) as (url, process), \
            httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        assert client.get("/search", params={"q": "rights"}).status_code == 200  # warmed up
        baseline_kib = _vm_kib(process.pid, "VmRSS")
        sizes = {}
        for path, params, max_bytes in REQUESTS:
            for term in TERMS:
                size = _size_of(client, path, {"q": term, **params}, max_bytes)
                sizes[path, term] = size
                assert size <= max_bytes, f"{path}?q={term}: over {max_bytes} bytes"
        peak_kib = _vm_kib(process.pid, "VmHWM")
        csv_rows = list(csv.reader(io.StringIO(
            client.get("/concordance.csv", params={"q": "people"}).text)))
    print(sizes, f"server: {baseline_kib} KiB after start, peak {peak_kib} KiB")
    assert (peak_kib - baseline_kib) * 1024 < SERVER_GROWTH_MAX_BYTES
    assert len(csv_rows) == 1 + LIMITS.concordance_max_lines
    assert csv_rows[1][8] == ORIGINAL[:LIMITS.aligned_chars] + "…"


# ---- the editors' report queue comes in pages ----------------------------------------

REPORTS = 260


def test_report_queue_is_paginated(library, tmp_path):
    add_document(library, SMALL, ZH, EN)
    add_user(library, "editor1", PASSWORD, "editor")
    paragraph = get_document(library, SMALL["slug"]).translation[0].id
    for number in range(REPORTS):
        submit_report(library, SMALL["slug"], paragraph, "translation", "", f"fix {number}",
                      None, "192.0.2.1", per_hour=REPORTS)
    page_size = Settings().page_size_reports
    with make_client(library, tmp_path) as client:
        log_in(client, "editor1")
        first = client.get("/editor/reports")
        ids = re.findall(r'id="report-(\d+)"', first.text)
        assert len(ids) == page_size
        assert f"Page 1 of {-(-REPORTS // page_size)}" in first.text
        older = unescape(re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1))
        second = client.get(older)
        assert second.status_code == 200 and "page=2" in older
        second_ids = re.findall(r'id="report-(\d+)"', second.text)
        assert len(second_ids) == page_size and not set(ids) & set(second_ids)
        last = client.get("/editor/reports", params={"page": -(-REPORTS // page_size)})
        assert len(re.findall(r'id="report-(\d+)"', last.text)) == REPORTS % page_size
        assert '<a rel="prev"' in last.text and '<a rel="next"' not in last.text
        # the audit log (a report each) comes in pages too
        audit = client.get("/editor/audit")
        assert audit.text.count("<tr>") - 1 == Settings().page_size_audit_entries
        older_entries = unescape(re.search(r'href="([^"]+)">Older entries', audit.text).group(1))
        assert client.get(older_entries).text.count("<tr>") - 1 == \
            Settings().page_size_audit_entries


# ---- a document's history of changes comes in pages ----------------------------------

METADATA_EDITS = 120


def test_history_is_paginated(library, tmp_path):
    add_document(library, SMALL, ZH, EN)
    editor = add_user(library, "editor1", PASSWORD, "editor")
    for version in range(METADATA_EDITS):
        edit_metadata(library, editor, SMALL["slug"], version, {"summary": f"v{version}"},
                      f"edit {version}")
    total = METADATA_EDITS + 3  # and the two first revisions and the first alignment
    page_size = Settings().page_size_history
    pages = -(-total // page_size)
    with make_client(library, tmp_path) as client:
        first = client.get(f"/documents/{SMALL['slug']}/history")
        assert first.status_code == 200 and f"Page 1 of {pages}" in first.text
        assert first.text.count("<tr>") - 1 == page_size  # less the header row
        assert f"edit {METADATA_EDITS - 1}<" in first.text and "edit 0<" not in first.text
        older = unescape(re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1))
        second = client.get(older)
        assert second.status_code == 200 and "page=2" in older
        assert f"edit {METADATA_EDITS - 1 - page_size}<" in second.text
        last = client.get(f"/documents/{SMALL['slug']}/history", params={"page": pages})
        assert last.text.count("<tr>") - 1 == total - (pages - 1) * page_size
        assert "edit 0<" in last.text and "Alignment 1" in last.text
