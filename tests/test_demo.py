"""The demo library: real documents, loaded once."""

import pytest

from bitext.errors import NotFound
from bitext.services.demo import demo_folders, load_demo
from bitext.services.reading import DocumentFilters, get_document, list_documents
from bitext.services.work_reading import compare_translations, version_diff, work_view


def test_demo_loads_real_documents_once_reporting_each(library):
    reported = []
    added = load_demo(library, lambda slug, is_new: reported.append((slug, is_new)))
    assert len(added) >= 5 and set(added) == {f.name for f in demo_folders()}
    assert reported == [(slug, True) for slug in added]  # what the progress bar advances on
    reported.clear()
    assert load_demo(library, lambda slug, is_new: reported.append((slug, is_new))) == []
    assert reported == [(slug, False) for slug in added]
    page = list_documents(library, DocumentFilters(), per_page=50)
    assert page.total == len(added)
    udhr = get_document(library, "udhr-1948")
    assert udhr.meta.language_original == "en" and udhr.meta.language_translation == "zh-Hans"
    first_row = udhr.rows[0]
    assert first_row.original[0].sentences[0].text == "Universal Declaration of Human Rights"
    assert first_row.translation[0].sentences[0].text == "世界人权宣言"
    _check_demo_works(library)


def _check_demo_works(library):
    """One work with two versions (2004 without translation), one with two translations;
    loading twice filed each once."""
    constitution = work_view(library, "prc-constitution", ("published",))
    assert [(v.label, v.date.isoformat(), [t.slug for t in v.translations])
            for v in constitution.versions if v.date] == [
        ("2004", "2004-03-14", []), ("2018", "2018-03-11", ["prc-constitution-2018"])]
    assert constitution.versions[1].translations[0].official
    diff = version_diff(library, "prc-constitution", "2004", "2018", ("published",))
    assert diff.counts["added"] >= 2 and diff.counts["changed"] >= 10  # amendments 32-52
    bible = compare_translations(library, "bible-genesis-1",
                                 ["bible-genesis-1-kjv", "bible-genesis-1-web"],
                                 ("published",))
    assert sum(len(row.original) for row in bible.rows) == 31
    assert [len(t) for t in bible.rows[0].translations] == [1, 1]
    assert bible.rows[0].translations[0] == [
        "In the beginning God created the heaven and the earth."]
    udhr = work_view(library, "udhr-1948", ("published",))  # in no work: a work of its own
    assert [(v.label, [t.slug for t in v.translations]) for v in udhr.versions] == [
        ("1948-12-10", ["udhr-1948"])]
    for moved in ("prc-constitution-2018", "bible-genesis-1-kjv"):  # own works gone
        with pytest.raises(NotFound):
            work_view(library, moved, ("published",))


def test_every_demo_item_names_its_source_and_licence():
    import json

    for folder in demo_folders():
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        assert meta["licence"] and meta["provenance"]["source_addresses"], folder.name
