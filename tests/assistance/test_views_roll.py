"""先行救助, the roll (在册对象: suspend, resume, end, 情况变化复核), the 待复核 list and the household section."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from jingzhun.assistance.models import Application, Enrollment
from jingzhun.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def emergency(household: Any, amount: str = "8000") -> dict[str, str]:
    return {
        "household_no": household.household_no,
        "amount_due": amount,
        "event_date": "2020-05-03",
        "statement": "房屋失火",
        "on": "2020-05-04",
    }


def change(op: str, reason: str = "外出务工", month: str = "") -> dict[str, str]:
    return {"op": op, f"{op}-reason": reason, f"{op}-month": month}


@pytest.fixture
def enrolled(world: dict[str, Any]) -> Enrollment:
    """刘保平's household in 信义村 holds 低保 from 2019-01."""
    return Enrollment.objects.get(household=world["own"], family="dibao")


def test_a_township_officer_pays_an_emergency_first_up_to_the_cap(login: Any, world: dict[str, Any]) -> None:
    tom = login("tom")
    assert tom.get(f"/assistance/emergency/?household={world['own_other'].household_no}").status_code == 200
    response = tom.post("/assistance/emergency/", emergency(world["own_other"]))
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assistance/{app.pk}/"
    assert (app.paid_first, app.status, app.amount_due_fen, app.amount_approved_fen) == (
        True,
        "approved",
        800000,
        500000,
    )
    message = tom.get(response["Location"]).content.decode()
    assert "支付 5,000.00 元" in message and "补办审核" in message
    assert AuditEvent.objects.filter(action="application_paid_first", object_id=str(app.pk)).count() == 1

    alice = login("alice")
    page = alice.get(f"/assistance/{app.pk}/").content.decode()
    assert 'name="step" value="after_review"' in page
    form = {"step": "after_review", "after_review-confirmed": "True", "after_review-opinion": "属实"}
    assert alice.post(f"/assistance/{app.pk}/", {**form, "after_review-on": "2020-05-06"}).status_code == 302
    app.refresh_from_db()
    assert app.after_review_confirmed is True
    again = alice.post(f"/assistance/{app.pk}/", {**form, "after_review-on": "2020-05-07"})
    assert "该先行救助已完成补办审核，不能重复审核" in again.content.decode()


@pytest.mark.parametrize("persona", ["victor", "alice", "audrey"])
def test_only_the_township_pays_first(login: Any, world: dict[str, Any], persona: str) -> None:
    client = login(persona)
    assert client.get("/assistance/emergency/").status_code == 403
    assert client.post("/assistance/emergency/", emergency(world["own_other"])).status_code == 403
    assert not Application.objects.exists()


def test_an_emergency_outside_the_townships_scope_is_refused(login: Any, world: dict[str, Any]) -> None:
    response = login("tom").post("/assistance/emergency/", emergency(world["sibling_township"]))
    assert f"未找到户编号 {world['sibling_township'].household_no}" in response.content.decode()
    assert not Application.objects.exists()


def test_the_county_suspends_resumes_and_ends_an_enrollment(login: Any, enrolled: Enrollment) -> None:
    alice = login("alice")
    url = f"/assistance/enrollments/{enrolled.pk}/"
    assert alice.post(url, change("suspend", month="2020-07")).status_code == 302
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.suspended_from) == ("suspended", dt.date(2020, 7, 1))
    resumed = alice.post(url, change("resume", "返乡", month="2020-07"))
    enrolled.refresh_from_db()
    assert resumed.status_code == 302 and (enrolled.status, enrolled.suspended_from) == ("active", None)
    assert alice.post(url, change("end", "迁出本县", month="2020-09")).status_code == 302
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.end_month) == ("ended", dt.date(2020, 9, 1))
    assert list(enrolled.decisions.values_list("kind", flat=True)) == ["suspend", "resume", "end"]
    audits = AuditEvent.objects.filter(object_type="enrollment", object_id=str(enrolled.pk)).order_by("id")
    assert list(audits.values_list("action", flat=True)) == [
        "enrollment_suspended",
        "enrollment_resumed",
        "enrollment_ended",
    ]
    page = alice.get(url).content.decode()
    assert "迁出本县" in page and 'name="op"' not in page


def test_a_refused_change_shows_the_actions_message(login: Any, enrolled: Enrollment) -> None:
    alice = login("alice")
    url = f"/assistance/enrollments/{enrolled.pk}/"
    response = alice.post(url, change("resume"))
    assert "当前状态为「在册」，不能恢复（仅暂停的对象可恢复）" in response.content.decode()
    blank = alice.post(url, change("suspend", reason=""))
    assert "这个字段是必填项" in blank.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.status == "active" and not enrolled.decisions.exists()


