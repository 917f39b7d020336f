"""Real documents in: each format made from a corpus document imports with its paragraphs
and text kept (PDF: >= 99% of characters), noise out and reported; bilingual files split
into their two sides with their pairing; the CLI's dry run writes nothing."""

import difflib
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_documents import (
    CHROMIUM,
    corpus_lines,
    make_docx,
    make_docx_table,
    make_html,
    make_wrapped_markdown,
    render_pdfs,
)

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import make_aligner
from bitext.errors import InputError
from bitext.formats.readers.bilingual import split_bilingual
from bitext.formats.readers.detect import detect_format
from bitext.formats.readers.docx import read_docx
from bitext.formats.readers.html import read_html
from bitext.formats.readers.lines import join_lines, rejoin_wrapped
from bitext.formats.readers.pdf import read_pdf
from bitext.formats.readers.text import read_markdown, read_text
from bitext.services.file_import import add_from_files, prepare_import
from bitext.store.schema import AuditEntry, Bead

SLUG = "udhr-1948"
META = {"slug": "udhr", "title_original": "世界人权宣言",
        "title_translation": "Universal Declaration of Human Rights",
        "language_original": "zh-Hans", "language_translation": "en"}


def _similarity(expected: list[str], got: list[str]) -> float:
    return difflib.SequenceMatcher(None, "\n".join(expected), "\n".join(got),
                                   autojunk=False).ratio()


@pytest.fixture(scope="module")
def udhr(request):
    data = request.getfixturevalue("shared_data")
    return {side: corpus_lines(data, SLUG, side) for side in ("zh", "en")}


@pytest.fixture(scope="module")
def udhr_pdfs(udhr):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    pages = [make_html(udhr[side], site=False, lang=side) for side in ("zh", "en")]
    zh, en = render_pdfs(pages, title="Universal Declaration of Human Rights")
    return {"zh": zh, "en": en}


def _hashing_aligner():
    return make_aligner("zh-Hans", "en", encoder=HashingEncoder(dimensions=64))


@pytest.mark.parametrize("side", ["zh", "en"])
def test_docx_keeps_every_paragraph_and_the_heading(udhr, side):
    document = read_docx(make_docx(udhr[side], title="Title"))
    assert [b.text for b in document.blocks] == ["Title", *udhr[side]]
    assert document.count("heading") == 1


@pytest.mark.parametrize("side", ["zh", "en"])
def test_html_keeps_main_text_only(udhr, side):
    document = read_html(make_html(udhr[side], title="Title", lang=side).encode())
    assert [b.text for b in document.blocks] == ["Title", *udhr[side]]
    assert {b.lang for b in document.blocks} == {side}
    assert not any("Home" in b.text or "Footer text" in b.text for b in document.blocks)


@pytest.mark.parametrize("side", ["zh", "en"])
def test_wrapped_markdown_is_joined_into_its_paragraphs(udhr, side):
    wrapped = make_wrapped_markdown(udhr[side], width=30 if side == "zh" else 60,
                                    break_words=side == "zh")
    assert wrapped.count("\n") > 2 * len(udhr[side])  # really wrapped
    document = read_markdown(wrapped.encode())
    assert [b.text for b in document.blocks] == udhr[side]


def test_hard_wrapped_plain_text_lines_are_joined():
    text = ("Decree of the President of\nthe People's Republic of China\nNo. 26\n"
            "(Adopted at the Third Session of the Seventh\nNational People's Congress on "
            "4 April 1990)\nArticle 1\nThe Hong Kong Special Administrative Region is an "
            "inalien-\nable part of the People's Republic of China.\n")
    document = read_text(text.encode())
    assert [b.text for b in document.blocks] == [
        "Decree of the President of the People's Republic of China", "No. 26",
        "(Adopted at the Third Session of the Seventh National People's Congress on "
        "4 April 1990)", "Article 1",
        "The Hong Kong Special Administrative Region is an inalienable part of the People's "
        "Republic of China."]
    assert document.joined_lines == 3


def test_a_blank_line_always_ends_a_paragraph():
    """One-line paragraphs between blank lines stay apart even where a line reads as
    wrapped (a clause after a comma, the next line in lower case)."""
    text = ("In the beginning,\n\nGod created the heavens and the earth.\n\n"
            "Now the earth was formless,\n\nand empty.\n")
    document = read_text(text.encode())
    assert [b.text for b in document.blocks] == [
        "In the beginning,", "God created the heavens and the earth.",
        "Now the earth was formless,", "and empty."]
    assert document.joined_lines == 0
    joined = read_text(text.replace("\n\n", "\n").encode())
    assert len(joined.blocks) == 3 and joined.joined_lines == 1


