"""``bitext add ORIGINAL --work W --version V`` without a translation: the previous
version's translation carried forward as a draft filed under the new version, counted, with
what is left to translate listed."""

import json

from sqlalchemy import text
from typer.testing import CliRunner

from bitext.cli import app
from bitext.services.library import open_library
from bitext.store.documents import document_by_slug
from bitext.store.works import stored_paragraphs

OLD = ("中华人民共和国宪法\n第一条　国家实行社会主义制度。\n第二条　人民行使国家权力。\n"
       "第三条　国家机构实行民主集中制的原则。\n")
OLD_EN = ("Constitution of the People's Republic of China\n"
          "Article 1 The State practises socialism.\n"
          "Article 2 The people exercise the power of the State.\n"
          "Article 3 The State organs apply the principle of democratic centralism.\n")
# 2018: Article 1 amended, an article inserted as 3 (so 3 becomes 4), spacing changed in 2.
NEW = ("中华人民共和国宪法\n"
       "第一条　国家实行社会主义制度。中国共产党领导是中国特色社会主义最本质的特征。\n"
       "第二条 人民行使 国家权力。\n第三条　国家尊重和保障人权。\n"
       "第四条　国家机构实行民主集中制的原则。\n")
META = {"slug": "constitution-2004", "title_original": "中华人民共和国宪法",
        "title_translation": "Constitution of the People's Republic of China",
        "language_original": "zh-Hans", "language_translation": "en", "translator": "NPC"}


def bitext(db, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_version_gets_the_previous_translation_carried_forward(tmp_path):
    db = tmp_path / "library.db"
    for name, content in (("2004.txt", OLD), ("en.txt", OLD_EN), ("2018.txt", NEW),
                          ("meta.json", json.dumps(META))):
        (tmp_path / name).write_text(content, encoding="utf-8")
    bitext(db, "add", str(tmp_path / "2004.txt"), str(tmp_path / "en.txt"), "--meta",
           str(tmp_path / "meta.json"), "--work", "prc", "--version", "2004")
    out = bitext(db, "add", str(tmp_path / "2018.txt"), "--meta", str(tmp_path / "meta.json"),
                 "--work", "prc", "--version", "2018", "--date", "2018-03-11")
    assert "added version 2018 of prc: 5 paragraphs" in out
    assert ("carried forward constitution-2004 (version 2004): 3 of 5 paragraphs carried "
            "over (1 changed, 1 new, 0 removed)") in out
    assert "draft translation: constitution-2004-2018 (draft)" in out
    assert "to translate, changed ¶2: 第一条 国家实行社会主义制度。中国共产党领导" in out
    assert "(was: Article 1 The State practises socialism.)" in out
    assert "to translate, new ¶4: 第三条 国家尊重和保障人权。" in out

    library = open_library(f"sqlite:///{db}")
    try:
        with library.reader() as session:
            draft = stored_paragraphs(session, document_by_slug(
                session, "constitution-2004-2018", ("draft",)))
            filed = session.execute(text(
                "SELECT v.label FROM work_translations t JOIN documents d ON d.id = "
                "t.document_id JOIN work_versions v ON v.id = t.version_id "
                "WHERE d.slug = 'constitution-2004-2018'")).scalar_one()
    finally:
        library.dispose()
    assert filed == "2018"
    assert draft.translation_texts == [
        "Constitution of the People's Republic of China",
        "Article 2 The people exercise the power of the State.",
        "Article 4 The State organs apply the principle of democratic centralism."]
    assert draft.beads == [([0], [0]), ([1], []), ([2], [1]), ([3], []), ([4], [2])]


def test_a_version_with_nothing_before_it_has_no_translation_yet(tmp_path):
    db = tmp_path / "library.db"
    (tmp_path / "2018.txt").write_text(NEW, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    out = bitext(db, "add", str(tmp_path / "2018.txt"), "--meta", str(tmp_path / "meta.json"),
                 "--work", "prc", "--version", "2018")
    assert "added version 2018 of prc: 5 paragraphs" in out
    assert "no translation yet" in out
