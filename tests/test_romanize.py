"""Han text as the toneless pinyin names are matched by: one syllable a character, spelt
as English text writes pinyin (吕 Lü or Lu: 'lu'), shared by the aligner's name signal and
the names check."""

import re

from hypothesis import given
from hypothesis import strategies as st
from pypinyin.pinyin_dict import pinyin_dict

from bitext.core.align.signals.names import han_readings
from bitext.core.text.romanize import fold_latin, han_syllables, romanize_name

HAN = st.sampled_from([chr(cp) for cp in sorted(pinyin_dict) if 0x4E00 <= cp <= 0x9FFF])


def test_u_umlaut_reads_as_english_text_writes_it():
    assert han_syllables("吕梁") == ("lu", "liang")
    assert han_syllables("女") == ("nu",)
    assert fold_latin("Lü") == fold_latin("Lu") == "lu"
    assert "luliang" in han_readings("吕梁市")
    assert romanize_name("吕布") == "Lü Bu"  # a name as printed keeps its ü


@given(st.lists(HAN, min_size=1, max_size=8).map("".join))
def test_each_character_has_one_plain_syllable(run):
    syllables = han_syllables(run)
    assert len(syllables) == len(run)
    assert all(re.fullmatch("[a-z]+", s) and "v" not in s for s in syllables)
    assert all(fold_latin(s) == s for s in syllables)


@given(st.text(max_size=30))
def test_folding_keeps_lower_case_letters_only_and_is_stable(word):
    folded = fold_latin(word)
    assert re.fullmatch("[a-z]*", folded)
    assert fold_latin(folded) == folded
