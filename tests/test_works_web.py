"""A work's pages: versions and translations, the version diff, and translations side by
side through the original (with the "where the translations differ" filter)."""

import re
from html import unescape

import pytest
from test_web_editorial import make_client
from test_works import META, NEW, NEW_EN, NEW_EN_OTHER, OLD, OLD_EN, _write, bitext

from bitext.services.library import open_library

TRICKY = 'The <b>PRC</b> Constitution & "its" text'


@pytest.fixture
def work_library(tmp_path):
    """prc-constitution: 2004 alone, 2018 with the NPC's translation and another one whose
    title needs escaping; a draft third translation."""
    db = tmp_path / "library.db"
    meta = _write(tmp_path, "meta.json", {**META, "status": "published"})
    bitext(db, "add", _write(tmp_path, "2004.txt", OLD), "--meta", meta,
           "--work", "prc-constitution", "--version", "2004", "--date", "2004-03-14")
    bitext(db, "add", _write(tmp_path, "2018.txt", NEW), _write(tmp_path, "en.txt", NEW_EN),
           "--meta", meta, "--work", "prc-constitution", "--version", "2018",
           "--date", "2018-03-11")
    other = _write(tmp_path, "en2.txt", NEW_EN_OTHER)
    bitext(db, "add-translation", "prc-constitution", "2018", other, "--meta", _write(
        tmp_path, "meta2.json", {"slug": "other-2018", "title_translation": TRICKY,
                                 "language_translation": "en", "status": "published"}))
    bitext(db, "add-translation", "prc-constitution", "2018", other, "--meta", _write(
        tmp_path, "meta3.json", {"slug": "draft-2018", "title_translation": "Unfinished",
                                 "language_translation": "en"}))
    library = open_library(f"sqlite:///{db}")
    yield library
    library.dispose()


@pytest.fixture
def client(work_library, tmp_path):
    with make_client(work_library, tmp_path) as opened:
        yield opened


