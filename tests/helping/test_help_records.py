"""帮扶记录 actions: who may write, the audit row, voiding, dates, and the public query (never ``content``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.helping.actions import add_help_record, add_help_records, may_write, void_help_record
from jingzhun.helping.models import HelpKind, HelpRecord
from jingzhun.helping.queries import PublicMeasure, help_records_for, public_help_measures

pytestmark = pytest.mark.django_db

DAY = dt.date(2020, 5, 4)


@pytest.fixture
def helped(household: Callable[..., Any], personas: dict[str, Any]) -> Any:
    """A 2016 建档立卡 household of 信义村 assigned to carl (the 帮扶 cadre)."""
    return household("v11", registered_year=2016, status="not_exited", assigned_cadre=personas["carl"])


def _add(actor: Actor, household: Any, **overrides: Any) -> HelpRecord:
    fields: dict[str, Any] = {
        "date": DAY,
        "kind": HelpKind.INDUSTRY,
        "content": "入户查看香菇大棚，协调发放菌棒 2000 棒，户主反映销路有困难",
        "value_fen": 300_000,
        "public_text": "发放香菇菌棒 2000 棒",
    }
    return add_help_record(actor, household, **{**fields, **overrides})


@pytest.mark.parametrize("who", ["carl", "victor", "tom", "alice", "root"])
def test_writers_add_a_record_with_one_audit_row(
    who: str, helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    before = AuditEvent.objects.count()
    record = _add(actor(personas[who]), helped)
    assert record.pk and record.household_id == helped.pk
    assert record.cadre == personas[who] and record.cadre_label == who
    assert record.value_fen == 300_000 and record.public and not record.voided
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id) == (
        "assistance.add_help_record",
        "HelpRecord",
        str(record.pk),
    )
    assert event.region_code == "141102001001" and event.actor == personas[who]
    assert event.after["kind"] == "industry" and event.after["value_fen"] == 300_000


def test_auditor_is_refused_and_nothing_written(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="只读"):
        _add(actor(personas["audrey"]), helped)
    assert not HelpRecord.objects.exists() and AuditEvent.objects.count() == before
    assert not may_write(actor(personas["audrey"]), helped)


def test_cadre_only_for_households_assigned_to_them(
    household: Callable[..., Any], personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    someone_elses = household("v11", registered_year=2016, status="not_exited")  # same village, not carl's
    carl = actor(personas["carl"])
    with pytest.raises(PermissionDenied, match="不是分配给您的帮扶户"):
        _add(carl, someone_elses)
    assert not may_write(carl, someone_elses)
    assert may_write(actor(personas["victor"]), someone_elses)  # the village cadre may
    assert not HelpRecord.objects.exists()


def test_reassigned_cadre_is_refused_even_with_a_stale_household(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    """The check reads the household inside the transaction: carl's form was loaded before the household
    went to another cadre, and his write (or void) must still be refused."""
    carl = actor(personas["carl"])
    record = _add(carl, helped)
    type(helped).objects.filter(pk=helped.pk).update(assigned_cadre=None)  # reassigned meanwhile
    assert helped.assigned_cadre_id == personas["carl"].pk  # carl's copy is stale
    with pytest.raises(PermissionDenied, match="不是分配给您的帮扶户"):
        _add(carl, helped)
    with pytest.raises(PermissionDenied, match="不是分配给您的帮扶户"):
        void_help_record(carl, record, "录错了")
    assert HelpRecord.objects.count() == 1 and HelpRecord.objects.get().voided_at is None


def test_other_region_is_refused(
    household: Callable[..., Any], personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    jiaokou = household("v91", registered_year=2016, status="not_exited")
    wucheng = household("v21", registered_year=2016, status="not_exited")
    with pytest.raises(PermissionDenied, match="无权操作"):
        _add(actor(personas["alice"]), jiaokou)  # 离石区 county officer, 交口县 household
    with pytest.raises(PermissionDenied, match="无权操作"):
        _add(actor(personas["tom"]), wucheng)  # 信义镇 officer, 吴城镇 household
    with pytest.raises(PermissionDenied, match="无权操作"):
        _add(actor(personas["victor"]), wucheng)
    assert _add(actor(personas["zoe"]), jiaokou).pk  # 交口县's own county officer may
    assert HelpRecord.objects.count() == 1


def test_future_date_and_date_before_registration_are_refused(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    victor = actor(personas["victor"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        _add(victor, helped, date=tomorrow)
    assert "不能晚于今天" in future.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as early:
        _add(victor, helped, date=dt.date(2015, 12, 31))  # registered 2016
    assert "2016" in early.value.message_dict["date"][0]
    assert _add(victor, helped, date=dt.date(2016, 1, 1)).date == dt.date(2016, 1, 1)
    assert _add(victor, helped, date=timezone.localdate()).pk
    assert HelpRecord.objects.count() == 2


def test_bad_fields_are_all_reported_and_nothing_written(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _add(actor(personas["victor"]), helped, kind="gift", content="  ", value_fen=-1, public_text="字" * 61)
    assert set(exc.value.message_dict) == {"kind", "content", "value_fen", "public_text"}
    assert "不能为负数" in exc.value.message_dict["value_fen"][0]
    assert not HelpRecord.objects.exists() and AuditEvent.objects.count() == before


def test_closed_household_takes_no_new_record(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    type(helped).objects.filter(pk=helped.pk).update(active=False)
    with pytest.raises(ValidationError, match="已销户"):
        _add(actor(personas["victor"]), helped)
    assert not HelpRecord.objects.exists()


def test_void_keeps_the_record_flags_it_and_audits(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    record = _add(actor(personas["carl"]), helped)
    before = AuditEvent.objects.count()
    voided = void_help_record(actor(personas["carl"]), record, "  日期录错，应为 5 月 14 日 ")
    assert voided.voided and voided.void_reason == "日期录错，应为 5 月 14 日" and voided.voided_by_label == "carl"
    assert HelpRecord.objects.get(pk=record.pk).voided_at is not None
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.reason) == ("assistance.void_help_record", "日期录错，应为 5 月 14 日")
    assert event.before["content"] == record.content
    with pytest.raises(ValidationError, match="已于"):
        void_help_record(actor(personas["victor"]), record, "再次作废")
    assert AuditEvent.objects.count() == before + 1


def test_void_needs_a_reason_and_a_writer(helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]) -> None:
    record = _add(actor(personas["victor"]), helped)
    with pytest.raises(ValidationError) as exc:
        void_help_record(actor(personas["victor"]), record, "   ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        void_help_record(actor(personas["audrey"]), record, "审计不能作废")
    with pytest.raises(PermissionDenied):
        void_help_record(actor(personas["zoe"]), record, "别的县")
    assert HelpRecord.objects.get(pk=record.pk).voided_at is None


def test_records_are_never_deleted(helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]) -> None:
    record = _add(actor(personas["victor"]), helped)
    with pytest.raises(PermissionDenied, match="不能删除"):
        record.delete()
    with pytest.raises(PermissionDenied, match="不能删除"):
        HelpRecord.objects.filter(pk=record.pk).delete()
    assert HelpRecord.objects.filter(pk=record.pk).exists()


def test_staff_list_is_newest_first_with_voided_flagged(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    victor = actor(personas["victor"])
    old = _add(victor, helped, date=dt.date(2019, 3, 1))
    new = _add(victor, helped, date=dt.date(2020, 8, 1))
    void_help_record(victor, old, "重复录入")
    rows = list(help_records_for(helped))
    assert [r.pk for r in rows] == [new.pk, old.pk]
    assert [r.voided for r in rows] == [False, True]


def test_public_measures_only_public_non_voided_of_the_year_and_never_content(
    helped: Any, household: Callable[..., Any], personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    victor = actor(personas["victor"])
    secret = "户主患有慢性病，家中存款约 3000 元"
    shown = _add(victor, helped, date=dt.date(2020, 3, 2), content=secret, public_text="发放核桃苗 200 株")
    label_only = _add(
        victor, helped, date=dt.date(2020, 9, 9), kind=HelpKind.EMPLOYMENT, content=secret, public_text=""
    )
    _add(victor, helped, date=dt.date(2020, 4, 1), content=secret, public=False, public_text="不应公开")
    void_help_record(victor, _add(victor, helped, date=dt.date(2020, 5, 1), public_text="已作废的"), "录错户")
    _add(victor, helped, date=dt.date(2019, 12, 31), public_text="上一年的")
    _add(victor, household("v11", registered_year=2016), date=dt.date(2020, 6, 1), public_text="别的户")

    with CaptureQueriesContext(connection) as ctx:
        measures = public_help_measures(helped.pk, 2020)
    assert len(ctx.captured_queries) == 1
    assert measures == [
        PublicMeasure("就业帮扶", "就业帮扶", label_only.date),
        PublicMeasure("产业帮扶", "发放核桃苗 200 株", shown.date),
    ]
    assert all(secret not in str(m) for m in measures)
    assert "content" not in ctx.captured_queries[0]["sql"]
    assert [m.text for m in public_help_measures(helped.pk, 2019)] == ["上一年的"]
    assert public_help_measures(helped.pk, 2018) == []


def test_bulk_add_checks_every_row_and_audits_each(
    helped: Any, household: Callable[..., Any], personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    victor = actor(personas["victor"])
    other = household("v11", registered_year=2018)
    row = {"date": DAY, "kind": HelpKind.VISIT, "content": "春节走访慰问", "public_text": "春节走访慰问"}
    before = AuditEvent.objects.count()
    assert add_help_records(victor, [(helped, row), (other, {**row, "value_fen": 50_000})]) == 2
    assert HelpRecord.objects.count() == 2
    assert AuditEvent.objects.count() == before + 2
    assert AuditEvent.objects.filter(action="assistance.add_help_record").count() == 2
    with pytest.raises(ValidationError):
        add_help_records(victor, [(helped, row), (other, {**row, "date": dt.date(2017, 1, 1)})])  # before 2018
    with pytest.raises(PermissionDenied):
        add_help_records(actor(personas["carl"]), [(helped, row), (other, row)])  # other is not carl's
    assert HelpRecord.objects.count() == 2


def test_demo_records_are_deterministic_dated_and_audited(household: Callable[..., Any]) -> None:
    from jingzhun.helping.demo import add_demo_help_records, plan

    homes = [household("v11", registered_year=year, status="not_exited") for year in (2014, 2016, 2020, 2020)]
    household("v12")  # not registered: no 帮扶记录
    first, again, other = plan(homes, 7), plan(homes, 7), plan(homes, 8)
    assert [(h.pk, f) for h, f in first] == [(h.pk, f) for h, f in again]
    assert [f for _, f in first] != [f for _, f in other]
    for home, fields in first:
        assert dt.date(max(2019, home.registered_year), 1, 1) <= fields["date"] <= dt.date(2020, 6, 30)
        assert fields["kind"] in HelpKind.values and fields["content"] and fields["public_text"]
        assert fields["value_fen"] is None or fields["value_fen"] > 0
    assert {h.pk for h, _ in first} == {h.pk for h in homes}

    before = AuditEvent.objects.count()
    written = add_demo_help_records(Actor.system("demo"), "141102", 7)
    assert written == len(first) == HelpRecord.objects.count()
    assert AuditEvent.objects.count() - before == written
    assert not HelpRecord.objects.filter(household__registered_year__isnull=True).exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("协助办理身份证141102197903210036", "长串数字"),
        ("农行卡 6228 4823 7373 6119 453", "长串数字"),
        ("联系电话１３９１２３４５６７８", "长串数字"),  # full-width digits
        ("0358-1234567 联系", "长串数字"),
        ("座机 0358 1234567", "长串数字"),
        ("座机0358-1234567", "长串数字"),
        ("电话0358-1234567联系", "长串数字"),
        ("手机 139-1234-5678", "长串数字"),
        ("卡号6228-4823-7373-6119-453", "长串数字"),
        ("(0358)1234567", "长串数字"),
        ("户主身份证14110219790321003X", "长串数字"),
        ("手机 139 1234 5678", "长串数字"),
        ("户主患有高血压，送药上门", "健康信息"),
        ("协助办理残疾人补贴", "健康信息"),
        ("落实大病救助", "健康信息"),
    ],
)
def test_public_text_with_an_id_a_card_or_a_health_detail_is_refused(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor], text: str, said: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _add(actor(personas["victor"]), helped, kind=HelpKind.OTHER, public_text=text)
    assert (
        said in exc.value.message_dict["public_text"][0] and "[public_text]" in exc.value.message_dict["public_text"][0]
    )
    assert not HelpRecord.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "发放香菇菌棒 2000 棒",
        "2020-05-04 病虫害防治培训",
        "扶贫小额信贷 5 万元",
        "精神扶贫：文明家庭评选",
        "2020 2021 年度产业奖补",
        "2019 2020 2021 年度奖补",
        "2019-2020 年度",
        "发放 3,000 元，惠及 12 户",
        "光伏收益 1000000 元分配到村",
    ],
)
def test_ordinary_public_texts_pass(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor], text: str
) -> None:
    assert _add(actor(personas["victor"]), helped, public_text=text).public_text == text


def test_the_check_is_for_public_texts_only_and_an_old_record_shows_only_its_label(
    helped: Any, personas: dict[str, Any], actor: Callable[[Any], Actor]
) -> None:
    victor = actor(personas["victor"])
    assert _add(victor, helped, public=False, public_text="患有高血压").pk  # never shown: allowed
    assert _add(victor, helped, kind=HelpKind.HEALTH, public_text="慢性病门诊报销").pk  # health: label only
    old = _add(victor, helped, public_text="发放核桃苗")
    HelpRecord.objects.filter(pk=old.pk).update(public_text="户主身份证141102197903210036")  # before the check
    shown = [m.text for m in public_help_measures(helped.pk, DAY.year)]
    assert "户主身份证141102197903210036" not in shown and "产业帮扶" in shown
    assert "慢性病门诊报销" not in shown
