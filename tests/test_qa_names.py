"""The names check: pinyin names in the translation that the original's characters do not
read as, on small pairs, as a property of the pinyin reader, and its precision on
hand-checked rows of the demo library (tests/data/qa_names_checked.json)."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.qa.checks import check_rows
from bitext.core.qa.findings import Row
from bitext.core.qa.names import (
    check_names,
    is_pinyin,
    pinyin_names,
    pinyin_syllables,
    split_syllables,
)

FIXTURE = Path(__file__).parent / "data" / "qa_names_checked.json"
MIN_PRECISION = 0.8


def rows(*pairs: tuple[str, str]) -> list[Row]:
    return [Row(k, o, t) for k, (o, t) in enumerate(pairs)]


def names_in(original: str, translation: str) -> list[str]:
    return [f.message for f in check_names(rows((original, translation)), "zh-Hans", "en")]


def test_a_misspelt_name_is_reported_with_the_original_characters():
    assert names_in("习近平总书记出席会议。", "General Secretary Xi Jingping attended.") == [
        "Jingping: the original has 近平 (jinping)"]
    assert names_in("邓小平理论", "Deng Xiaopin Theory") == [
        "Deng Xiaopin: the original has 邓小平 (dengxiaoping)"]


def test_a_name_the_original_does_not_have_is_reported():
    found = names_in("台湾是中华人民共和国的神圣领土的一部分。",
                     "Hainan is part of the sacred territory of the People’s Republic of China.")
    assert found == ["Hainan: no name in the original reads so"]


def test_names_that_match_and_english_words_are_not_reported():
    for original, translation in [
        ("习近平总书记出席会议。", "General Secretary Xi Jinping attended the meeting."),
        ("香港特别行政区", "the Hong Kong Special Administrative Region"),
        ("中国人民于六月在北京", "The Chinese people in June in Beijing"),
        ("澳门和台湾", "Macao and Taiwan"),
        ("他说，你是小气鬼。", "He said, You're a small-minded person."),
    ]:
        assert names_in(original, translation) == [], translation


def test_lu_with_an_umlaut_is_read_as_english_text_writes_it():
    """吕 is 'lu' as written in English (Lüliang, Luliang), not pypinyin's 'lv'."""
    assert names_in("吕梁市的人来了。", "People from Luliang City came.") == []


def test_a_surname_is_read_as_a_surname():
    """单 is Shan as a surname (the project's romanization), dan otherwise."""
    assert names_in("财主单廷秀的独生子", "the son of Shan Tingxiu") == []


def test_a_name_the_original_gives_elsewhere_is_explicitation_not_a_fault():
    pairs = rows(("吴佩珍去找表哥。", "Wu Peizhen went to find her cousin."),
                 ("她有点窘。", "Wu Peizhen was a bit shy."))
    assert check_names(pairs, "zh-Hans", "en") == []


def test_only_a_chinese_original_with_a_latin_script_translation_is_checked():
    pair = rows(("General Secretary Xi Jingping attended.", "习近平总书记出席会议。"))
    assert check_names(pair, "en", "zh-Hans") == []


def test_check_rows_includes_names():
    findings = check_rows(rows(("习近平总书记出席会议。", "Xi Jingping attended.")), [],
                          "zh-Hans", "en")
    assert [f.kind for f in findings] == ["names"]


# -- the pinyin reader ------------------------------------------------------------------

SYLLABLES = sorted(pinyin_syllables())
INNER = [s for s in SYLLABLES if s[0] not in "aeo"]


@given(st.sampled_from(SYLLABLES), st.lists(st.sampled_from(INNER), max_size=4))
def test_a_word_of_syllables_is_pinyin_and_splits_back_into_itself(first, rest):
    word = first + "".join(rest)
    assert is_pinyin(word)
    parts = split_syllables(word)
    assert parts is not None and "".join(parts) == word  # nothing lost, nothing added


@given(st.text(alphabet=st.sampled_from("abcdeghijklmnopqrstuwxyzABCDEFGHJKLMNPQRSTWXYZ '-,."),
               max_size=80))
def test_every_name_found_is_written_in_the_text(text):
    for name in pinyin_names(text):
        assert name.text in text.replace("-", " ")


NAMEY = st.sampled_from([*"习近平单廷秀中国台湾北京她的是。，",
                         *"XiJnpgShaTtxuBeijngChinaYou're -’,."])


@given(st.lists(st.tuples(st.text(alphabet=NAMEY, max_size=40),
                          st.text(alphabet=NAMEY, max_size=40)), max_size=6))
def test_the_names_check_reads_any_rows_and_reports_only_their_names(pairs):
    found = check_names(rows(*pairs), "zh-Hans", "en")
    for finding in found:
        assert finding.detail["name"] in pairs[finding.row][1].replace("-", " ")


# -- precision on hand-checked rows ----------------------------------------------------

def test_names_findings_are_precise_on_hand_checked_rows(record_property):
    right = wrong = missed = 0
    for item in json.loads(FIXTURE.read_text(encoding="utf-8"))["names"]:
        context = [Row(k, o, t) for k, (o, t) in enumerate(item["rows"])]
        found = [f for f in check_names(context, *item["languages"])
                 if f.row == item["target"]]
        named = [f for f in found if item["name"] and (
            item["name"] in f.detail["name"] or f.detail["name"] in item["name"])]
        right += bool(named) and item["correct"]
        wrong += len(found) - (bool(named) and item["correct"])
        missed += item["correct"] and not named
    record_property("names_precision", f"{right / (right + wrong):.3f} ({right}/{right + wrong})")
    record_property("names_recall", f"{right / (right + missed):.3f}")
    assert right + wrong >= 40
    assert right / (right + wrong) >= MIN_PRECISION
