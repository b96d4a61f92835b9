"""Issue #15: the 帮扶记录 list across the viewer's region — who sees which records (role × region), the
filters, the household search box, paging with a fixed number of queries, and 导出Excel = the filtered list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.helping.actions import add_help_record, void_help_record
from jingzhun.helping.models import HelpRecord
from jingzhun.registry.models import Person
from tests.staff import PASSWORD, listed
from tests.xlsx import opened

pytestmark = pytest.mark.django_db
URL = "/assistance/help/"


@pytest.fixture
def records(world: dict[str, Any], personas: dict[str, Any]) -> dict[str, HelpRecord]:
    """One record in each kind of place (the 交口 one written by the administrator), contents naming the place."""
    root = Actor.for_user(personas["root"])
    plan = {
        "own": (dt.date(2020, 3, 1), "industry", "信义村刘家：发放核桃苗"),
        "own_other": (dt.date(2020, 4, 2), "visit", "信义村孙家：走访慰问"),
        "sibling_village": (dt.date(2020, 5, 3), "visit", "歧道村张家：走访慰问"),
        "sibling_township": (dt.date(2019, 6, 4), "employment", "吴城村李家：护林员"),
        "other_county": (dt.date(2020, 6, 5), "visit", "水头村赵家：走访慰问"),
    }
    return {
        key: add_help_record(root, world[key], date=date, kind=kind, content=content, value_fen=10_000)
        for key, (date, kind, content) in plan.items()
    }


def _contents(client: Any, query: str = "") -> set[str]:
    html = listed(client.get(URL + query).content.decode())
    return {r.content.split("：")[0] for r in HelpRecord.objects.all() if r.content in html}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("alice", {"信义村刘家", "信义村孙家", "歧道村张家", "吴城村李家"}),  # county 离石区
        ("tom", {"信义村刘家", "信义村孙家", "歧道村张家"}),  # township 信义镇
        ("victor", {"信义村刘家", "信义村孙家"}),  # village 信义村
        ("carl", {"信义村刘家"}),  # 帮扶 cadre: the household assigned to him only
        ("audrey", {"信义村刘家", "信义村孙家", "歧道村张家", "吴城村李家", "水头村赵家"}),  # auditor 吕梁市 reads
        ("zoe", {"水头村赵家"}),  # county 交口县
    ],
)
def test_each_role_lists_the_records_of_its_own_region(
    records: dict[str, HelpRecord], login: Any, persona: str, seen: set[str]
) -> None:
    assert _contents(login(persona)) == seen


def test_a_login_without_a_role_is_refused_and_a_visitor_is_sent_to_log_in(
    records: dict[str, HelpRecord], client: Any
) -> None:
    assert client.get(URL).status_code == 302
    User.objects.create_user("norole", password=PASSWORD)
    assert client.login(username="norole", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?format=xlsx").status_code == 403
    assert client.get(f"{URL}{records['own'].pk}/").status_code == 403


def test_another_county_region_or_record_is_not_found(records: dict[str, HelpRecord], login: Any) -> None:
    zoe = login("zoe")
    assert zoe.get(URL + "?region=141102001001").status_code == 404
    assert zoe.get(URL + "?region=141102001001&format=xlsx").status_code == 404
    assert zoe.get(f"{URL}{records['own'].pk}/").status_code == 404
    assert zoe.get(f"{URL}{records['other_county'].pk}/").status_code == 200
    carl = login("carl")
    assert carl.get(f"{URL}{records['own_other'].pk}/").status_code == 404  # same village, not his household
    assert login("tom").get(URL + "?region=141102002000").status_code == 404  # a sibling township


def test_filters_by_region_kind_date_span_and_cadre(
    records: dict[str, HelpRecord], world: dict[str, Any], login: Any
) -> None:
    alice = login("alice")
    assert _contents(alice, "?region=141102001000") == {"信义村刘家", "信义村孙家", "歧道村张家"}
    assert _contents(alice, "?region=141102001002") == {"歧道村张家"}
    assert _contents(alice, "?kind=visit") == {"信义村孙家", "歧道村张家"}
    assert _contents(alice, "?since=2020-01-01&until=2020-04-30") == {"信义村刘家", "信义村孙家"}
    assert _contents(alice, "?cadre=陈玲") == {"信义村刘家"}  # world's own household: 帮扶责任人 陈玲容
    page = alice.get(URL + "?region=141102001000").content.decode()
    assert 'value="141102001001"' in page  # the township opened into its villages


def test_the_search_box_reads_a_name_and_id_tail_together(
    records: dict[str, HelpRecord], world: dict[str, Any], login: Any
) -> None:
    spouse = Person.objects.get(household=world["own"], name="王秀英")
    alice = login("alice")
    assert _contents(alice, f"?q=王秀英 {spouse.id_tail}") == {"信义村刘家"}
    assert _contents(alice, "?q=王秀英 0000") == set()
    assert _contents(alice, "?q=孙有福") == {"信义村孙家"}
    assert _contents(alice, "?q=1411020010020001") == {"歧道村张家"}


def test_voided_records_are_left_out_unless_asked_for(
    records: dict[str, HelpRecord], personas: dict[str, Any], login: Any
) -> None:
    void_help_record(Actor.for_user(personas["root"]), records["own"], "录错了户")
    victor = login("victor")
    assert _contents(victor) == {"信义村孙家"}
    assert _contents(victor, "?state=voided") == {"信义村刘家"}
    assert _contents(victor, "?state=all") == {"信义村刘家", "信义村孙家"}


def test_a_wrong_date_is_named_and_nothing_is_listed(records: dict[str, HelpRecord], login: Any) -> None:
    page = login("alice").get(URL + "?since=2020-13-01").content.decode()
    assert "“帮扶日期从”应为 YYYY-MM-DD" in page and _contents(login("alice"), "?since=2020-13-01") == set()
    page = login("alice").get(URL + "?since=2020-06-01&until=2020-01-01").content.decode()
    assert "晚于“到”" in page


def test_the_export_holds_exactly_the_filtered_rows_with_the_filter_in_its_title(
    records: dict[str, HelpRecord], login: Any
) -> None:
    alice = login("alice")
    query = "?region=141102001000&kind=visit&since=2020-01-01"
    page = alice.get(URL + query).content.decode()
    assert "format=xlsx" in page
    book = opened(alice.get(URL + query + "&format=xlsx"))
    assert book.title == "帮扶记录（筛选条件：区域：信义镇，帮扶类别：走访慰问，帮扶日期：2020-01-01 起）"
    assert book.column("帮扶内容") == ["歧道村张家：走访慰问", "信义村孙家：走访慰问"]  # newest first, as listed
    assert [c for c in book.column("帮扶内容") if c in listed(page)] == book.column("帮扶内容")
    assert _contents(alice, query) == {c.split("：")[0] for c in book.column("帮扶内容")}
    assert book.column("村") == ["歧道村", "信义村"] and book.column("乡镇") == ["信义镇", "信义镇"]
    assert book.column("户主") == ["张建国", "孙有福"]
    audit = AuditEvent.objects.get(action="core.export_list", object_id="帮扶记录")
    assert audit.after["rows"] == 2
    carl = opened(login("carl").get(URL + "?format=xlsx"))
    assert carl.column("户编号") == ["1411020010010001"] and carl.title == "帮扶记录（筛选条件：全部）"


def test_a_page_reads_a_fixed_number_of_queries_however_many_rows(
    world: dict[str, Any], personas: dict[str, Any], login: Any, django_assert_max_num_queries: Any
) -> None:
    root = Actor.for_user(personas["root"])
    for day in range(1, 41):
        add_help_record(root, world["own_other"], date=dt.date(2020, 1, 1) + dt.timedelta(days=day), kind="visit",
                        content=f"第 {day} 次走访")  # fmt: skip
    alice = login("alice")
    with django_assert_max_num_queries(12):
        response = alice.get(URL)
    assert response.status_code == 200 and "第 40 次走访" in response.content.decode()
    assert "共 <strong>40</strong> 条" in response.content.decode()


def test_the_list_pages_fifty_at_a_time(world: dict[str, Any], personas: dict[str, Any], login: Any) -> None:
    root = Actor.for_user(personas["root"])
    for day in range(60):
        add_help_record(root, world["own"], date=dt.date(2020, 1, 1) + dt.timedelta(days=day), kind="visit",
                        content=f"走访 {day:02d}")  # fmt: skip
    victor = login("victor")
    first, second = (listed(victor.get(URL + q).content.decode()) for q in ("", "?page=2"))
    assert "走访 59" in first and "走访 10" in first and "走访 09" not in first
    assert "走访 09" in second and "走访 00" in second and "走访 59" not in second


def test_a_very_long_list_says_more_than_the_cap_instead_of_counting_to_the_end(
    world: dict[str, Any], personas: dict[str, Any], login: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("jingzhun.helping.list_queries.COUNT_CAP", 5)
    root = Actor.for_user(personas["root"])
    for day in range(7):
        add_help_record(root, world["own"], date=dt.date(2020, 1, 1) + dt.timedelta(days=day), kind="visit",
                        content=f"走访 {day:02d}")  # fmt: skip
    page = login("victor").get(URL).content.decode()
    assert "超过 <strong>5</strong> 条" in page and "共 <strong>" not in page
    assert "走访 06" in listed(page) and "走访 02" in listed(page) and "走访 01" not in listed(page)
    assert "走访 03" in login("victor").get(URL + "?since=2020-01-04&until=2020-01-04").content.decode()
