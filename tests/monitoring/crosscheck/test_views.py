"""疑点 pages as each role uses them (Django test client, logged in): read, clear, confirm — role × region."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.monitoring.models.crosscheck import Suspect
from jingzhun.registry.models import ChangeKind, ChangeRequest, Household

from .conftest import seed_suspects

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspects(tmp_path: Path, world: dict[str, Any]) -> dict[str, Any]:
    return seed_suspects(tmp_path, world)


def test_village_cadre_sees_own_village_only(login: Any, suspects: dict[str, Any]) -> None:
    client = login("victor")
    page = client.get("/monitoring/crosscheck/").content.decode()
    assert "信义村" in page and "歧道村" not in page
    own = client.get(f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/")
    assert own.status_code == 200
    html = own.content.decode()
    assert 'id="side-by-side"' in html and "购置价格" in html and "25000" in html
    assert "身份证号一致" in html and "100.0%" in html
    assert login("victor").get(f"/monitoring/crosscheck/{suspects['vehicle_sibling'].pk}/").status_code == 404


def test_other_county_and_assigned_cadre(login: Any, suspects: dict[str, Any]) -> None:
    assert login("zoe").get(f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/").status_code == 404
    carl = login("carl")
    assert carl.get(f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/").status_code == 200  # his household
    post = carl.post(
        f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/decide/", {"outcome": "confirm", "reason": "x"}
    )
    assert post.status_code == 403
    assert Suspect.objects.get(pk=suspects["vehicle_own"].pk).state == "open"


def test_auditor_reads_but_cannot_decide(login: Any, suspects: dict[str, Any]) -> None:
    client = login("audrey")
    page = client.get(f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/").content.decode()
    assert "待核实" in page and 'id="confirm-form"' not in page
    assert "**********" in page  # auditors see ID numbers masked
    post = client.post(
        f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/decide/", {"outcome": "confirm", "reason": "x"}
    )
    assert post.status_code == 403
    assert Suspect.objects.get(pk=suspects["vehicle_own"].pk).state == "open"


def test_clear_with_an_exemption_code(login: Any, suspects: dict[str, Any]) -> None:
    client = login("victor")
    url = f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/decide/"
    bad = client.post(url, {"outcome": "clear", "exemption": "commercial_housing", "reason": "三轮车"}, follow=True)
    assert "排除情形无效" in bad.content.decode()
    assert Suspect.objects.get(pk=suspects["vehicle_own"].pk).state == "open"
    client.post(url, {"outcome": "clear", "exemption": "vehicle_under_30000", "reason": "三轮汽车，购置价 2.5 万元"})
    cleared = Suspect.objects.get(pk=suspects["vehicle_own"].pk)
    assert (cleared.state, cleared.exemption, cleared.decided_label) == ("cleared", "vehicle_under_30000", "victor")
    assert AuditEvent.objects.filter(action="crosscheck.clear", object_id=str(cleared.pk)).count() == 1
    again = client.post(url, {"outcome": "confirm", "reason": "x"}, follow=True)
    assert "不能再次处理" in again.content.decode()
    assert Household.objects.get(pk=cleared.household_id).disqualified == []


def test_confirm_proposes_a_change_that_a_second_person_decides(login: Any, suspects: dict[str, Any]) -> None:
    sibling = suspects["vehicle_sibling"]
    tom = login("tom")  # township 信义镇 covers 歧道村
    tom.post(
        f"/monitoring/crosscheck/{sibling.pk}/decide/", {"outcome": "confirm", "reason": "入户核实，车辆为本人所有"}
    )
    confirmed = Suspect.objects.get(pk=sibling.pk)
    assert confirmed.state == "confirmed"
    change = confirmed.change_request
    assert change is not None and change.kind == ChangeKind.DISQUALIFY and change.state == "pending"
    assert change.payload["code"] == "vehicle"
    assert Household.objects.get(pk=sibling.household_id).disqualified == []  # nothing changes by itself
    decided = login("alice").post(f"/households/changes/{change.pk}/decide/", {"decision": "approve", "reason": "同意"})
    assert decided.status_code == 302
    assert Household.objects.get(pk=sibling.household_id).disqualified == ["vehicle"]


def test_confirm_death_proposes_the_death_with_the_lists_date(login: Any, suspects: dict[str, Any]) -> None:
    death = suspects["death_own"]
    login("victor").post(f"/monitoring/crosscheck/{death.pk}/decide/", {"outcome": "confirm", "reason": "村委会核实"})
    change = ChangeRequest.objects.get(household=death.household, kind=ChangeKind.DEATH)
    assert change.payload["person"] == str(death.person_id)
    assert change.payload["date"] == "2020-05-10"
    assert death.person.status == "active"


def test_upload_and_run_pages_are_the_countys(login: Any, world: dict[str, Any], tmp_path: Path) -> None:
    from .conftest import head, write_list

    liu = head(world["own"])
    zhao = head(world["other_county"])  # 交口县: outside alice's 离石区, not matched by her run
    rows = [{"姓名": liu.name, "身份证号": liu.id_number}, {"姓名": zhao.name, "身份证号": zhao.id_number}]
    path = write_list(tmp_path / "pension.csv", rows)
    assert login("tom").get("/monitoring/crosscheck/import/").status_code == 403
    assert login("audrey").get("/monitoring/crosscheck/import/").status_code == 403
    client = login("alice")
    with path.open("rb") as f:
        response = client.post(
            "/monitoring/crosscheck/import/", {"source": "pension", "as_of": "2020-06-30", "file": f}, follow=True
        )
    assert "导入成功：养老金/社保名单 2 行" in response.content.decode()
    run = client.post("/monitoring/crosscheck/run/", follow=True).content.decode()
    assert "比对完成：命中 1 行，新增疑点 1 个" in run
    assert Suspect.objects.get().person_id == liu.pk


def test_events_for_returns_matched_or_confirmed_events(suspects: dict[str, Any], world: dict[str, Any]) -> None:
    from jingzhun.monitoring.crosscheck.queries import events_for

    events = events_for("2020-06", "141102001")
    assert list(events) == [world["own"].pk]
    assert events[world["own"].pk][0]["kind"] == "death"
    assert events_for("2020-05", "141102") == {}
    assert events_for("2020-06", "141102002") == {}
    _ = dt  # month boundaries use dates


def test_household_page_shows_its_suspects_panel(login: Any, suspects: dict[str, Any]) -> None:
    own = suspects["vehicle_own"].household
    page = login("victor").get(f"/households/{own.pk}/").content.decode()
    assert 'id="crosscheck-panel"' in page and f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/" in page
    sibling = suspects["vehicle_sibling"].household
    other = login("tom").get(f"/households/{sibling.pk}/").content.decode()
    assert f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/" not in other


def test_run_table_format(world: dict[str, Any], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jingzhun.cli import app

    seed_suspects(tmp_path, world)
    result = CliRunner().invoke(app, ["crosscheck", "run"])
    assert result.exit_code == 0, result.stderr
    assert "新增疑点 0 个，已有疑点保持不变 3 个" in result.stdout


def test_a_township_officer_of_another_township_is_refused(login: Any, world: dict[str, Any], tmp_path: Path) -> None:
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list
    from jingzhun.monitoring.crosscheck.run import run_crosscheck

    from .conftest import head, write_list

    li = head(world["sibling_township"])  # 吴城村, 吴城镇
    path = write_list(tmp_path / "business.csv", [{"姓名": li.name, "身份证号": li.id_number}])
    assert import_list(path, source="business", as_of=dt.date(2020, 6, 30), actor=Actor.system("t")).ok
    run_crosscheck(Actor.system("t"))
    suspect = Suspect.objects.get(person=li)
    tom = login("tom")  # 信义镇
    assert tom.get(f"/monitoring/crosscheck/{suspect.pk}/").status_code == 404
    post = tom.post(f"/monitoring/crosscheck/{suspect.pk}/decide/", {"outcome": "confirm", "reason": "x"})
    assert post.status_code == 404
    assert "吴城村" not in tom.get("/monitoring/crosscheck/").content.decode()
    alice = login("alice")  # the county decides anywhere in 离石区
    alice.post(
        f"/monitoring/crosscheck/{suspect.pk}/decide/",
        {"outcome": "clear", "exemption": "relief_fund_shares", "reason": "以扶贫资金入股合作社"},
    )
    assert Suspect.objects.get(pk=suspect.pk).state == "cleared"


def test_no_exemption_is_chosen_for_the_cadre(login: Any, suspects: dict[str, Any]) -> None:
    """walk8: the 排除情形 list opened on its first code (车辆价格低于 3 万元), so 核实排除 without a look
    recorded that exemption; it now opens on 请选择 and a clearing without one is refused by name."""
    client = login("victor")
    url = f"/monitoring/crosscheck/{suspects['vehicle_own'].pk}/"
    html = client.get(url).content.decode()
    select = html[html.index('<select id="exemption"') :]
    assert select[select.index("<option") :].startswith('<option value="" selected>请选择排除情形</option>')
    done = client.post(url + "decide/", {"outcome": "clear", "exemption": "", "reason": "三轮车"}, follow=True)
    assert "请选择排除情形" in done.content.decode()
    assert Suspect.objects.get(pk=suspects["vehicle_own"].pk).state == "open"


def test_the_list_offers_to_verify_only_to_whom_may(login: Any, suspects: dict[str, Any]) -> None:
    """walk8: the auditor's 疑点 list linked every row as 核实 (verify) to a page where nothing can be done;
    a read-only role, or a 疑点 already decided, is linked as 查看."""
    detail = f'href="/monitoring/crosscheck/{suspects["vehicle_own"].pk}/"'
    audrey = login("audrey").get("/monitoring/crosscheck/").content.decode()
    assert f"{detail}>查看</a>" in audrey and ">核实</a>" not in audrey
    victor = login("victor").get("/monitoring/crosscheck/").content.decode()
    assert f"{detail}>核实</a>" in victor