def test_wrapped_chinese_lines_join_without_a_space():
    assert join_lines(["中華人民共和國", "香港特別行政區"]) == "中華人民共和國香港特別行政區"
    assert join_lines(["the Hong Kong", "Special"]) == "the Hong Kong Special"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                        min_size=1).filter(str.strip), max_size=30))
def test_rejoining_lines_loses_and_duplicates_nothing(lines):
    groups = rejoin_wrapped(lines)
    assert [line for group in groups for line in group] == lines


@pytest.mark.parametrize("side", ["zh", "en"])
def test_pdf_text_is_kept_and_running_heads_and_page_numbers_removed(udhr, udhr_pdfs, side):
    document = read_pdf(udhr_pdfs[side])
    got = [b.text for b in document.blocks if b.kind != "heading"]
    assert _similarity(udhr[side], got) >= 0.99
    assert abs(len(got) - len(udhr[side])) <= max(2, len(udhr[side]) // 50)
    assert document.pages and document.pages > 1
    assert document.removed["page numbers"] == document.pages
    assert document.removed["running headers"] == document.pages
    title = "Universal Declaration of Human Rights"  # the running header, also line 1 in en
    assert got.count(title) == udhr[side].count(title)
    assert not any(text.startswith("Page ") for text in got)


def test_pdf_two_columns_read_left_column_then_right(udhr, udhr_pdfs):
    page = make_html(udhr["en"], site=False).replace(
        "<style>body{font-size:12pt}</style>",
        "<style>body{font-size:11pt} main{column-count:2; column-gap:2em}</style>")
    pdf, = render_pdfs([page])
    assert [b.text for b in read_pdf(pdf).blocks] == udhr["en"]


def test_pdf_paragraph_cut_by_page_breaks_is_joined_again(udhr_pdfs):
    long = "Whereas " + ", ".join(f"clause {n} of the long sentence goes on and on"
                                  for n in range(300)) + "."  # one unfinished at each break
    paragraphs = [f"Short paragraph {n}." for n in range(30)] + [long, "The last one."]
    pdf, = render_pdfs([make_html(paragraphs, site=False)])
    document = read_pdf(pdf)
    assert document.pages and document.pages >= 3  # the long paragraph spans page breaks
    assert [b.text for b in document.blocks] == paragraphs


def test_pdf_footnote_in_small_type_is_a_note_not_a_paragraph(udhr_pdfs):
    paragraphs = ["The first paragraph of the body, long enough to be a real one.",
                  "The second paragraph, which carries a note mark.", "The third paragraph."]
    page = make_html(paragraphs, site=False).replace(
        "</main>", '<p style="font-size:8pt;position:absolute;top:800px">1 The note at the '
        "foot of the page.</p></main>")
    pdf, = render_pdfs([page], title=None)
    document = read_pdf(pdf)
    assert [b.text for b in document.blocks] == paragraphs
    assert [n.text for n in document.notes] == ["1 The note at the foot of the page."]


def test_detection_by_content_then_name(udhr_pdfs):
    docx = make_docx(["one"])
    assert detect_format(docx, "a.bin") == "docx"
    assert detect_format(udhr_pdfs["en"], "scan") == "pdf"
    assert detect_format(b"<!DOCTYPE html><p>x", "page.txt.html") == "html"
    assert detect_format(b"# Title\n", "notes.md") == "markdown"
    assert detect_format(b"plain", "notes") == "text"
    assert detect_format(b"<!DOCTYPE html><p>x", "notes.txt", "text") == "text"


def _html_table(rows: list[tuple[str, str]]) -> bytes:
    cells = "".join(f"<tr><td>{zh}</td><td>{en}</td></tr>" for zh, en in rows)
    return (f"<!DOCTYPE html><html><body><nav>Home</nav><main><table>{cells}</table></main>"
            "</body></html>").encode()


@pytest.mark.parametrize("read", [lambda rows: read_docx(make_docx_table(rows)),
                                  lambda rows: read_html(_html_table(rows))],
                         ids=["docx", "html"])
def test_bilingual_table_splits_into_sides_with_the_file_pairing(udhr, read):
    rows = list(zip(udhr["zh"], udhr["en"][2:], strict=False))
    split = split_bilingual(read(rows), "zh-Hans", "en")
    assert split.layout == "two-column table"
    assert split.original == [zh for zh, _ in rows]
    assert split.translation == [en for _, en in rows]
    assert split.pairs == [((i,), (i,)) for i in range(len(rows))]


def test_bilingual_table_columns_are_told_apart_by_script(udhr):
    rows = [(en, zh) for zh, en in zip(udhr["zh"], udhr["en"][2:], strict=False)]
    split = split_bilingual(read_docx(make_docx_table(rows)), "zh-Hans", "en")
    assert split.original == [zh for _, zh in rows]


def test_bilingual_interleaved_by_script_copes_with_quoted_names():
    blocks = ["第一条 本法由 Hong Kong 特别行政区立法会 (Legislative Council) 通过。",
              "Article 1 This Law is passed by the Legislative Council (立法會).",
              "第二条 一切权力属于人民。",
              "Article 2 All power belongs to the people.", "It is exercised by them.",
              "1990"]
    page = "".join(f"<p>{b}</p>" for b in blocks)
    split = split_bilingual(read_html(page.encode()), "zh-Hans", "en")
    assert split.layout == "alternating scripts"
    assert split.original == [blocks[0], blocks[2]]
    assert split.translation == [blocks[1], blocks[3], blocks[4], blocks[5]]
    assert split.pairs == [((0,), (0,)), ((1,), (1, 2, 3))]


_ZH_TEXT = st.text(alphabet="中华人民共和国宪法第一条，。", min_size=1, max_size=20)
_EN_TEXT = st.text(alphabet="abcdefghij ,.", min_size=1, max_size=40).filter(
    lambda t: any(c.isalpha() for c in t))


@settings(deadline=None)  # the first example loads langcodes' data
@given(st.lists(st.one_of(_ZH_TEXT, _EN_TEXT), min_size=2, max_size=30))
def test_bilingual_split_keeps_every_block_once_in_order(blocks):
    from bitext.formats.readers.model import Block, ReadDocument

    document = ReadDocument("html", blocks=[Block(b.strip() or b) for b in blocks])
    try:
        split = split_bilingual(document, "zh-Hans", "en")
    except InputError as error:  # a side with no paragraph of its language
        assert "holds no" in error.message
        return
    assert sorted(split.original + split.translation) == sorted(b.text for b in document.blocks)
    assert [i for source, _ in split.pairs for i in source] == list(range(len(split.original)))
    assert [j for _, target in split.pairs for j in target] == list(
        range(len(split.translation)))


def test_bilingual_html_by_lang_attributes_for_languages_of_one_script():
    page = ('<p lang="fr">Article premier. Tous les êtres humains naissent libres.</p>'
            '<p lang="en">Article 1. All human beings are born free.</p>'
            '<p lang="fr">Article 2. Chacun peut se prévaloir de tous les droits.</p>'
            '<p lang="en-GB">Article 2. Everyone is entitled to all the rights.</p>')
    split = split_bilingual(read_html(page.encode()), "fr", "en")
    assert split.layout == "lang attributes"
    assert [t[:10] for t in split.original] == ["Article pr", "Article 2."]
    assert split.pairs == [((0,), (0,)), ((1,), (1,))]


def test_docx_structure_tracked_changes_comments_and_lists():
    from docx import Document
    from docx.oxml import parse_xml

    word = Document()
    word.add_heading("Chapter I", level=1)
    kept = word.add_paragraph("Accepted ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    kept._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>inserted'
                             '</w:t></w:r></w:ins>'))
    kept._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>deleted'
                             '</w:delText></w:r></w:del>'))
    kept._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve"> text.</w:t></w:r>'))
    commented = word.add_paragraph("Commented text.")
    word.add_comment(commented.runs, text="Reviewer: cut this?", author="R")
    word.add_paragraph("first item", style="List Number")
    import io

    buffer = io.BytesIO()
    word.save(buffer)
    document = read_docx(buffer.getvalue())
    assert [(b.text, b.kind) for b in document.blocks] == [
        ("Chapter I", "heading"), ("Accepted inserted text.", "paragraph"),
        ("Commented text.", "paragraph"), ("first item", "item")]
    assert document.removed["comments"] == 1
    assert "Reviewer" not in " ".join(b.text for b in document.blocks)


