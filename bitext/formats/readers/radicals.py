"""CJK radical code points back to the ideographs a PDF meant.

Fonts such as Noto CJK draw an ideograph and its radical with one glyph, and a PDF's
ToUnicode map (Chromium's among them) then names the radical: 人 comes out as U+2F08 KANGXI
RADICAL MAN, 民 as U+2EA0. Kangxi radicals fold by NFKC; the supplement's radicals that
have a standalone equivalent (Unicode's EquivalentUnifiedIdeograph data) fold by the table.
"""

import re
import unicodedata

_SUPPLEMENT = str.maketrans({
    "\u2e81": "厂", "\u2e87": "几", "\u2e93": "幺", "\u2e9d": "月", "\u2e9f": "母",
    "\u2ea0": "民", "\u2ea1": "氵", "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea8": "犭",
    "\u2ea9": "王", "\u2eaa": "疋", "\u2eac": "示", "\u2ead": "礻", "\u2eaf": "糸",
    "\u2eb0": "纟", "\u2ebb": "聿", "\u2ebc": "月", "\u2ebe": "艹", "\u2ec1": "虎",
    "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝",
    "\u2ecb": "车", "\u2ecd": "辶", "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed1": "長",
    "\u2ed3": "长", "\u2ed4": "门", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青",
    "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食",
    "\u2edf": "飠", "\u2ee0": "饣", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼",
    "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄",
    "\u2eec": "齐", "\u2eee": "齿", "\u2ef0": "龙", "\u2ef3": "龟",
})
_KANGXI = re.compile("[\u2f00-\u2fd5]")


def fold_radicals(text: str) -> str:
    return _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group()),
                       text.translate(_SUPPLEMENT))
