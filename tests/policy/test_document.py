"""Household-document validation (POLICY.md §1): every error at once, named in Chinese with the key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from jingzhun.policy.document import DocumentError, parse_document

MEMBER: dict[str, Any] = {
    "id": "P1",
    "birth_date": "1950-01-01",
    "disability_grade": None,
    "disability_card_gen2": False,
    "needs_long_term_care": False,
    "disabled_elder_certified": False,
    "self_care": "full",
    "labour": "none",
    "student": "none",
    "serious_illness": False,
    "late_stage_major_disease": False,
    "income_source": False,
    "capable_supporter": False,
    "care_setting": "home",
}
HOUSEHOLD: dict[str, Any] = {
    "id": "H1",
    "region": "141102",
    "area": "rural",
    "registered_poor": True,
    "annual_income": "0",
    "disqualified": [],
    "members": [MEMBER],
}


def doc(**top: Any) -> dict[str, Any]:
    return {"households": [copy.deepcopy(HOUSEHOLD)], **top}


def errors_of(raw: Any) -> str:
    with pytest.raises(DocumentError) as info:
        parse_document(raw)
    return "\n".join(info.value.errors)


def test_a_valid_document_parses() -> None:
    parsed = parse_document(doc())
    assert parsed.households[0].members[0].labour == "none"


def test_missing_member_field_is_named() -> None:
    raw = doc()
    del raw["households"][0]["members"][0]["care_setting"]
    assert "户 H1，成员 P1，供养方式 [care_setting]：缺少字段" in errors_of(raw)


def test_member_ids_are_unique_across_the_document() -> None:
    raw = doc()
    second = copy.deepcopy(HOUSEHOLD) | {"id": "H2"}
    raw["households"].append(second)
    assert "户 H2，成员 P1，成员编号 [id]：成员编号重复（已在户 H1 中）" in errors_of(raw)


def test_money_must_be_a_string_or_integer_with_at_most_two_decimals() -> None:
    raw = doc()
    raw["households"][0]["annual_income"] = "12.345"
    assert "金额最多两位小数" in errors_of(raw)


def test_birth_after_the_month_is_rejected() -> None:
    import datetime as dt

    raw = doc()
    raw["households"][0]["members"][0]["birth_date"] = "2020-07-01"
    with pytest.raises(DocumentError, match="出生日期晚于计算月份"):
        parse_document(raw, dt.date(2020, 6, 30))


def test_top_level_inputs_are_checked() -> None:
    text = errors_of(
        doc(
            cpi={"2020-6": {"all": "1"}},
            history={"P1": ["no_such_program"]},
            events=[{"household": "H9", "kind": "flood", "amount_due": "-1", "date": "2020-06-31"}],
            support_payments=[{"household": "H1", "parent": "P9", "amount_paid": "100", "date": "2020-10-25"}],
            weather="fine",
        )
    )
    assert "居民消费价格指数 2020-6 [cpi]：月份应为 YYYY-MM" in text
    assert "成员 P1，已享受记录 [history]" in text
    assert "户 H9，户编号 [household]：临时救助事件指向的户不在文档中" in text
    assert "户 H9，救助类型 [kind]：取值须为 emergency | expense" in text
    assert "户 H9，应救助金额 [amount_due]：金额不得为负数" in text
    assert "户 H9，日期 [date]：不是有效日期" in text
    assert "户 H1，父母成员编号 [parent]" in text
    assert "未知字段 [weather]" in text


def test_not_a_mapping() -> None:
    assert "文档应为映射" in errors_of([1, 2])
