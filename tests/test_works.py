"""Works: documents grouped as translations of versions of an original (migration 0010,
``bitext add --work``, ``bitext add-translation``, ``bitext diff WORK V1 V2``)."""

import json
import re

import pytest
from sqlalchemy import inspect, text
from test_web_editorial import make_client
from typer.testing import CliRunner

from bitext.cli import app
from bitext.services.library import add_document, open_library
from bitext.services.reading import EVERY_STATUS, DocumentFilters, list_documents
from bitext.services.work_reading import version_diff, work_view
from bitext.services.works import VersionPlace, diff_work, file_version

OLD = "中华人民共和国宪法\n第一条　国家实行社会主义制度。\n第二条　人民行使国家权力。\n"
NEW = ("中华人民共和国宪法\n"
       "第一条　国家实行社会主义制度。中国共产党领导是中国特色社会主义最本质的特征。\n"
       "第二条　人民行使国家权力。\n第三条　国家机构实行民主集中制的原则。\n")
NEW_EN = ("Constitution of the People's Republic of China\n"
          "Article 1 The State practises socialism. Leadership by the Communist Party of China "
          "is the defining feature of socialism with Chinese characteristics.\n"
          "Article 2 The people exercise the power of the State.\n"
          "Article 3 The State organs apply the principle of democratic centralism.\n")
NEW_EN_OTHER = ("The Constitution of the PRC\n"
                "Art. 1 The State is socialist. The Party's leadership defines Chinese "
                "socialism.\n"
                "Article 2 The people exercise the power of the State.\n"
                "Art. 3 State organs follow democratic centralism.\n")
OLD_EN = ("Constitution of the People's Republic of China\n"
          "Article 1 The State is socialist.\n"
          "Article 2 The people exercise the power of the State.\n")
META = {"slug": "constitution-2018", "title_original": "中华人民共和国宪法",
        "title_translation": "Constitution of the People's Republic of China",
        "language_original": "zh-Hans", "language_translation": "en",
        "translator": "NPC", "official": True}


