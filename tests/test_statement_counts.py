"""Reads whose number of SQL statements must not grow with the library: a work's page with
its versions and translations, the text in force, a stored translation check, and a search
with a glossary term's expansion. An N+1 loop shows here as a count that grows with N."""

import datetime as dt

from statements import counting
from test_search import FOUR, GLOSSARY_LINE

from bitext.services import qa
from bitext.services.glossary import import_glossary
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS
from bitext.services.search import concordance, search
from bitext.services.work_in_force import text_in_force
from bitext.services.work_reading import work_view
from bitext.services.works import VersionPlace, file_version

ZH = "第一条 国家实行社会主义制度。\n\n第二条 人民行使国家权力。"
EN = "Article 1 The State practises socialism.\n\nArticle 2 The people exercise the power."


def _add_versions(library, first: int, last: int) -> None:
    """Versions v{first}..v{last} of work ``w``, each with one translation of its own."""
    for k in range(first, last + 1):
        slug = f"doc-{k}"
        add_document(library, {"slug": slug, "title_original": "宪法", "title_translation": "C",
                               "language_original": "zh-Hans", "language_translation": "en",
                               "status": "published"}, ZH, EN)
        file_version(library, VersionPlace("w", f"v{k}", dt.date(2000 + k, 1, 1)), "宪法",
                     "zh-Hans", slugs=[slug])


def _statements(library, read) -> int:
    read()  # caches and pooled connections warmed, as on a running server
    with counting(library) as counted:
        read()
    return counted.count


def test_a_work_is_read_in_as_many_statements_whatever_its_versions(library):
    def reads():
        return (_statements(library, lambda: work_view(library, "w", EVERY_STATUS)),
                _statements(library, lambda: text_in_force(library, "w", dt.date(2030, 1, 1),
                                                           EVERY_STATUS)))

    _add_versions(library, 1, 1)
    one = reads()
    _add_versions(library, 2, 4)
    assert len(work_view(library, "w", EVERY_STATUS).versions) == 4
    assert reads() == one


def test_a_stored_check_reads_each_row_once(library):
    add_document(library, *FOUR)
    with library.transaction() as session, counting(library) as counted:
        qa.record_check(session, "four", "demand")
    sent = [s for s in counted.statements if not s.startswith("BEGIN")]
    assert sent and len(sent) == len(set(sent))  # the document and its alignment read once
    assert qa.check_history(library, "four")[0].trigger == "demand"


def test_a_search_with_its_expansion_is_one_snapshot_whatever_the_library(library):
    add_document(library, *FOUR)
    import_glossary(library, GLOSSARY_LINE.encode(), "jsonl")

    def expanded():
        return search(library, "四个意识", include_expansions=True)

    with counting(library) as counted:
        found = expanded()
    assert len(found.expansions) == 4
    if library.is_sqlite:
        assert sum(s.startswith("BEGIN") for s in counted.statements) == 1
    searched = _statements(library, expanded)
    kwic = _statements(library, lambda: concordance(library, "四个意识", include_expansions=True))
    for k in range(3):
        add_document(library, {**FOUR[0], "slug": f"four-{k}"}, *FOUR[1:])
    assert expanded().expansions[0].total == 4  # 政治意识, now in four documents
    assert _statements(library, expanded) == searched
    assert _statements(library, lambda: concordance(
        library, "四个意识", include_expansions=True)) == kwic
