"""The 民生账本 statement is printed for families: its 依据与说明 is in Chinese words, not the engine's trace."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from jingzhun.ledger.runs import run_month
from jingzhun.ledger.statements import build_statement

pytestmark = pytest.mark.django_db
# What the engine's trace looks like: a key = value, a Python literal, a dotted parameter name.
TRACE = re.compile(r"[a-z_]+ = |\[\]|\['|True|False|None|dibao\.|[a-z]+_[a-z]+")


@pytest.fixture
def paid(county: dict[str, Any], system: Any) -> Any:
    run_month("2020-05", actor=system)
    return county["households"][0]


def test_every_reason_is_in_chinese_words(paid: Any) -> None:
    entries = {e.program: e for e in build_statement(paid).entries}
    assert set(entries) >= {"dibao", "dibao_classified", "elderly_allowance"}
    for entry in entries.values():
        assert not TRACE.search(entry.reason), entry.reason
    dibao = entries["dibao"].reason
    assert "城乡类别：农村" in dibao and "不予保障情形：无" in dibao and "本月享受低保：是" in dibao
    assert "依据：农村低保标准（每人每年）：4853 元/年（吕梁市（市级），2020-01-01 起" in dibao
    assert "符合的分类施保类别：老年" in entries["dibao_classified"].reason


def test_a_temporary_assistance_line_names_its_kind_and_cap_in_chinese(county: dict[str, Any], system: Any) -> None:
    from tests.ledger.test_run_month_events import approved_emergency

    household = county["households"][0]
    approved_emergency(household, 500_000, dt.date(2020, 5, 10))
    run_month("2020-05", actor=system)
    (entry,) = [e for e in build_statement(household).entries if e.program == "temporary_assistance"]
    assert "临时救助事件：2020-05-10 急难型 5000" in entry.reason
    assert "2020-05-10 急难型：5000（上限 5000）" in entry.reason
    assert "急难型先行救助每次上限：5000 元" in entry.reason
    assert "emergency" not in entry.reason and "cap" not in entry.reason


def test_the_page_shows_the_words_and_turns_rows_into_cards_on_a_phone(paid: Any, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["alice"])
    page = client.get(f"/ledger/household/{paid.household_no}/").content.decode()
    assert "本月享受低保：是" in page and "receives_dibao" not in page
    assert 'class="data responsive"' in page and 'data-label="依据与说明"' in page
