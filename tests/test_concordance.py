"""The parallel concordance (KWIC): occurrences, context, alignment, sorting, CSV."""

import csv
import io
import re

import pytest
from test_search import DOCUMENTS, client, corpus, empty_library  # noqa: F401  (fixtures)

from bitext.errors import InputError
from bitext.services.library import add_document
from bitext.services.search import SearchFilters, concordance, concordance_csv


def _permalink(slug: str, row: int | None) -> str:
    return f"x:{slug}:{row}"


def test_every_occurrence_with_context_and_aligned_sentence(corpus):  # noqa: F811
    result = concordance(corpus, "people")
    assert result.total == 3  # twice in the first sentence, once in the second
    first = [line for line in result.lines if line.left.startswith("All power")]
    assert [line.match for line in first] == ["People", "people"]
    assert first[0].right.startswith("'s Republic")
    assert first[0].aligned_text == "中華人民共和國的一切權力屬於人民。"
    assert (first[0].slug, first[0].row) == ("constitution", 1)


def test_chinese_term_in_either_script(corpus):  # noqa: F811
    traditional = concordance(corpus, "權利")
    assert [line.match for line in traditional.lines] == ["权利"]
    assert traditional.lines[0].aligned_text.startswith("All human beings")
    assert concordance(corpus, "权利").total == 1


@pytest.mark.parametrize("sort", ["date", "-date", "left", "right"])
def test_sorting(corpus, sort):  # noqa: F811
    lines = concordance(corpus, "the", sort=sort).lines
    # several lines from both dated documents, so that a wrong order would show
    assert len(lines) >= 4 and len({line.date for line in lines}) == 2
    assert len({line.left for line in lines}) > 1 and len({line.right for line in lines}) > 1
    if sort == "date":
        assert [line.date for line in lines] == sorted(line.date for line in lines)
    elif sort == "-date":
        assert [line.date for line in lines] == sorted((line.date for line in lines), reverse=True)
    elif sort == "left":
        keys = [line.left.lstrip("…").casefold()[::-1].lstrip() for line in lines]
        assert keys == sorted(keys)
    else:
        keys = [line.right.casefold().lstrip() for line in lines]
        assert keys == sorted(keys)


def test_unknown_sort_is_refused(corpus):  # noqa: F811
    with pytest.raises(InputError, match="sort"):
        concordance(corpus, "the", sort="rank; DROP")


def test_filters_apply(corpus):  # noqa: F811
    assert {line.slug for line in concordance(corpus, "all", SearchFilters(tag="rights")).lines} \
        == {"udhr"}


def test_csv_has_a_header_and_one_row_per_occurrence(corpus):  # noqa: F811
    result = concordance(corpus, "people", per_page=0)
    rows = list(csv.reader(io.StringIO(concordance_csv(result, _permalink))))
    assert rows[0][:3] == ["date", "slug", "title"]
    assert len(rows) == 1 + result.total
    assert {row[-1] for row in rows[1:]} == {f"x:{line.slug}:{line.row}" for line in result.lines}


def test_csv_cells_cannot_become_formulas(empty_library):  # noqa: F811
    meta = dict(DOCUMENTS[1][0], slug="formula")
    add_document(empty_library, meta, "=SUM(A1) 人民。", "=SUM(A1) people.")
    rows = list(csv.reader(io.StringIO(concordance_csv(concordance(empty_library, "people"),
                                                              _permalink))))
    assert rows[1][5].startswith("'=")


def test_concordance_endpoints(client):  # noqa: F811
    body = client.get("/api/concordance", params={"q": "people", "sort": "right"}).json()
    assert body["total"] == 3 and body["sort"] == "right"
    page = client.get("/concordance", params={"q": "people"})
    assert page.status_code == 200 and "<mark>people</mark>" in page.text
    download = client.get("/concordance.csv", params={"q": "people"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    links = {row[-1] for row in csv.reader(io.StringIO(download.text))} - {"permalink"}
    assert links == {"http://testserver/documents/constitution#p1",
                     "http://testserver/documents/constitution#p2"}
    assert "attachment" in download.headers["content-disposition"]
    bad = client.get("/api/concordance", params={"q": "people", "sort": "nope"})
    assert bad.status_code == 400 and "nope" not in bad.text


def test_aligned_sentence_carries_its_language(client):  # noqa: F811
    """An English hit's aligned sentence is Chinese and says so, for fonts and screen
    readers; a Chinese hit's aligned sentence says it is English."""
    english_hits = client.get("/concordance", params={"q": "people"}).text
    cells = re.findall(r'class="kwic__aligned" colspan="3" lang="([^"]+)"', english_hits)
    assert cells and set(cells) <= {"zh-Hans", "zh-Hant"}
    chinese_hits = client.get("/concordance", params={"q": "人民"}).text
    cells = re.findall(r'class="kwic__aligned" colspan="3" lang="([^"]+)"', chinese_hits)
    assert cells and set(cells) == {"en"}