def test_a_month_out_of_range_is_named_under_its_field(login: Any, enrolled: Enrollment) -> None:
    """Reviewer M5: a change's month had no bounds; 2099 is now refused under the month field."""
    alice = login("alice")
    url = f"/assistance/enrollments/{enrolled.pk}/"
    page = alice.post(url, change("suspend", month="2099-01")).content.decode()
    assert "暂停起始月份（2099-01）不能晚于下个月" in page and 'class="errorlist"' in page
    page = alice.post(url, change("end", month="2000-01")).content.decode()
    assert "最后发放月份（2000-01）不能早于享受起始月份的上一个月" in page
    enrolled.refresh_from_db()
    assert enrolled.status == "active" and not enrolled.decisions.exists()


@pytest.mark.parametrize(("persona", "status"), [("victor", 403), ("tom", 403), ("audrey", 403), ("zoe", 404)])
def test_only_the_county_of_the_household_changes_an_enrollment(
    login: Any, enrolled: Enrollment, persona: str, status: int
) -> None:
    client = login(persona)
    url = f"/assistance/enrollments/{enrolled.pk}/"
    assert client.get(url).status_code == (404 if status == 404 else 200)
    response = client.post(url, change("suspend"))
    assert response.status_code == status
    if persona in ("victor", "tom"):
        assert "不能进行「暂停救助」" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.status == "active" and not enrolled.decisions.exists()


def test_the_roll_lists_the_regions_enrollments_with_filters(
    login: Any, enrolled: Enrollment, world: dict[str, Any]
) -> None:
    from tests.staff import make_household

    make_household(world["other_county"].village, "1411300010010002", "钱进", families=("tekun",))
    href = f"/assistance/enrollments/{enrolled.pk}/"
    alice = login("alice")
    assert href in alice.get("/assistance/enrollments/?family=dibao").content.decode()
    assert href not in alice.get("/assistance/enrollments/?family=tekun").content.decode()
    assert href not in alice.get("/assistance/enrollments/?status=ended").content.decode()
    assert "1411300010010002" not in alice.get("/assistance/enrollments/?status=all").content.decode()
    assert "1411300010010002" in login("zoe").get("/assistance/enrollments/").content.decode()


def test_the_due_list_shows_enrollments_whose_yearly_review_has_come(
    login: Any, enrolled: Enrollment, world: dict[str, Any]
) -> None:
    href = f"/assistance/enrollments/{enrolled.pk}/"
    assert href not in login("victor").get("/assistance/due/").content.decode()
    Enrollment.objects.filter(pk=enrolled.pk).update(next_review_due=dt.date(2020, 1, 1))
    page = login("victor").get("/assistance/due/").content.decode()
    assert href in page and "年度复核到期" in page
    assert f"/assistance/new/?household={world['own'].household_no}" in page
    assert href not in login("zoe").get("/assistance/due/").content.decode()


def test_change_of_circumstances_recomputes_from_the_enrollment_page(login: Any, enrolled: Enrollment) -> None:
    alice = login("alice")
    response = alice.post(f"/assistance/enrollments/{enrolled.pk}/", change("recompute", "家庭收入变化", "2020-06"))
    assert response.status_code == 302
    decision = enrolled.decisions.get()
    assert (decision.kind, decision.month, decision.reason) == ("change", dt.date(2020, 6, 1), "家庭收入变化")
    assert AuditEvent.objects.filter(action="enrollment_change_of_circumstances").count() == 1


def section(household: Any, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("assistance/_household_section.html", {"household": household, "request": request})


def test_the_household_section_links_applications_and_enrollments(
    world: dict[str, Any], personas: dict[str, Any], enrolled: Enrollment, login: Any
) -> None:
    login("tom").post("/assistance/emergency/", emergency(world["own"], "300"))
    app = Application.objects.get()
    html = section(world["own"], personas["victor"])
    assert f"/assistance/enrollments/{enrolled.pk}/" in html and f"/assistance/{app.pk}/" in html
    assert "为该户新建救助申请" in html and "300.00" in html
    assert "为该户新建救助申请" not in section(world["own"], personas["audrey"])
    tom_html = section(world["own"], personas["tom"])
    first_aid = f"/assistance/emergency/?household={world['own'].household_no}"
    assert first_aid in tom_html and "为该户新建救助申请" not in tom_html
    assert first_aid not in html
    assert "没有救助申请" in section(world["own_other"], personas["victor"])
