"""The 帮扶记录 public-text filter: every case it refuses and every case it lets through (issue #11).

A refused text names what it found. These tests call the pure filter; test_help_records.py shows that the
action refuses such a text with the message on [public_text] and writes nothing.
"""

from __future__ import annotations

import pytest

from jingzhun.helping.private_text import callable_number, private_in_public_text, private_word

NUMBERS = [
    # what the filter refused before
    "协助办理身份证141102197903210036",
    "农行卡 6228 4823 7373 6119 453",
    "联系电话１３９１２３４５６７８",  # full-width digits
    "0358-1234567 联系",
    "座机 0358 1234567",
    "座机0358-1234567",
    "电话0358-1234567联系",
    "手机 139-1234-5678",
    "卡号6228-4823-7373-6119-453",
    "(0358)1234567",
    "户主身份证14110219790321003X",
    "手机 139 1234 5678",
    # split with underscores, several spaces, dots, slashes, dashes, invisible characters
    "手机139_1234_5678",
    "手机 139 _ 1234 _ 5678",
    "卡号 6228   4823   7373   6119",
    "手机139.1234.5678",
    "手机139/1234/5678",
    "手机139—1234—5678",
    "手机139\u200b1234\u200b5678",  # zero-width spaces
    "手机1\u200d3\u200d9\u00ad12345678",  # zero-width joiners, soft hyphen
    # written in Chinese numerals, or mixed
    "电话幺三九一二三四五六七八",
    "电话一三九 一二三四 五六七八",
    "电话一三九零一二三四五六七",
    "电话 壹叁玖壹贰叁肆伍陆柒捌",
    "电话 壹參玖壹貳參肆伍陸柒捌",  # traditional financial numerals
    "电话139一二三四5678",
    "座机〇三五八一二三四五六七",
    "卡号六二二八 四八二三 七三七三 六一一九",
]

WORDS = [
    ("户主患有高血压，送药上门", "患有"),
    ("协助办理残疾人补贴", "残疾"),
    ("落实大病救助", "大病"),
    ("户主肾衰竭，定期透析", "肾衰竭"),
    ("户主肾衰竭", "肾衰竭"),
    ("户主腎衰竭", "肾衰竭"),  # traditional
    ("協助辦理殘疾人補貼", "残疾"),
    ("兒子患白血病", "白血病"),
    ("妻子尿毒症", "尿毒"),
    ("家中有癌症病人", "癌"),
    ("女儿精神病复发", "精神病"),
    ("父亲瘫痪在床", "瘫"),
    ("父親癱瘓在床", "瘫"),
    ("儿子智障", "智障"),
    ("残 疾 人", "残疾"),  # spaced
    ("残_疾", "残疾"),
    ("残·疾", "残疾"),
    ("残\u200b疾", "残疾"),  # zero-width space
    ("尿 毒 症", "尿毒"),
    ("肾-衰-竭", "肾衰竭"),
    ("ＨＩＶ感染者", "HIV"),  # full-width
    ("hiv 阳性", "hiv"),
    ("老人失能，申请护理", "失能"),
    ("儿子脑瘫", "脑瘫"),
    ("孩子自闭症", "自闭症"),
    ("母亲抑鬱", "抑郁"),
    ("老人癡呆", "痴呆"),
    ("右腿骨折", "骨折"),
    ("听力二级", "听力"),
    ("户主住院期间走访", "住院"),
]

ALLOWED = [
    "发放香菇菌棒 2000 棒",
    "2020-05-04 病虫害防治培训",
    "扶贫小额信贷 5 万元",
    "精神扶贫：文明家庭评选",
    "传达会议精神",
    "2020 2021 年度产业奖补",
    "2019 2020 2021 年度奖补",
    "2019-2020 年度",
    "二〇一九年 二〇二〇年 产业奖补",
    "发放 3,000 元，惠及 12 户",
    "光伏收益 1000000 元分配到村",
    "补贴 1,000 元、2,000 元、3,000 元",
    "一户一码，两不愁三保障",
    "一对一帮扶，三户联保",
    "春节走访慰问",
    "发放核桃苗 200 株",
    "archive 资料归档",
    "护林员岗位，月工资 800 元",
    "",
]


@pytest.mark.parametrize("text", NUMBERS)
def test_a_callable_number_is_refused(text: str) -> None:
    assert callable_number(text)
    assert "长串数字" in private_in_public_text(text)


@pytest.mark.parametrize(("text", "word"), WORDS)
def test_a_health_or_disability_word_is_refused(text: str, word: str) -> None:
    assert private_word(text).lower() == word.lower()  # case is ignored: hiv
    said = private_in_public_text(text)
    assert "健康信息" in said and f"「{private_word(text)}」" in said


@pytest.mark.parametrize("text", ALLOWED)
def test_an_ordinary_public_text_passes(text: str) -> None:
    assert private_in_public_text(text) == ""