def bitext(db, *args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def _write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    return {
        "old": _write(tmp_path, "2004.txt", OLD), "new": _write(tmp_path, "2018.txt", NEW),
        "en": _write(tmp_path, "en.txt", NEW_EN),
        "en2": _write(tmp_path, "en2.txt", NEW_EN_OTHER),
        "meta": _write(tmp_path, "meta.json", META),
        "meta2": _write(tmp_path, "meta2.json", {
            "slug": "constitution-2018-other", "title_translation": "The PRC Constitution",
            "language_translation": "en", "translator": "A. Reader"}),
    }


def test_a_work_with_two_versions_and_two_translations(tmp_path, files):
    db = tmp_path / "library.db"
    out = bitext(db, "add", files["old"], "--meta", files["meta"], "--work", "prc-constitution",
                 "--version", "2004", "--date", "2004-03-14")
    assert "added version 2004 of prc-constitution: 3 paragraphs" in out
    out = bitext(db, "add", files["new"], files["en"], "--meta", files["meta"],
                 "--work", "prc-constitution", "--version", "2018", "--date", "2018-03-11")
    assert "filed under version 2018 of prc-constitution" in out
    out = bitext(db, "add-translation", "prc-constitution", "2018", files["en2"],
                 "--meta", files["meta2"])
    assert "added constitution-2018-other (draft): a translation of version 2018" in out

    library = open_library(f"sqlite:///{db}")
    try:
        with library.reader() as session:
            rows = session.execute(text(
                "SELECT w.slug, v.label, v.date, v.position, d.slug FROM work_versions v "
                "JOIN works w ON w.id = v.work_id "
                "LEFT JOIN work_translations t ON t.version_id = v.id "
                "LEFT JOIN documents d ON d.id = t.document_id ORDER BY v.position, d.id"
            )).all()
        assert [(r[1], str(r[2]), r[3], r[4]) for r in rows] == [
            ("2004", "2004-03-14", 0, None), ("2018", "2018-03-11", 1, "constitution-2018"),
            ("2018", "2018-03-11", 1, "constitution-2018-other")]
        ops = diff_work(library, "prc-constitution", "2004", "2018")
        page_counts = version_diff(library, "prc-constitution", "2004", "2018",
                                   EVERY_STATUS).counts
    finally:
        library.dispose()
    kinds = [(op.kind, op.new.label if op.new else None) for op in ops if op.kind != "unchanged"]
    assert kinds == [("changed", "第一条"), ("added", "第三条")]

    printed = json.loads(bitext(db, "diff", "prc-constitution", "2004", "2018", "--json"))
    assert printed["counts"] == {"unchanged": 2, "changed": 1, "added": 1}
    plain = bitext(db, "diff", "prc-constitution", "2004", "2018")
    assert "added    第三条" in plain and "{+中国共产党领导" in plain
    # the command and the work's diff page count with one rule
    assert plain.splitlines()[-1] == ", ".join(f"{n} {kind}" for kind, n in page_counts.items())
    assert printed["counts"] == {kind: n for kind, n in page_counts.items() if n}
    # the file mode still works
    assert json.loads(bitext(db, "diff", files["old"], files["new"], "--json"))[
        "counts"] == printed["counts"]


def _count(db, table: str) -> int:
    library = open_library(f"sqlite:///{db}")
    try:
        with library.reader() as session:
            return session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        library.dispose()


def test_bad_input_is_one_line_and_writes_nothing(tmp_path, files):
    db = tmp_path / "library.db"
    bitext(db, "add", files["new"], files["en"], "--meta", files["meta"],
           "--work", "prc-constitution", "--version", "2018")
    before = {t: _count(db, t) for t in ("documents", "works", "work_versions", "segments")}
    other = _write(tmp_path, "meta3.json", {**META, "slug": "another"})
    cases = [
        (("add", files["old"], files["en"], "--meta", other, "--work", "prc-constitution",
          "--version", "2018"), "the original is not the text of version '2018'"),
        (("add", files["new"], files["en"], "--meta", other, "--work", "prc-constitution"),
         "--work and --version go together"),
        (("add", files["old"], "--meta", other, "--work", "prc-constitution", "--version",
          "2004", "--date", "14 March 2004"), "date '14 March 2004': expected YYYY-MM-DD"),
        (("add", files["old"], "--meta", other, "--work", "prc-constitution", "--version",
          "2018"), "the original is not the text of version '2018'"),
        (("add-translation", "no-such-work", "2018", files["en2"], "--meta", files["meta2"]),
         "Work not found"),
        (("add-translation", "prc-constitution", "1999", files["en2"], "--meta",
          files["meta2"]), "work 'prc-constitution' has no version '1999'"),
        (("diff", "prc-constitution", "2018", "2004"),
         "work 'prc-constitution' has no version '2004'"),
        (("add", files["new"], files["en"], "--meta", other, "--work", "Bad Slug",
          "--version", "2018"), "work 'Bad Slug'"),
        # a version's or a translation's file is read as `bitext add` reads one: named
        (("add-translation", "prc-constitution", "2018", files["en2"], "--meta",
          files["meta2"], "--format", "docx"), "en2.txt: not a readable DOCX file"),
        (("add", files["old"], "--meta", other, "--work", "prc-constitution", "--version",
          "2004", "--format", "pdf"), "2004.txt: not a readable PDF file"),
    ]
    for args, message in cases:
        out = bitext(db, *args, ok=False)
        errors = [line for line in out.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and message in errors[0], (args, out)
        assert out.rstrip().endswith(errors[0]), out  # the reading report, then the error
    assert {t: _count(db, t) for t in before} == before


def _downgrade_and_up(database) -> None:
    from alembic import command

    from bitext.store.migrate import alembic_config

    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009_version_date")
    with database.engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        assert not {"works", "work_versions", "work_translations"} & tables
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture
def database(any_library):
    """conftest's library on SQLite, then on PostgreSQL."""
    return any_library


def test_migration_makes_every_document_a_work_and_keeps_its_pages(database, tmp_path):
    """A populated library goes back to 0009 and up again: each document becomes a work of
    the same slug, with one version (labelled by its date) that it translates, as adding it
    filed it; its pages, citations and search results answer as before."""
    base = {k: v for k, v in META.items() if k not in ("slug", "official")}
    add_document(database, {**base, "slug": "amended", "date": "1982-12-04",
                            "version_date": "2018-03-11", "status": "published"}, NEW, NEW_EN)
    add_document(database, {**base, "slug": "undated", "status": "published"}, OLD, NEW_EN)
    pages = ("/documents/{}", "/documents/{}/cite", "/documents/{}/history", "/search?q=State")
    with make_client(database, tmp_path) as client:
        before = {(slug, page): client.get(page.format(slug)).text
                  for slug in ("amended", "undated") for page in pages}
    _downgrade_and_up(database)
    with database.reader() as session:
        rows = session.execute(text(
            "SELECT d.slug, w.slug, w.title, w.language_original, v.label, v.date, "
            "v.position, v.text FROM documents d "
            "JOIN work_translations t ON t.document_id = d.id "
            "JOIN work_versions v ON v.id = t.version_id "
            "JOIN works w ON w.id = v.work_id ORDER BY d.id")).all()
    assert [(r[0], r[1], r[2], r[3], r[4], str(r[5]), r[6], r[7]) for r in rows] == [
        ("amended", "amended", "中华人民共和国宪法", "zh-Hans", "2018-03-11", "2018-03-11", 0,
         None),
        ("undated", "undated", "中华人民共和国宪法", "zh-Hans", "1", "None", 0, None)]
    (tmp_path / "after").mkdir()  # a fresh page cache: the old one holds the old pages
    with make_client(database, tmp_path / "after") as client:
        after = {(slug, page): client.get(page.format(slug)).text
                 for slug in ("amended", "undated") for page in pages}
    for slug, label in (("amended", "2018-03-11"), ("undated", "1")):
        line = re.search(r"<div><dt>Work</dt>.*?</div>\s*", after[slug, pages[0]]).group(0)
        assert f'href="/works/{slug}"' in line and f"version {label}" in line
    # added documents are works of their own already, as the migration files them: the
    # page (its work line too), citations, history and search answer as before
    assert after == before
    listed = list_documents(database, DocumentFilters(), statuses=EVERY_STATUS)
    assert [d.slug for d in listed.items] == ["amended", "undated"]
    assert [op.kind for op in diff_work(database, "amended", "2018-03-11", "2018-03-11")] == [
        "unchanged"] * 4


def test_the_downgrade_refuses_to_lose_a_work_s_versions(database):
    """0009 has no place for a second version: going back would drop it, so it is refused
    with one line and the library is left as it was."""
    from alembic import command
    from alembic.util import CommandError

    from bitext.store.migrate import alembic_config

    base = {k: v for k, v in META.items() if k not in ("slug", "official")}
    add_document(database, {**base, "slug": "amended", "status": "published"}, NEW, NEW_EN)
    file_version(database, VersionPlace("amended", "2004"), "宪法", "zh-Hans", text=OLD)
    config = alembic_config()
    refused = r"^cannot downgrade below 0010_works: 1 work\(s\) .*\(first: 'amended'\)$"
    with pytest.raises(CommandError, match=refused), database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009_version_date")
    with database.reader() as session:
        assert session.execute(text("SELECT count(*) FROM work_versions")).scalar_one() == 2
    assert [v.label for v in work_view(database, "amended", EVERY_STATUS).versions] == [
        "1", "2004"]
