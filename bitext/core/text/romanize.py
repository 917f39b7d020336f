"""Romanization of Chinese in Hanyu Pinyin: personal names surname first (马兴瑞 → Ma Xingrui),
and the toneless, folded syllables names are matched by (吕梁 ↔ Lüliang, Luliang: 'luliang').

pypinyin reads characters as words; surnames have their own readings (单 is Shan, not Dan)
and some are two characters (欧阳), so those two cases are handled here.
"""

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Two-character surnames, simplified and traditional forms.
_COMPOUND_SURNAMES = (
    "欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 令狐 "
    "长孙 長孫 宇文 司徒 司空 夏侯 轩辕 軒轅 端木 独孤 獨孤 南宫 南宮 西门 西門 万俟 萬俟 "
    "闻人 聞人 呼延 澹台 澹臺 公羊 太史 申屠 钟离 鍾離"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())

# Surnames whose reading differs from the character's most common reading.
SURNAME_READINGS = {
    "单": "shan", "單": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "區": "ou",
    "查": "zha", "朴": "piao", "翟": "zhai", "乐": "yue", "樂": "yue", "盖": "ge", "蓋": "ge",
    "缪": "miao", "繆": "miao", "尉迟": "yuchi", "尉遲": "yuchi", "万俟": "moqi",
    "萬俟": "moqi", "长孙": "zhangsun", "長孫": "zhangsun", "覃": "qin", "秘": "bi",
    "燕": "yan", "召": "shao", "员": "yun", "員": "yun", "沈": "shen", "薄": "bo",
}


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def _syllables(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default"))


def romanize_name(name: str) -> str:
    """Pinyin of a Chinese personal name, surname first: 马兴瑞 → Ma Xingrui.

    A name with no Han characters is returned as it is.
    """
    name = name.strip()
    if not has_han(name):
        return name
    compact = re.sub(r"\s+", "", name)
    surname_length = 2 if compact[:2] in COMPOUND_SURNAMES and len(compact) > 2 else 1
    surname, given = compact[:surname_length], compact[surname_length:]
    romanized_surname = SURNAME_READINGS.get(surname) or _syllables(surname)
    parts = [romanized_surname.capitalize()]
    if given:
        parts.append(_syllables(given).capitalize())
    return " ".join(parts)


def fold_latin(word: str) -> str:
    """A word as names are matched: lower case, letters a-z only ('Lü' -> 'lu', 'Xi'an' ->
    'xian', 'Zhōu' -> 'zhou')."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if "a" <= c <= "z")


@lru_cache(maxsize=65536)
def han_syllables(run: str) -> tuple[str, ...]:
    """A run of Han characters in toneless pinyin, one syllable a character, folded as
    ``fold_latin`` folds the English text's names: 吕 is 'lu' (written Lü or Lu), not
    pypinyin's 'lv'. A character pypinyin cannot read is left as it is."""
    return tuple(fold_latin(s) or s for s in lazy_pinyin(run, v_to_u=True))
