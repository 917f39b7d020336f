"""Exports stream and feeds stay bounded (issue 16): a big document leaves the web in
several chunks whose bytes are the export's own; a feed entry lists at most the configured
number of correction notes, each cut; the sitemap lists at most its configured number."""

import anyio
import defusedxml.ElementTree as SafeET
import pytest
from fastapi.testclient import TestClient

from bitext.formats.chunks import CHUNK_BYTES
from bitext.formats.model import AlignedBead, AlignedDocument
from bitext.formats.registry import exporter
from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.export import export_document
from bitext.services.importing import import_bytes
from bitext.services.library import add_document
from bitext.services.reading import get_document
from bitext.settings import Settings
from bitext.web.app import create_app

BASE = "https://lib.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BEADS = 3000
META = {"slug": "big", "title_original": "大文件", "title_translation": "A big document",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}


def big_document() -> AlignedDocument:
    beads = [AlignedBead((f"第{n}条 人人生而自由，在尊严和权利上一律平等。",),
                         (f"Article {n}. All human beings are born free and equal.",), 0.9)
             for n in range(1, BEADS + 1)]
    return AlignedDocument(META, "zh-Hans", "en", beads)


@pytest.mark.parametrize("name", ["tmx", "jsonl", "csv", "tsv"])
def test_text_formats_write_in_chunks(name):
    fmt = exporter(name)
    chunks = list(fmt.chunks([big_document()]))
    assert len(chunks) > 1 and all(chunks)
    assert b"".join(chunks) == fmt.write([big_document()])


def asgi_get(app, path: str) -> tuple[dict, list[bytes]]:
    """The response start and every body message of one GET, as the server sends them."""
    messages: list[dict] = []
    requests = iter([{"type": "http.request", "body": b"", "more_body": False}])

    async def receive():
        for message in requests:
            return message
        await anyio.sleep_forever()  # the client stays connected until the response ends

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "https", "path": path, "raw_path": path.encode(),
             "query_string": b"format=jsonl", "root_path": "",
             "headers": [(b"host", b"lib.example")], "client": ("127.0.0.1", 1),
             "server": ("lib.example", 443)}
    anyio.run(app, scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    return start, [m["body"] for m in messages if m["type"] == "http.response.body"]


def test_web_export_is_streamed_and_equals_the_export(library):
    import_bytes(library, exporter("jsonl").write([big_document()]), "jsonl")
    app = create_app(library, settings=Settings(public_base_url=BASE))
    start, bodies = asgi_get(app, "/api/documents/big/export")
    assert start["status"] == 200
    assert b"content-length" not in dict(start["headers"])
    assert len([b for b in bodies if b]) >= len(b"".join(bodies)) // CHUNK_BYTES > 1
    assert b"".join(bodies) == export_document(library, "big", "jsonl").content
    with TestClient(app, base_url=BASE) as client:
        for name in ("tmx", "csv", "xliff"):  # streamed and whole-file writers alike
            response = client.get("/api/documents/big/export", params={"format": name})
            assert response.status_code == 200
            assert response.content == export_document(library, "big", name).content
        docx = client.get("/api/documents/big/export", params={"format": "docx"})
        assert docx.status_code == 200 and docx.content.startswith(b"PK")  # dated inside
        assert client.get("/api/documents/nothing/export").status_code == 404


def test_feed_entry_caps_its_correction_notes(library):
    add_document(library, {**META, "slug": "often"}, "第一条 人人生而自由。",
                 "Article 1. All are born free.")
    editor = add_user(library, "editor1", "correct horse battery", "editor")
    for n in range(100):
        paragraph = get_document(library, "often").rows[0].translation[0]
        editing.edit_paragraph(library, editor, "often", "translation", paragraph.id, n + 1,
                               f"Article 1. All are born free ({n}).", f"note {n:03d} " * 20)
    settings = Settings(public_base_url=BASE, feed_max_notes_per_entry=5,
                        feed_note_max_chars=40)
    with TestClient(create_app(library, settings=settings), base_url=BASE) as client:
        feed = SafeET.fromstring(client.get("/feed.atom").content)
    content = feed.find(f"{ATOM}entry").findtext(f"{ATOM}content")
    notes = content.split("Corrections: ", 1)[1].split("; ")
    assert len(notes) == 5 and notes[0].startswith("note 099")  # the newest first
    assert all(len(note) <= 40 for note in notes[:-1])
    assert notes[-1].endswith("(and 95 earlier)")
    assert "note 094" not in content


def test_sitemap_lists_at_most_its_cap(library):
    for n in range(6):
        add_document(library, {**META, "slug": f"doc-{n}"}, "第一条 人人生而自由。",
                     "Article 1. All are born free.")
    settings = Settings(public_base_url=BASE, sitemap_max_urls=4)
    with TestClient(create_app(library, settings=settings), base_url=BASE) as client:
        urlset = SafeET.fromstring(client.get("/sitemap.xml").content)
    urls = [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")]
    assert len(urls) == 4 and urls[0] == f"{BASE}/"
    assert len(set(urls)) == 4 and all(u.startswith(f"{BASE}/documents/doc-") for u in urls[1:])
