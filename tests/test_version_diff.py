"""The provision diff of two versions: the 2018 Constitution amendment found exactly, every
provision accounted for once, renumbering read as moves, and source differences (spacing,
punctuation width, numbering style) not read as changes."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.versions.diff import Operation, diff_versions, word_marks
from bitext.core.versions.provisions import split_provisions

FIXTURE = Path(__file__).parent / "data" / "constitution_2018_changes.json"
_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..999 as written in Chinese laws: 十二, 一百零三, 一百二十."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    return text + (_DIGITS[units] if units else "")


def render(bodies: list[str], arabic: bool = False) -> str:
    return "\n".join(f"第{k if arabic else chinese_number(k)}条 {body}"
                     for k, body in enumerate(bodies, start=1))


def ids(ops: list[Operation], kind: str) -> list[tuple[str | None, str | None]]:
    return [(op.old and op.old.ident, op.new and op.new.ident) for op in ops if op.kind == kind]


# -- the 2018 amendment -----------------------------------------------------------------------

def test_constitution_2004_to_2018_finds_exactly_the_amendments_changes(shared_data):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    corpus = shared_data / "corpus"
    ops = diff_versions((corpus / fixture["old"]).read_text(encoding="utf-8"),
                        (corpus / fixture["new"]).read_text(encoding="utf-8"))
    expected = {(e["op"], e["old"], e["new"])
                for entries in fixture["amendments"].values() for e in entries}
    found = {(op.kind, op.old and op.old.ident, op.new and op.new.ident) for op in ops
             if op.kind != "unchanged" and "front" not in {p.kind for p in (op.old, op.new) if p}}
    assert found - expected == set(), "provisions the amendment does not touch"
    assert expected - found == set(), "provisions the amendment changes, adds or renumbers"
    article_62 = next(op for op in ops if op.new and op.new.ident == "article 62")
    inserted = "".join(m.new for m in article_62.marks if m.tag in ("insert", "replace"))
    assert "国家监察委员会主任" in inserted


# -- normalization ----------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    ("第一条 中华人民共和国是社会主义国家，人民当家作主。",
     "第1条　中华人民共和国是社会主义国家,人民当家作主。"),
    ("第二条 一八四〇年以后", "第二条 一八四○年以后"),
    ("第三条 “三个代表”重要思想", "第三条 「三个代表」重要思想"),
    ("第四条 职权如下：\n（七）选举主任；", "第四条 职权如下:\n(7)选举主任;"),
    ("第五条 依照本宪法第一百零三条的规定", "第五条 依照本宪法第103条的规定"),
    ("Article 5 The State  protects\tthe rights.", "Article 5\nThe State protects the rights."),
    ("Chapter II The State", "Chapter 2 The State"),
])
def test_source_differences_are_not_changes(old, new):
    ops = diff_versions(old, new)
    assert [op.kind for op in ops] == ["unchanged"]


def test_a_real_change_inside_a_provision_is_marked_by_character():
    ops = diff_versions("第三条 国家行政机关、审判机关都由人民代表大会产生。",
                        "第三条 国家行政机关、监察机关、审判机关都由人民代表大会产生。")
    assert [op.kind for op in ops] == ["changed"]
    assert [(m.tag, m.new) for m in ops[0].marks if m.tag != "equal"] == [("insert", "监察机关、")]


def test_english_changes_are_marked_by_word():
    marks = word_marks("The State shall protect the rights.",
                       "The State shall guarantee the rights.")
    assert [(m.tag, m.old.strip(), m.new.strip()) for m in marks if m.tag != "equal"] == [
        ("replace", "protect", "guarantee")]


def test_a_removed_article_renumbers_the_rest_as_moves():
    ops = diff_versions(render(["甲乙丙丁", "戊己庚辛", "子丑寅卯"]),
                        render(["甲乙丙丁", "子丑寅卯"]))
    assert [op.kind for op in ops] == ["unchanged", "removed", "moved"]
    assert ids(ops, "moved") == [("article 3", "article 2")]


def test_swapped_articles_are_moves_not_changes():
    ops = diff_versions(render(["甲乙丙丁戊", "子丑寅卯辰"]), render(["子丑寅卯辰", "甲乙丙丁戊"]))
    assert sorted(ids(ops, "moved")) == [("article 1", "article 2"), ("article 2", "article 1")]
    assert {op.kind for op in ops} == {"moved"}


def test_an_amended_article_under_a_new_number_is_a_move_with_marks():
    old = render(["甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉"])
    new = render(["天地玄黄宇宙洪荒", "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌"])
    ops = diff_versions(old, new)
    assert [op.kind for op in ops] == ["added", "moved", "moved"]
    assert ops[2].text_changed and not ops[1].text_changed


def test_an_article_cut_down_under_its_number_is_changed_not_replaced():
    # Article 98 as amended in 1993: most of the old text went, the rest stayed.
    ops = diff_versions("第九十八条 省、直辖市、设区的市的人民代表大会每届任期五年。"
                        "县、不设区的市、市辖区、乡、民族乡、镇的人民代表大会每届任期三年。",
                        "第九十八条 地方各级人民代表大会每届任期五年。")
    assert [op.kind for op in ops] == ["changed"]


def test_unrelated_text_under_the_same_number_is_removed_and_added():
    ops = diff_versions("第一条 甲乙丙丁戊己庚辛壬癸。", "第一条 天地玄黄宇宙洪荒日月盈昃。")
    assert sorted(op.kind for op in ops) == ["added", "removed"]


def test_preamble_paragraphs_and_headings_are_provisions():
    text = "宪法\n序言\n第一段。\n第二段。\n第一章 总纲\n第一节 国家\n第一条 正文。\n第二款。"
    assert [p.ident for p in split_provisions(text)] == [
        "front", "preamble-heading", "preamble 1", "preamble 2", "chapter 1", "section 1.1",
        "article 1"]


def test_traditional_chinese_labels_are_provisions():
    text = "第一章 總綱\n第一節 國家\n第一條 正文。\n第二條 兩款。"
    assert [p.ident for p in split_provisions(text)] == [
        "chapter 1", "section 1.1", "article 1", "article 2"]


# -- properties -------------------------------------------------------------------------------

_BODY = st.text(alphabet="国家人民法院宪法监察委员会主任社会主义制度领导工作机关权利义务，、。",
                min_size=6, max_size=30)
_DOCUMENT = st.lists(_BODY, min_size=1, max_size=25, unique_by=lambda b: b.replace(" ", ""))


@given(_DOCUMENT, st.booleans())
def test_a_text_against_itself_is_all_unchanged(bodies, arabic):
    text = "宪法\n序言\n" + "\n".join(bodies[:2]) + "\n" + render(bodies, arabic)
    assert {op.kind for op in diff_versions(text, text)} == {"unchanged"}


@given(_DOCUMENT, _DOCUMENT)
def test_every_provision_appears_exactly_once_in_order(old_bodies, new_bodies):
    old, new = render(old_bodies), render(new_bodies, arabic=True)
    ops = diff_versions(old, new)
    assert [op.new for op in ops if op.new] == split_provisions(new)
    old_side = [op.old for op in ops if op.old]
    assert sorted(old_side, key=lambda p: p.number or 0) == split_provisions(old)
    in_place = [op.old.number for op in ops if op.old and op.kind != "moved"]
    assert in_place == sorted(in_place)
    for op in ops:  # the marks hold both texts whole: nothing lost, nothing added
        if op.marks:
            assert op.old and op.new
            assert "".join(m.old for m in op.marks) == op.old.body
            assert "".join(m.new for m in op.marks) == op.new.body


@given(_DOCUMENT, st.data())
def test_inserted_articles_renumber_the_rest_as_moves_both_ways(bodies, data):
    at = data.draw(st.integers(0, len(bodies)))
    inserted = data.draw(st.lists(_BODY.filter(lambda b: b not in bodies), min_size=1,
                                  max_size=3, unique=True))
    old, new = render(bodies), render(bodies[:at] + inserted + bodies[at:])
    k = len(inserted)
    moves = {(f"article {n}", f"article {n + k}") for n in range(at + 1, len(bodies) + 1)}
    forward, backward = diff_versions(old, new), diff_versions(new, old)
    assert set(ids(forward, "moved")) == moves
    assert set(ids(backward, "moved")) == {(b, a) for a, b in moves}
    assert len(ids(forward, "added")) == len(ids(backward, "removed")) == k


# -- bitext diff ------------------------------------------------------------------------------

def _invoke(*args):
    from typer.testing import CliRunner

    import bitext.cli.versions  # noqa: F401  (registers the command)
    from bitext.cli.app import app

    return CliRunner().invoke(app, ["diff", *map(str, args)])


@pytest.fixture
def two_versions(tmp_path):
    old, new = tmp_path / "2004.txt", tmp_path / "2018.txt"
    old.write_text("序言\n第一段。\n第一条 国家行政机关、审判机关都由人民代表大会产生。\n"
                   "第二条 子丑寅卯。\n", encoding="utf-8")
    new.write_text("序言\n第一段。\n第一条 国家行政机关、监察机关、审判机关都由人民代表大会产生。\n"
                   "第二条 天地玄黄宇宙洪荒。\n第三条 子丑寅卯。\n", encoding="utf-8")
    return old, new


def test_cli_diff_prints_changes_and_counts(two_versions):
    result = _invoke(*two_versions)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "changed  第一条  国家行政机关、{+监察机关、+}审判机关都由人民代表大会…" in lines
    assert "added    第二条  天地玄黄宇宙洪荒。" in lines
    assert "moved    第二条 -> 第三条" in lines
    assert lines[-1] == "2 unchanged, 1 changed, 1 added, 0 removed, 1 moved"


def test_cli_diff_json_lists_every_operation(two_versions):
    result = _invoke(*two_versions, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(op["op"], op["old"] and op["old"]["id"], op["new"] and op["new"]["id"])
            for op in data["operations"]] == [
        ("unchanged", "preamble-heading", "preamble-heading"),
        ("unchanged", "preamble 1", "preamble 1"), ("changed", "article 1", "article 1"),
        ("added", None, "article 2"), ("moved", "article 2", "article 3")]
    assert data["counts"] == {"unchanged": 2, "changed": 1, "added": 1, "moved": 1}


@pytest.mark.parametrize(("content", "message"), [
    (None, "file not found"),
    (b"\xff\xfe\x00bad", "not valid utf-8 text"),
])
def test_cli_diff_refuses_bad_input_in_one_line(tmp_path, two_versions, content, message):
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    result = _invoke(bad, two_versions[1])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and message in result.output
