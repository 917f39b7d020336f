"""The small scorers: numbers, dates, percentages, names; which apply to which languages."""

from collections import Counter

import pytest

from bitext.core.align.signals import shared_weight, signals_for
from bitext.core.align.signals.names import fold_latin, han_readings, latin_name_reader
from bitext.core.align.signals.numbers import (
    chinese_numbers,
    digit_numbers,
    english_numbers,
    number_reader,
    parse_chinese_numeral,
)


def _agree(source_language, target_language, source, target, name):
    signal = {s.name: s for s in signals_for(source_language, target_language,
                                             [source], [target])}[name]
    return shared_weight(signal, signal.source_keys(source), signal.target_keys(target))


@pytest.mark.parametrize(("numeral", "value"), [
    ("十八", 18), ("十", 10), ("二十", 20), ("一百零五", 105), ("三千五百", 3500),
    ("两万", 20000), ("二〇二二", 2022), ("一九四九", 1949), ("三亿", 300_000_000),
    ("兩萬", 20000), ("三億", 300_000_000), ("二十兩", 22),
])
def test_chinese_numerals(numeral, value):
    assert parse_chinese_numeral(numeral) == value


@pytest.mark.parametrize("text", ["", "十x", "條"])
def test_what_is_no_numeral_reads_as_none(text):
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(("zh", "en"), [
    ("十八大开幕了。", "The 18th Party Congress opened."),
    ("2022年4月15日，会议召开。", "The meeting was held on April 15, 2022."),
    ("二〇二二年四月十五日", "15 April 2022"),
    ("增长了百分之三十。", "It grew by 30%."),
    ("增长了百分之三十。", "It grew by thirty percent."),
    ("他十八岁了。", "He was eighteen."),
    ("三个人走进来。", "Three men came in."),
])
def test_numbers_agree_across_chinese_and_english(zh, en):
    assert _agree("zh-Hans", "en", zh, en, "numbers") > 0


def test_different_numbers_do_not_agree():
    assert _agree("zh-Hans", "en", "2022年4月15日", "March 3, 1999", "numbers") == 0
    assert _agree("zh-Hans", "en", "增长了百分之三十。", "It grew by 40%.", "numbers") == 0


def test_numeral_characters_inside_words_are_not_numbers():
    assert chinese_numbers("一切都好，他三心二意。") == []
    assert chinese_numbers("百分之三十") == [30.0]  # not 100 and 30


def test_one_is_left_out_as_noise():
    assert number_reader("en")("one of them had a 1") == Counter()
    assert number_reader("zh")("一个人") == Counter()


def test_english_number_words_and_dates():
    assert english_numbers("three hundred and twenty-two men") == [322.0]
    assert english_numbers("the eighteenth of May 1990")[:1] == [18.0]
    assert 5.0 in english_numbers("15 May 1990")
    assert english_numbers("May I come in?") == []  # a verb, not a month


def test_digits_in_any_script_and_thousands():
    assert digit_numbers("１２３ and 1,234.5 and 3.5") == [123.0, 1234.5, 3.5]


def test_bigger_values_weigh_more_than_small_counts():
    signal = signals_for("zh-Hans", "en")[0]
    assert signal.key_weight(2022.0) > signal.key_weight(3.0)


@pytest.mark.parametrize(("zh", "en"), [
    ("叶文洁走了进来。", "Ye Wenjie walked in."),
    ("他们到了新疆。", "They reached Xinjiang."),
    ("汪淼看着她。", "Wang Miao looked at her."),
    ("吕布来了。", "Lü Bu came."),
])
def test_names_agree_across_chinese_and_pinyin(zh, en):
    assert _agree("zh-Hans", "en", zh, en, "names") > 0


def test_names_work_with_chinese_as_the_target_too():
    assert _agree("en", "zh-Hans", "Ye Wenjie walked in.", "叶文洁走了进来。", "names") > 0


def test_different_names_do_not_agree():
    assert _agree("zh-Hans", "en", "叶文洁走了进来。", "Wang Miao walked in.", "names") == 0


def test_a_capitalised_common_word_is_not_a_name():
    # 我们 reads 'women'; "Women" starting a sentence is the English word
    read = latin_name_reader(["Women came.", "The women left."])
    assert "women" in han_readings("我们来了")
    assert read("Women came.") == Counter()


def test_folding_latin_names():
    assert fold_latin("Xi'an") == "xian"
    assert fold_latin("Lü") == "lu"


def test_signals_depend_on_the_languages_only():
    assert [s.name for s in signals_for("zh-Hans", "en")] == ["numbers", "names"]
    assert [s.name for s in signals_for("en", "zh-Hant")] == ["numbers", "names"]
    assert [s.name for s in signals_for("en", "fr")] == ["numbers"]
    assert [s.name for s in signals_for("zh", "zh-Hant")] == ["numbers"]
    # French reads digits, not English number words
    french = signals_for("fr", "de")[0]
    assert french.source_keys("trois hommes et 12 femmes") == Counter({12.0: 1})
