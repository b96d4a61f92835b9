"""One vocabulary on the three pages of one household (issue 15): the staff household page, its 民生账本 and
its public 一码清 page name the 户状态, the programs and the 发放状态 in the same words — the words of
``policy.vocabulary`` (programs, 发放状态) and ``registry.models.HouseholdStatus`` (户状态) — and none of the
words they replaced (已发放 for 已到账, 银行退回, 银行状态, 已脱贫户 for 已脱贫（享受政策）)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches

from jingzhun.core.actions import Actor
from jingzhun.ledger.models import BankStatus, LineKind, PaymentLine, PaymentStatusEvent
from jingzhun.policy.vocabulary import (
    BANK_STATUS_NAMES,
    PROGRAM_NAMES,
    PUBLIC_GROUP,
    PUBLIC_PROGRAM_NAMES,
)
from jingzhun.public.actions import issue_token
from jingzhun.registry.models import HouseholdStatus

pytestmark = pytest.mark.django_db
RETIRED = ("已发放", "银行退回", "银行状态", "已脱贫户", "建档立卡贫困户")
# Public names that differ from the staff name on purpose: merged groups that hide a disability, care level
# or illness (vocabulary.PUBLIC_GROUP) and the insurance payout that hides its cover.
PUBLIC_APART = {*PUBLIC_GROUP, *PUBLIC_GROUP.values(), "insurance_claim"}


def pay(household: Any, program: str, month: int, fen: int, *statuses: str) -> None:
    line = PaymentLine.objects.create(
        household=household,
        program=program,
        month=dt.date(2020, month, 1),
        amount_fen=fen,
        kind=LineKind.PAYMENT,
        actor_label="t",
    )
    for status in statuses:
        PaymentStatusEvent.objects.create(line=line, status=status, actor_label="bank")


@pytest.fixture
def pages(world: dict[str, Any], login: Any, settings: Any, tmp_path: Any) -> dict[str, str]:
    """刘保平's household, exited (已脱贫（享受政策）), paid 低保补差 in May (已到账), 价格临时补贴 in June (待发)."""
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    for alias in ("default", "public"):
        caches[alias].clear()
    household = world["own"]
    household.status, household.status_date = HouseholdStatus.EXITED_SUPPORTED, dt.date(2019, 11, 30)
    household.save(update_fields=["status", "status_date"])
    pay(household, "dibao", 5, 45_000, BankStatus.SENT, BankStatus.PAID)
    pay(household, "price_subsidy", 6, 3_000)
    client = login("alice")
    staff = client.get(f"/households/{household.pk}/")
    ledger = client.get(f"/ledger/household/{household.household_no}/")
    client.logout()
    public = client.get(f"/q/{issue_token(Actor.system('test'), household).token}/")
    assert staff.status_code == ledger.status_code == public.status_code == 200
    return {"staff": staff.content.decode(), "ledger": ledger.content.decode(), "public": public.content.decode()}


def test_the_household_status_reads_the_same_on_the_three_pages(pages: dict[str, str]) -> None:
    label = HouseholdStatus.EXITED_SUPPORTED.label
    assert label == "已脱贫（享受政策）"
    assert label in pages["staff"] and label in pages["public"]


def test_the_payment_status_reads_the_same_on_the_three_pages(pages: dict[str, str]) -> None:
    arrived, waiting = BANK_STATUS_NAMES["paid"], BANK_STATUS_NAMES["pending"]
    assert (arrived, waiting) == ("已到账", "待发")
    for name, html in pages.items():
        assert arrived in html and waiting in html, name
    assert "发放状态" in pages["staff"] and "发放状态" in pages["ledger"]


def test_program_names_read_the_same_where_the_public_page_names_the_program(pages: dict[str, str]) -> None:
    for name in ("staff", "ledger"):
        assert PROGRAM_NAMES["dibao"] in pages[name] and PROGRAM_NAMES["price_subsidy"] in pages[name]
    assert PROGRAM_NAMES["price_subsidy"] in pages["public"]  # a program the public page names as such
    assert PUBLIC_PROGRAM_NAMES[PUBLIC_GROUP["dibao_classified"]] in pages["public"]  # 低保, the merged group


def test_no_page_uses_a_retired_word(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert [word for word in RETIRED if word in html] == [], name


def test_every_public_program_name_is_the_staff_name_unless_it_hides_something() -> None:
    differing = {p for p, name in PUBLIC_PROGRAM_NAMES.items() if name != PROGRAM_NAMES[p]}
    assert differing <= PUBLIC_APART
    assert set(BANK_STATUS_NAMES) == set(BankStatus.values)
    assert {value: label for value, label in BankStatus.choices} == BANK_STATUS_NAMES
