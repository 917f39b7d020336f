"""Formats: export → import gives the same beads (Hypothesis), TMX validates against the
TMX 1.4 DTD, and a demo document round-trips through the library."""

import io
import json
from pathlib import Path

import pytest
from docx import Document as WordDocument
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bitext.errors import InputError
from bitext.formats.jsonl import read_jsonl, write_jsonl
from bitext.formats.model import AlignedBead, AlignedDocument, from_view
from bitext.formats.registry import exporter, importer
from bitext.formats.tmx import read_tmx, write_tmx
from bitext.formats.xliff import read_xliff, write_xliff
from bitext.services.demo import DEMO_DIR
from bitext.services.export import aligned_document, export_document
from bitext.services.importing import import_bytes
from bitext.services.library import add_document_files
from bitext.services.reading import get_document

DTD = Path(__file__).parent / "data" / "tmx14.dtd"
SLUG = "prc-constitution-2018"

# XML 1.0 characters, no surrogates or controls; sentences are stripped and non-empty.
text_char = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from("<&>\"'中文。，")
sentence = st.text(text_char, min_size=1, max_size=12).map(str.strip).filter(bool)
side = st.lists(sentence, max_size=3).map(tuple)
score = st.floats(min_value=0, max_value=1, allow_nan=False)
bead = st.builds(AlignedBead, side, side, score).filter(lambda b: b.source or b.target)
languages = st.sampled_from([("zh-Hans", "en"), ("en", "zh-Hant"), ("fr", "de")])


@st.composite
def documents(draw):
    source, target = draw(languages)
    return AlignedDocument({"slug": "doc"}, source, target, draw(st.lists(bead, min_size=1,
                                                                         max_size=8)))


def _same_beads(a: AlignedDocument, b: AlignedDocument) -> None:
    assert (b.language_source, b.language_target) == (a.language_source, a.language_target)
    assert [(x.source, x.target, x.score) for x in b.beads] == [
        (x.source, x.target, x.score) for x in a.beads
    ]


@settings(max_examples=60, deadline=None)
@given(documents())
def test_tmx_round_trip(document):
    [back] = read_tmx(write_tmx([document]))
    _same_beads(document, back)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_xliff_round_trip(document):
    [back] = read_xliff(write_xliff(document))
    _same_beads(document, back)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_jsonl_round_trip(document):
    [back] = read_jsonl(write_jsonl([document]))
    assert back == document


@settings(max_examples=30, deadline=None)
@given(documents())
def test_tmx_is_valid_against_the_dtd(document):
    tree = etree.fromstring(write_tmx([document]),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


@pytest.fixture
def demo(library):
    folder = DEMO_DIR / SLUG
    add_document_files(library, folder / "original.txt", folder / "translation.txt",
                       folder / "meta.json")
    return library


def _import_as(library, data, fmt, slug):
    meta = json.loads((DEMO_DIR / SLUG / "meta.json").read_text("utf-8"))
    meta["slug"] = slug
    import_bytes(library, data, fmt, meta if fmt != "jsonl" else None)
    return aligned_document(library, slug)


def test_demo_tmx_validates_against_the_dtd(demo):
    tree = etree.fromstring(export_document(demo, SLUG, "tmx").content)
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_demo_round_trips_through_the_library(demo, fmt):
    original = aligned_document(demo, SLUG)
    data = export_document(demo, SLUG, fmt).content
    back = _import_as(demo, data, fmt, f"copy-{fmt}")
    _same_beads(original, back)
    assert get_document(demo, f"copy-{fmt}").method == "imported"


def test_demo_jsonl_round_trip_keeps_paragraphs(demo):
    original_view = get_document(demo, SLUG)
    lines = export_document(demo, SLUG, "jsonl").content.decode().splitlines()
    lines = [json.dumps({**json.loads(x), "document": "copy"}) for x in lines]
    first = json.loads(lines[0])
    first["metadata"]["slug"] = "copy-jsonl"
    lines[0] = json.dumps(first, ensure_ascii=False)
    import_bytes(demo, "\n".join(lines).encode(), "jsonl")
    copy_view = get_document(demo, "copy-jsonl")
    assert from_view(copy_view).beads == from_view(original_view).beads
    assert [[p.sentences[0].text for p in r.original] for r in copy_view.rows] == [
        [p.sentences[0].text for p in r.original] for r in original_view.rows
    ]
    assert len(copy_view.paragraph_beads) == len(original_view.paragraph_beads)


def test_jsonl_lines_carry_ids_and_scores(demo):
    lines = export_document(demo, SLUG, "jsonl").content.decode().splitlines()
    bead = json.loads(lines[1])
    assert bead["kind"] == "bead" and bead["source_ids"] and isinstance(bead["score"], float)
    assert json.loads(lines[0])["metadata"]["slug"] == SLUG


def test_docx_csv_tsv(demo):
    word = WordDocument(io.BytesIO(export_document(demo, SLUG, "docx").content))
    rows = word.tables[0].rows
    assert len(rows) == len(get_document(demo, SLUG).rows)
    assert "中华人民共和国" in rows[0].cells[0].text
    csv_text = export_document(demo, SLUG, "csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("document,bead,paragraph,score")
    tsv_text = export_document(demo, SLUG, "tsv").content.decode("utf-8-sig")
    assert "\t" in tsv_text.splitlines()[1]


def test_import_refuses_what_it_cannot_rebuild():
    assert exporter("docx").name == "docx"  # a format we write ...
    with pytest.raises(InputError, match="cannot be imported"):
        importer("docx")  # ... but cannot read back
    with pytest.raises(InputError, match="JSONL line 1"):
        read_jsonl(b'{"kind": "bead"}\n')


def test_import_with_mismatched_languages_is_refused(library):
    document = AlignedDocument({}, "fr", "en", [AlignedBead(("a",), ("b",), 1.0)])
    data = write_tmx([document])
    meta = {"slug": "x", "title_original": "t", "title_translation": "t",
            "language_original": "zh-Hans", "language_translation": "en"}
    with pytest.raises(InputError, match="language"):
        import_bytes(library, data, "tmx", meta)


