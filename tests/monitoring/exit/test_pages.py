"""The exit pages as each role uses them: the village list through every step, the 公示, village and county exit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.monitoring.models import ExitList, SampleFinding, SurveyCount
from jingzhun.registry.models import Household

pytestmark = pytest.mark.django_db
SAFE = {
    "water_litres_per_day": Decimal("40"),
    "water_fetch_minutes": 10,
    "water_days_without": 0,
    "water_quality_ok": True,
    "water_dry_area": False,
}
V = "/monitoring/exit/villages/141102001001/2020/"


@pytest.fixture
def passing(world: Any) -> Household:
    Household.objects.filter(pk=world["own_other"].pk).update(**SAFE)
    return Household.objects.get(pk=world["own_other"].pk)


def step(client: Any, exit_list: ExitList, name: str, **data: str) -> Any:
    return client.post(f"/monitoring/exit/lists/{exit_list.pk}/{name}/", data, follow=True)


def test_a_village_list_goes_through_every_step_on_the_pages(login: Any, world: Any, passing: Household) -> None:
    victor = login("victor")
    page = victor.get(V).content.decode()
    assert "未通过：收入（未填写：年收入）" in page  # 刘保平's household: not proposable, criteria shown
    assert f'value="{world["own"].pk}"' not in page and f'value="{passing.pk}"' in page
    response = victor.post(
        V + "propose/", {"household": [passing.pk, world["own"].pk], "date": "2020-06-01"}, follow=True
    )
    # the failing household is not offered, and posted anyway it is refused with its criteria
    assert "未通过2020年度退出核查" in response.content.decode() and not ExitList.objects.exists()
    response = victor.post(V + "propose/", {"household": [passing.pk], "date": "2020-06-01"}, follow=True)
    assert "已将 1 户列入" in response.content.decode()
    exit_list = ExitList.objects.get()
    assert (
        "已登记民主评议"
        in step(victor, exit_list, "review", date="2020-06-03", note="到会 40 人，同意 39 人").content.decode()
    )
    entry = exit_list.entries.get()
    response = victor.post(
        f"/monitoring/exit/entries/{entry.pk}/sign/", {"signed_by": "孙有福", "date": "2020-06-05"}, follow=True
    )
    assert "已记录户签字确认（孙有福）" in response.content.decode()
    assert "已登记入户核实" in step(victor, exit_list, "verify", date="2020-06-06").content.decode()
    assert (
        "公示期不少于 7 天"
        in step(victor, exit_list, "publicize", start="2020-06-07", end="2020-06-10").content.decode()
    )
    assert "已登记村公示" in step(victor, exit_list, "publicize", start="2020-06-07", end="2020-06-13").content.decode()
    notice = victor.get(f"/monitoring/exit/lists/{exit_list.pk}/notice/").content.decode()
    assert "孙*福" in notice and "孙有福" not in notice and passing.household_no not in notice
    # the village cadre cannot take the township's step: refused, nothing written
    refused = step(victor, exit_list, "township", date="2020-06-14")
    assert refused.status_code == 403 and "「乡镇核实」由乡镇干部登记，本账号不能操作。" in refused.content.decode()
    tom = login("tom")
    assert "已登记乡镇核实" in step(tom, exit_list, "township", date="2020-06-14").content.decode()
    alice = login("alice")
    assert "已登记县级公告" in step(alice, exit_list, "announce", date="2020-06-20").content.decode()
    assert "已销号" in step(alice, exit_list, "close", date="2020-06-30").content.decode()
    passing.refresh_from_db()
    assert passing.status == "exited_supported"
    assert "已脱贫" in alice.get(f"/households/{passing.pk}/").content.decode()


@pytest.mark.parametrize(("persona", "status"), [("tom", 200), ("alice", 200), ("audrey", 200), ("zoe", 404)])
def test_who_may_read_the_village_page(login: Any, world: Any, persona: str, status: int) -> None:
    assert login(persona).get(V).status_code == status


def test_an_auditor_reads_but_cannot_propose(login: Any, world: Any, passing: Household) -> None:
    audrey = login("audrey")
    assert 'id="propose-form"' in audrey.get(V).content.decode()
    assert 'name="household"' not in audrey.get(V).content.decode()
    assert audrey.post(V + "propose/", {"household": [passing.pk], "date": "2020-06-01"}).status_code == 403
    assert not ExitList.objects.exists() and not AuditEvent.objects.exists()


def test_a_township_officer_of_another_township_does_not_find_the_village(
    login: Any, world: Any, personas: Any
) -> None:
    from django.contrib.auth.models import User

    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.registry.models import Region

    other = User.objects.create_user("tina2", password="pw-12345678")
    StaffProfile.objects.create(user=other, role=Role.TOWNSHIP_OFFICER, region=Region.objects.get(code="141102002000"))
    assert login("tina2").get(V).status_code == 404


def test_the_index_shows_incidence_and_what_blocks_each_village(login: Any, world: Any) -> None:
    page = login("alice").get("/monitoring/exit/?year=2020").content.decode()
    assert "信义村" in page and "贫困发生率" in page
    # 信义村: two 帮扶 households (3 persons) of 3 registered persons → 100 %, with the blockers named
    assert "100.00 %" in page and "2 户 3 人未脱贫" in page and "未通过「收入」" in page


def test_the_county_page_says_why_the_county_does_not_pass_and_county_staff_enter_checks(
    login: Any, world: Any
) -> None:
    alice = login("alice")
    url = "/monitoring/exit/county/141102/2020/"
    page = alice.get(url).content.decode()
    assert "未达到贫困县退出标准" in page and "错退率无数据" in page and "群众认可度无数据" in page
    Household.objects.filter(pk=world["own_other"].pk).update(status="exited_supported")
    lines = f"{world['own_other'].household_no} 错退\n{world['sibling_township'].household_no} 准确"
    alice.post(url, {"what": "sample", "date": "2020-10-01", "findings": lines})
    alice.post(url, {"what": "survey", "date": "2020-10-02", "asked": "200", "approving": "190"})
    assert SampleFinding.objects.count() == 2 and SurveyCount.objects.get().approving == 190
    page = alice.get(url).content.decode()
    assert "错退率 100.00 %，未低于 2.00 %" in page and "95.00 %" in page
    bad = alice.post(
        url, {"what": "sample", "date": "2020-10-01", "findings": "9999 错退"}, follow=True
    ).content.decode()
    assert "第1行 户编号 9999 不是本县的户" in bad
    # a township officer does not see the county's page at all (404, no probing); an auditor reads, never writes
    survey = {"what": "survey", "date": "2020-10-02", "asked": "5", "approving": "5"}
    assert login("tom").post(url, survey).status_code == 404
    assert login("audrey").get(url).status_code == 200
    assert (
        login("audrey").post(url, {"what": "survey", "date": "2020-10-02", "asked": "5", "approving": "5"}).status_code
        == 403
    )
    assert SurveyCount.objects.count() == 1


def test_a_refused_sample_check_keeps_what_the_officer_typed(login: Any, world: Any) -> None:
    """walk8: a sample check with one bad line came back with the error and empty forms — the officer typed
    every household and finding again. The page now shows the refusal beside what was typed, nothing saved."""
    alice = login("alice")
    url = "/monitoring/exit/county/141102/2020/"
    lines = f"{world['own_other'].household_no} 准确\n9999 错退"
    bad = alice.post(url, {"what": "sample", "date": "2020-07-03", "findings": lines, "note": "县抽查组"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "第2行 户编号 9999 不是本县的户" in html
    assert f"{world['own_other'].household_no} 准确\n9999 错退</textarea>" in html
    assert 'name="date" value="2020-07-03"' in html and 'value="县抽查组"' in html
    survey = alice.post(url, {"what": "survey", "date": "2020-07-04", "asked": "100", "approving": "120"})
    html = survey.content.decode()
    assert "认可人数须在 0 到调查人数之间" in html
    assert 'name="asked" value="100"' in html and 'name="approving" value="120"' in html
    assert not SampleFinding.objects.exists() and not SurveyCount.objects.exists()


def test_once_the_only_candidate_is_proposed_the_page_says_so_and_the_publicity_form_has_dates(
    login: Any, world: Any, passing: Household
) -> None:
    import datetime as dt

    from jingzhun.core import workday

    # the village's other 未脱贫 households already out: the passing one is its only candidate
    Household.objects.filter(village__code="141102001001", status__in=("not_exited", "returned")).exclude(
        pk=passing.pk
    ).update(status="exited_supported")
    victor = login("victor")
    victor.post(V + "propose/", {"household": [passing.pk], "date": "2020-06-01"}, follow=True)
    page = victor.get(V).content.decode()
    assert "未脱贫户均已列入预退出名单。" in page and "没有未脱贫户" not in page, page
    exit_list = ExitList.objects.get()
    step(victor, exit_list, "review", date="2020-06-03", note="到会 40 人")
    entry = exit_list.entries.get()
    victor.post(f"/monitoring/exit/entries/{entry.pk}/sign/", {"signed_by": "孙有福", "date": "2020-06-05"})
    step(victor, exit_list, "verify", date="2020-06-06")
    page = victor.get(V).content.decode()
    today = workday.today()
    assert f'name="start" value="{today:%Y-%m-%d}"' in page, page
    assert f'name="end" value="{today + dt.timedelta(days=6):%Y-%m-%d}"' in page  # 7 days, both ends counted
    step(victor, exit_list, "publicize", start="2020-06-07", end="2020-06-13")
    notice = victor.get(f"/monitoring/exit/lists/{exit_list.pk}/notice/").content.decode()
    size = passing.persons.filter(status="active").count()
    assert f"{size} 人</td>" in notice or f"{size} 人<" in notice, notice