def test_docx_footnotes_are_notes_attached_to_their_paragraph():
    import io

    from docx import Document
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    word = Document()
    word.add_paragraph("Intro.")
    claim = word.add_paragraph("Claim")
    claim._p.append(parse_xml(f'<w:r {w}><w:footnoteReference w:id="1"/></w:r>'))
    claim.add_run(" made.")
    notes = (f'<w:footnotes {w}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
             '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
             "<w:t>Source of the claim.</w:t></w:r></w:p></w:footnote></w:footnotes>")
    word.part.relate_to(Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                             notes.encode(), word.part.package), RT.FOOTNOTES)
    buffer = io.BytesIO()
    word.save(buffer)
    document = read_docx(buffer.getvalue())
    assert [b.text for b in document.blocks] == ["Intro.", "Claim made."]
    assert [(n.text, n.block) for n in document.notes] == [("Source of the claim.", 1)]


def test_html_footnotes_are_notes_attached_to_their_paragraph():
    page = ('<main><p>Intro.</p><p>Claim<sup><a href="#fn1">1</a></sup> made.</p>'
            '<section class="footnotes"><ol><li id="fn1">Source of the claim.</li></ol>'
            '</section></main>')
    document = read_html(page.encode())
    assert [b.text for b in document.blocks] == ["Intro.", "Claim made."]
    assert [(n.text, n.block) for n in document.notes] == [("Source of the claim.", 1)]