def _text(html: str) -> str:
    """The page's words as a reader sees them: inline tags vanish, block tags separate."""
    inline_gone = re.sub(r"</?(?:bdi|a|span)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline_gone)).split())


def test_the_work_page_lists_versions_dates_and_translations(client):
    page = client.get("/works/prc-constitution")
    assert page.status_code == 200
    text = _text(page.text)
    assert "2004 2004-03-14 No translation yet." in text
    assert "Constitution of the People's Republic of China (English, NPC, official)" in text
    assert TRICKY in text and "<b>PRC</b>" not in page.text  # escaped
    assert "Unfinished" not in text and "draft-2018" not in page.text  # a reader's page
    assert 'href="/documents/constitution-2018"' in page.text
    assert 'href="/documents/other-2018"' in page.text
    assert "/works/prc-constitution/compare?translations=constitution-2018%2Cother-2018" \
        in page.text
    assert client.get("/works/no-such-work").status_code == 404
    document = client.get("/documents/other-2018").text
    link = ('<a href="/works/prc-constitution" lang="zh-Hans" dir="auto">中华人民共和国宪法</a>'
            ', version 2018')
    assert link in document


def test_the_version_diff_marks_words_and_lists_added_provisions(client):
    page = client.get("/works/prc-constitution/diff", params={"from": "2004", "to": "2018"})
    assert page.status_code == 200
    assert "<ins>中国共产党领导是中国特色社会主义最本质的特征。</ins>" in page.text
    text = _text(page.text)
    assert "1 changed, 1 added, 0 removed, 0 moved; 2 unchanged" in text
    assert "added 第三条" in text and "第二条" not in text
    missing = client.get("/works/prc-constitution/diff", params={"from": "2004", "to": "1999"})
    assert missing.status_code == 404 and "no version" in missing.text


def test_translations_side_by_side_and_where_they_differ(client):
    url = "/works/prc-constitution/compare"
    page = client.get(url, params={"translations": "constitution-2018,other-2018"})
    assert page.status_code == 200
    rows = re.findall(r'<tr class="compare__row[^"]*" id="row-(\d+)"', page.text)
    assert rows == ["1", "2", "3", "4"]
    body = _text(page.text.split("<tbody>")[1])
    for paragraph in (*NEW.splitlines(), *NEW_EN.splitlines()[:2], NEW_EN.splitlines()[3],
                      *NEW_EN_OTHER.splitlines()):  # article 2 is the same in both
        assert body.count(_text(paragraph)) == (2 if "Article 2" in paragraph else 1), paragraph
    differing = re.findall(r'class="compare__row compare__row--differ" id="row-(\d+)"',
                           page.text)
    assert differing == ["1", "2", "4"]  # article 2 is translated alike
    only = client.get(url, params={"translations": "constitution-2018,other-2018",
                                   "differ": "true"})
    assert re.findall(r'<tr class="compare__row[^"]*" id="row-(\d+)"', only.text) == differing
    assert 'checked' in only.text


@pytest.mark.parametrize(("translations", "status", "message"), [
    ("constitution-2018,draft-2018", 404, "is not a translation of this work"),
    ("constitution-2018,nothing", 404, "is not a translation of this work"),
    ("a,b,c,d", 400, "choose one to 3 translations"),
])
def test_compare_refuses_what_it_cannot_show(client, translations, status, message):
    page = client.get("/works/prc-constitution/compare", params={"translations": translations})
    assert page.status_code == status and message in unescape(page.text)


def test_a_corrected_original_cannot_be_compared_through(work_library, client):
    """Once an editor corrects one translation's original, the two documents no longer
    share their original text: the page says so instead of misaligning them."""
    from bitext.services.accounts import add_user
    from bitext.services.editing import edit_paragraph
    from bitext.services.reading import get_document

    editor = add_user(work_library, "editor1", "correct horse battery", "editor")
    paragraph = get_document(work_library, "other-2018").rows[2].original[0]
    edit_paragraph(work_library, editor, "other-2018", "original", paragraph.id, 1,
                   paragraph.text + "（更正）", "A correction.")
    page = client.get("/works/prc-constitution/compare",
                      params={"translations": "constitution-2018,other-2018"})
    assert page.status_code == 400 and "no longer the same text" in page.text


def test_the_text_in_force_on_a_date_names_its_version_and_translation(client):
    url = "/works/prc-constitution/in-force"
    between = client.get(url, params={"date": "2010-06-01"})
    assert between.status_code == 200
    text = _text(between.text)
    assert "Version 2004, in force from 2004-03-14 until 2018-03-11" in text
    assert "This version has no translation yet." in text
    assert "第二条 人民行使国家权力。" in text and "中国共产党领导" not in text
    on_the_day = _text(client.get(url, params={"date": "2018-03-11"}).text)
    assert "Version 2018, in force from 2018-03-11 , the latest version" in on_the_day
    assert ("Translation: Constitution of the People's Republic of China (English, NPC, official)"
            in on_the_day)
    assert "中国共产党领导是中国特色社会主义最本质的特征。" in on_the_day  # the 2018 text
    assert "Article 3 The State organs apply the principle of democratic centralism." \
        in on_the_day
    assert "Unfinished" not in on_the_day and TRICKY not in on_the_day  # the official one


def test_a_date_before_the_first_version_is_one_line_on_the_work_page(client):
    url = "/works/prc-constitution/in-force"
    early = client.get(url, params={"date": "1999-01-01"})
    assert early.status_code == 400
    assert ('role="alert">1999-01-01 is before the first version (2004, 2004-03-14)</p>'
            in early.text)
    assert 'value="1999-01-01"' in early.text and "No translation yet." in early.text
    wrong = client.get(url, params={"date": "2018-13-01<b>"})
    assert wrong.status_code == 400
    assert "date &#39;2018-13-01&lt;b&gt;&#39;: expected YYYY-MM-DD" in wrong.text
    assert client.get("/works/no-such-work/in-force", params={"date": "2020-01-01"}) \
        .status_code == 404
    assert 'action="/works/prc-constitution/in-force"' in client.get(
        "/works/prc-constitution").text


def test_bitext_work_on_a_date_prints_the_version_in_force(work_library, tmp_path):
    db = tmp_path / "library.db"
    listed = bitext(db, "work", "prc-constitution")
    assert "2004  2004-03-14  no translation" in listed
    assert "constitution-2018 (en, published)" in listed and "draft-2018 (en, draft)" in listed
    printed = bitext(db, "work", "prc-constitution", "--on", "2020-01-01")
    assert printed.startswith("version 2018, in force from 2018-03-11, the latest version\n"
                              "translation constitution-2018 (en, published)\n")
    assert ("第三条 国家机构实行民主集中制的原则。\n"
            "  Article 3 The State organs apply the principle of democratic centralism.\n"
            in printed)
    early = bitext(db, "work", "prc-constitution", "--on", "2000-01-01", ok=False)
    assert "2000-01-01 is before the first version (2004, 2004-03-14)" in early
    assert len(early.strip().splitlines()) == 1


def test_citations_name_the_version_and_the_translation(work_library):
    from bitext.services.export import citation_file, cite

    base = "https://lib.example"
    named = "version 2018, 2018-03-11; official translation"
    url = f"{base}/works/prc-constitution/2018/constitution-2018"
    for style in ("chicago", "apa", "mla"):
        text = cite(work_library, "constitution-2018", style, base_url=base)
        assert named.lower() in text.lower() and "trans" in text and "NPC" in text, style
        assert url in text, style
        other = cite(work_library, "other-2018", style, paragraph=2, base_url=base)
        assert "version 2018, 2018-03-11; unofficial translation" in other.lower(), style
        assert f"{base}/works/prc-constitution/2018/other-2018#p2" in other, style
    bib = citation_file(work_library, "constitution-2018", "bib").content.decode()
    assert f"type = {{{named}}}" in bib and "/works/prc-constitution/2018/" in bib
    ris = citation_file(work_library, "constitution-2018", "ris").content.decode()
    assert f"N1  - {named}" in ris


def test_the_only_translation_of_the_only_version_is_cited_as_before(tmp_path):
    from bitext.services.export import cite

    db = tmp_path / "alone.db"
    bitext(db, "add", _write(tmp_path, "2018.txt", NEW), _write(tmp_path, "en.txt", NEW_EN),
           "--meta", _write(tmp_path, "meta.json", {**META, "status": "published"}),
           "--work", "prc-constitution", "--version", "2018", "--date", "2018-03-11")
    library = open_library(f"sqlite:///{db}")
    try:
        text = cite(library, "constitution-2018", "chicago", base_url="https://x.example")
    finally:
        library.dispose()
    assert "version" not in text and text.endswith("https://x.example/documents/constitution-2018.")


def test_version_permalinks_lead_to_the_document_and_old_ones_keep_working(client):
    versioned = client.get("/works/prc-constitution/2018/other-2018", follow_redirects=False)
    assert versioned.status_code == 301
    assert versioned.headers["location"] == "/documents/other-2018"
    assert client.get("/documents/other-2018").status_code == 200
    assert client.get("/documents/constitution-2018").status_code == 200
    assert client.get("/works/prc-constitution/2004/other-2018").status_code == 404
    assert client.get("/works/another-work/2018/other-2018").status_code == 404
    assert client.get("/works/prc-constitution/2018/draft-2018").status_code == 404  # draft
    page = client.get("/documents/constitution-2018").text
    assert ('name="citation_public_url" content="http://testserver/works/prc-constitution/2018/'
            'constitution-2018"') in page


def test_the_version_diff_shows_how_each_change_was_rendered(client, work_library, tmp_path):
    url = "/works/prc-constitution/diff"
    alone = client.get(url, params={"from": "2004", "to": "2018"}).text
    assert "how it was rendered" not in alone  # 2004 has no translation yet
    bitext(tmp_path / "library.db", "add-translation", "prc-constitution", "2004",
           _write(tmp_path, "en-2004.txt", OLD_EN), "--meta", _write(
               tmp_path, "meta-2004.json", {"slug": "constitution-2004", "translator": "NPC",
                                            "title_translation": "Constitution (2004)",
                                            "language_translation": "en", "official": True,
                                            "status": "published"}))
    page = client.get(url, params={"from": "2004", "to": "2018"}).text
    text = _text(page)
    # the NPC's two translations, not the other translator's
    assert ("how it was rendered: Constitution (2004) (English, NPC) for version 2004 and "
            "Constitution of the People's Republic of China (English, NPC) for version 2018"
            ) in text
    rows = re.findall(r'<tr class="work-diff__row[^"]*">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    changed = re.findall(r'class="work-diff__translation"[^>]*>(.*?)</td>', rows[0], re.S)
    # "is" stays: the new text has an "is" after the words put in
    assert changed[0] == "Article 1 The State is <del>socialist</del>."
    assert changed[1].startswith("Article 1 The State <ins>practises socialism")
    assert "Leadership by the Communist Party" in changed[1] and "<del>" not in changed[1]
    added = re.findall(r'class="work-diff__translation"[^>]*>(.*?)</td>', rows[1], re.S)
    assert added == ["", "<ins>Article 3 The State organs apply the principle of democratic "
                         "centralism.</ins>"]
