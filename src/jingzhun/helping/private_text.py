"""What a 帮扶记录's public text may never say: the 一码清 page behind every door shows it to passers-by.

Two things are refused (``private_in_public_text`` says which, in Chinese):

1. **Health and disability** — any word of :data:`PRIVATE_WORDS` (illnesses, disabilities, treatments,
   hospital stays). Words, not 病 alone: 病虫害防治 is an industry measure; not 精神 alone: 精神扶贫 and
   会议精神 are everyday 帮扶 words, so the list names 精神病, 精神障碍, 精神残疾….
2. **A number someone can call or charge** — a run of 11 or more digits (mobile 11, bank card 16–19,
   ID 18), or 10 starting with 0 (a landline with its area code). Years pass (a run whose groups are all
   years: 2019 2020 2021), and so does anything shorter (光伏收益 1000000 元).

Before matching, the text is normalised so the usual ways around a word list do not work:

* full-width letters, digits and punctuation become ASCII (NFKC: １３９ → 139, ＨＩＶ → HIV);
* invisible characters (zero-width space, joiner, soft hyphen, BOM) are dropped;
* traditional characters become simplified (:data:`TRADITIONAL`: 腎衰竭 → 肾衰竭, 殘疾 → 残疾) — a table of
  the characters these words use rather than a full converter (opencc): it only has to cover this list;
* for words, everything that is not a letter or digit is dropped (spaces, punctuation, ``_``, symbols:
  残 疾、残_疾、残·疾 → 残疾); case is ignored (hiv);
* for numbers, Chinese numerals become digits (〇零一二三…九, 壹贰叁…玖, 幺 and 两: 幺三九… → 139…),
  and digits separated by up to three spaces, ``_``, hyphens or dashes, dots, slashes, brackets or similar
  symbols count as one run (139_1234_5678, 6228 4823 7373 6119 453, (0358)1234567). Commas and 、 do not
  join digits, so a list of amounts ("3,000 元、2,000 元") passes.

Pure: no Django. The cases refused and allowed are listed in tests/helping/test_private_text.py.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first in the pattern, so the message names 肾衰竭 rather than 衰竭.
PRIVATE_WORDS: tuple[str, ...] = (
    # disability
    "残疾", "残障", "残废", "伤残", "智障", "智力障碍", "精神病", "精神障碍", "精神疾病", "精神残疾", "精神分裂",
    "精神失常", "精神异常", "视力", "听力", "言语障碍", "语言障碍", "肢体", "截肢", "失明", "盲人", "失聪", "聋",
    "哑", "瞎", "瘫", "失能", "自闭症", "孤独症", "唐氏", "脑瘫",
    # illness and treatment
    "癌", "肿瘤", "白血病", "血友病", "肾衰竭", "衰竭", "心衰", "肾病", "尿毒", "透析", "化疗", "放疗", "手术",
    "住院", "病情", "病人", "病号", "患病", "患有", "患者", "重病", "大病", "慢性病", "慢病", "疾病", "高血压",
    "糖尿病", "心脏病", "冠心病", "先心病", "脑梗", "脑出血", "中风", "癫痫", "帕金森", "结核", "肝炎", "乙肝",
    "肝硬化", "艾滋", "爱滋", "HIV", "抑郁", "痴呆", "白内障", "红斑狼疮", "类风湿", "骨折",
)  # fmt: skip

# Traditional → simplified for the characters of PRIVATE_WORDS and of the Chinese numerals.
TRADITIONAL: dict[str, str] = {
    "殘": "残", "廢": "废", "傷": "伤", "礙": "碍", "異": "异", "視": "视", "聽": "听", "語": "语", "體": "体",
    "聰": "聪", "聾": "聋", "啞": "哑", "癱": "瘫", "閉": "闭", "獨": "独", "腦": "脑", "腫": "肿", "腎": "肾",
    "療": "疗", "術": "术", "號": "号", "壓": "压", "臟": "脏", "癲": "癫", "癇": "痫", "結": "结", "愛": "爱",
    "鬱": "郁", "癡": "痴", "內": "内", "紅": "红", "瘡": "疮", "類": "类", "風": "风", "濕": "湿", "癥": "症",
    "貳": "贰", "參": "叁", "陸": "陆", "兩": "两",
}  # fmt: skip

NUMERALS: dict[str, str] = {
    **{c: str(i) for i, c in enumerate("〇一二三四五六七八九")},
    **{c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")},
    "幺": "1", "两": "2", "貮": "2",
}  # fmt: skip

_INVISIBLE = {"Cf", "Cc"}  # zero-width space/joiner, soft hyphen, BOM; control characters


def _pattern(word: str) -> str:
    """A Latin word (HIV) must stand alone: "archive" is not about health."""
    return rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word)


_WORD = re.compile("|".join(_pattern(w) for w in sorted(PRIVATE_WORDS, key=len, reverse=True)), re.IGNORECASE)
_SEPARATOR = r"[\s_\-‐‑‒–—―.·•・/\\()\[\]{}<>*~#|]"
_DIGIT_RUN = re.compile(rf"\(?\d(?:{_SEPARATOR}{{0,3}}\d)*")
_YEAR = re.compile(r"(?:19|20)\d\d")


def normalised(text: str) -> str:
    """``text`` in NFKC, without invisible characters, in simplified characters."""
    plain = unicodedata.normalize("NFKC", text)
    return "".join(TRADITIONAL.get(c, c) for c in plain if unicodedata.category(c) not in _INVISIBLE)


def _letters_only(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def private_word(text: str) -> str:
    """The first word of PRIVATE_WORDS in ``text`` after normalising (see the module doc), or ""."""
    found = _WORD.search(_letters_only(normalised(text)))
    return found.group() if found else ""


def callable_number(text: str) -> str:
    """The first run of digits in ``text`` that is an account, ID or phone number (see the module doc), or ""."""
    digits_text = "".join(NUMERALS.get(c, c) for c in normalised(text))
    for found in _DIGIT_RUN.finditer(digits_text):
        groups = re.findall(r"\d+", found.group())
        digits = "".join(groups)
        if all(_YEAR.fullmatch(g) for g in groups):
            continue
        if len(digits) >= 11 or (len(digits) >= 10 and digits.startswith("0")):
            return found.group().strip()
    return ""


def private_in_public_text(text: str) -> str:
    """What in ``text`` must not go on a public page, in words (「」 quoting it), or "" when nothing."""
    if number := callable_number(text):
        return f"身份证号、银行卡号、电话号码等长串数字（「{number}」）"
    if word := private_word(text):
        return f"病情、残疾等健康信息（「{word}」）"
    return ""