def _write_meta(tmp_path, **changes):
    path = tmp_path / "meta.json"
    path.write_text(json.dumps({**META, **changes}), encoding="utf-8")
    return path


def test_docx_and_pdf_added_with_report_in_the_audit_row(library, tmp_path, udhr, udhr_pdfs):
    (tmp_path / "zh.pdf").write_bytes(udhr_pdfs["zh"])
    (tmp_path / "en.docx").write_bytes(make_docx(udhr["en"]))
    prepared = prepare_import(tmp_path / "zh.pdf", tmp_path / "en.docx", _write_meta(tmp_path))
    added = add_from_files(library, prepared, aligner=_hashing_aligner())
    assert added.paragraphs[1] == len(udhr["en"])
    with library.reader() as session:
        row = session.query(AuditEntry).filter_by(action="document.add").one()
        report = row.detail["import_report"]
    assert report["original"]["format"] == "pdf"
    assert report["original"]["removed"]["page numbers"] == report["original"]["pages"]
    assert report["translation"] == {"file": "en.docx", "format": "docx",
                                     "paragraphs": len(udhr["en"])}


def test_bilingual_file_added_with_its_pairing_as_the_paragraph_alignment(library, tmp_path,
                                                                         udhr):
    rows = list(zip(udhr["zh"], udhr["en"][2:], strict=False))
    (tmp_path / "both.docx").write_bytes(make_docx_table(rows))
    prepared = prepare_import(tmp_path / "both.docx", None, _write_meta(tmp_path))
    added = add_from_files(library, prepared, aligner=_hashing_aligner())
    assert added.paragraphs == (len(rows), len(rows))
    with library.reader() as session:
        beads = session.query(Bead).filter_by(level="paragraph").order_by(Bead.position).all()
    assert len(beads) == len(rows)
    assert all(len(b.source_ids) == 1 and len(b.target_ids) == 1 for b in beads)


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "bitext", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_cli_dry_run_prints_counts_and_removals_and_writes_nothing(tmp_path, udhr, udhr_pdfs):
    (tmp_path / "zh.pdf").write_bytes(udhr_pdfs["zh"])
    (tmp_path / "en.html").write_text(make_html(udhr["en"], title="UDHR"), encoding="utf-8")
    db = tmp_path / "library.db"
    result = _cli(db, "add", tmp_path / "zh.pdf", tmp_path / "en.html", "--meta",
                  _write_meta(tmp_path), "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("original: zh.pdf (pdf, ")
    assert "page numbers" in lines[0] and "running headers" in lines[0]
    assert lines[1].startswith(f"translation: en.html (html): {len(udhr['en']) + 1} paragraphs, "
                               "1 headings")
    assert lines[-1] == "dry run: nothing written"
    assert not db.exists()


def test_tmx_import_keeps_its_dropped_control_characters_in_the_audit_row(library):
    from bitext.services.importing import import_bytes

    tmx = ('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-Hans" '
           'datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" '
           'creationtoolversion="1" o-tmf="t"/><body><tu><tuv xml:lang="zh-Hans">'
           '<seg>人人生而自由。</seg></tuv><tuv xml:lang="en"><seg>All are born\u009b free.</seg>'
           "</tuv></tu></body></tmx>")
    meta = {**META, "slug": "tmx-doc"}
    [imported] = import_bytes(library, tmx.encode(), "tmx", meta)
    assert imported.dropped_controls == 1
    with library.reader() as session:
        row = session.query(AuditEntry).filter_by(action="document.add").one()
    assert row.detail["import_report"] == {
        "file": {"format": "tmx", "removed": {"control characters": 1}}}
