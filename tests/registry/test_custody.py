"""服刑 terms: a member serving a sentence is not a member of the 共同生活家庭 for the months served — left out of
the household's size and income when the registry builds the engine's documents — recorded, edited and ended
on the staff household page by the village, township or county, never shown on public pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.policy.engine import compute_document
from jingzhun.policy.engine_batch import compute_batch
from jingzhun.public.actions import issue_token
from jingzhun.registry.custody import CustodyTerm
from jingzhun.registry.custody_actions import record_custody, update_custody
from jingzhun.registry.documents import household_document, household_frames
from jingzhun.registry.models import IncomeRecord, Person
from tests.staff import make_household

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")
SON_WAGES_FEN = 900_000  # 9 000 yuan in 2019


@pytest.fixture
def guo(world: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    """郭长青 (70, no labour, no income, a supporter elsewhere) and his son 郭小虎, who earned 9 000 yuan in
    2019, in 信义村."""
    household = make_household(
        regions["v11"], "1411020010010031", "郭长青", others=("郭小虎",), birth=dt.date(1950, 2, 1)
    )
    son = household.persons.get(name="郭小虎")
    household.persons.filter(name="郭长青").update(capable_supporter=True)  # a daughter elsewhere: not 特困
    IncomeRecord.objects.create(person=son, year=2019, wages_fen=SON_WAGES_FEN)
    return {"household": household, "son": son, "url": f"/households/{household.pk}/custody/"}


def document(household: Any, month: str) -> dict[str, Any]:
    [doc] = household_document(month, household_ids=[household.pk])["households"]
    return doc


def sizes_and_incomes(household: Any, months: list[str]) -> list[tuple[int, str]]:
    return [(len(d["members"]), d["annual_income"]) for d in (document(household, m) for m in months)]


def test_a_serving_member_is_left_out_for_the_months_served(guo: dict[str, Any]) -> None:
    record_custody(SYSTEM, guo["son"], start=dt.date(2020, 3, 10), end=dt.date(2020, 8, 15), note="判决书")
    months = ["2020-03", "2020-04", "2020-08", "2020-09"]
    # serving on the 1st of April … August; on 1 March not yet, on 1 September released
    assert sizes_and_incomes(guo["household"], months) == [(2, "9000.00"), (1, "0.00"), (1, "0.00"), (2, "9000.00")]
    assert str(guo["son"].pk) not in [m["id"] for m in document(guo["household"], "2020-06")["members"]]
    households, persons = household_frames("2020-06", household_ids=[guo["household"].pk])
    assert households["annual_income_fen"].to_list() == [0] and persons.height == 1


def test_a_term_from_the_first_of_the_month_counts_that_month_and_an_open_term_never_ends(guo: dict[str, Any]) -> None:
    record_custody(SYSTEM, guo["son"], start=dt.date(2020, 5, 1), end=None, note="司法局名单")
    assert sizes_and_incomes(guo["household"], ["2020-04", "2020-05", "2021-06"]) == [
        (2, "9000.00"),
        (1, "0.00"),
        (1, "0.00"),
    ]


def test_the_months_amount_is_that_of_the_household_without_the_prisoner(guo: dict[str, Any]) -> None:
    """The engine is unchanged: the 2020-06 amount of the household with its son serving equals the amount of
    the same household document with the son and his income taken out by hand; and it differs from before."""
    before = document(guo["household"], "2020-06")
    by_hand = {
        **before,
        "annual_income": "0.00",
        "members": [m for m in before["members"] if m["id"] != str(guo["son"].pk)],
    }
    record_custody(SYSTEM, guo["son"], start=dt.date(2020, 3, 10), end=None, note="判决书")
    after = document(guo["household"], "2020-06")
    assert after == by_hand

    def total(doc: dict[str, Any]) -> int:
        [result] = compute_document({"households": [doc]}, "2020-06").households
        assert not result.errors
        return result.total_fen

    assert total(after) == total(by_hand) and total(after) != total(before)
    households, persons = household_frames("2020-06", household_ids=[guo["household"].pk])
    lines = compute_batch(households, persons, "2020-06")  # the month run's batch path agrees to the fen
    assert int(lines["amount_fen"].sum()) == total(after)


@pytest.mark.parametrize("persona", ["victor", "tom", "alice"])
def test_village_township_and_county_record_a_term(guo: dict[str, Any], login: Any, persona: str) -> None:
    client = login(persona)
    form = {"person": guo["son"].pk, "start": "2020-03-10", "end": "", "note": "入户核实：在汾阳监狱服刑"}
    page = client.post(guo["url"], form, follow=True).content.decode()
    assert "已登记郭小虎服刑" in page and 'id="custody-terms"' in page and "服刑中" in page
    term = CustodyTerm.objects.get()
    assert (term.person_id, term.start, term.end, term.recorded_by) == (
        guo["son"].pk,
        dt.date(2020, 3, 10),
        None,
        persona,
    )
    audit = AuditEvent.objects.get(action="registry.record_custody")
    assert (audit.actor_label, audit.region_code, audit.after["start"]) == (persona, "141102001001", "2020-03-10")


def test_auditor_and_assigned_cadre_get_403_another_county_404(guo: dict[str, Any], login: Any) -> None:
    form = {"person": guo["son"].pk, "start": "2020-03-10", "note": "x"}
    assert login("audrey").post(guo["url"], form).status_code == 403
    assert login("zoe").post(guo["url"], form).status_code == 404
    assert login("carl").post(guo["url"], form).status_code == 404  # the 帮扶 cadre reads only his households
    his = Person.objects.get(name="刘保平")  # … and writes 帮扶记录 there, not registry facts
    assert login("carl").post(f"/households/{his.household_id}/custody/", {**form, "person": his.pk}).status_code == 403
    assert not CustodyTerm.objects.exists() and not AuditEvent.objects.filter(action__contains="custody").exists()


def test_the_action_checks_role_and_region(guo: dict[str, Any], personas: dict[str, Any]) -> None:
    for name in ("audrey", "zoe", "carl"):
        actor = Actor.for_user(personas[name])
        with pytest.raises(PermissionDenied):
            record_custody(actor, guo["son"], start=dt.date(2020, 3, 10), end=None, note="x")
    assert not CustodyTerm.objects.exists()


def test_bad_input_is_refused_naming_the_field_nothing_written(guo: dict[str, Any], login: Any) -> None:
    victor = login("victor")
    cases = [
        ({"start": "2020-05-01", "end": "2020-04-01", "note": "x"}, "刑满释放日期 2020-04-01 应晚于服刑起始日期"),
        ({"start": "2020-13-01", "note": "x"}, "服刑起始日期应为 YYYY-MM-DD 格式的日期：2020-13-01 [start]"),
        ({"start": "", "note": "x"}, "请填写服刑起始日期 [start]"),
        ({"start": "2020-05-01", "note": " "}, "请填写说明"),
    ]
    for form, message in cases:
        page = victor.post(guo["url"], {"person": guo["son"].pk, **form}, follow=True).content.decode()
        assert message in page, message
    for person in ("abc", str(guo["son"].pk + 1000), ""):  # not a member of this household
        page = victor.post(guo["url"], {"person": person, "start": "2020-05-01", "note": "x"}, follow=True)
        assert "请选择本户在册成员 [person]" in page.content.decode()
    assert not CustodyTerm.objects.exists() and not AuditEvent.objects.exists()
    record_custody(SYSTEM, guo["son"], start=dt.date(2020, 3, 10), end=None, note="判决书")
    with pytest.raises(ValidationError, match="重叠"):
        record_custody(SYSTEM, guo["son"], start=dt.date(2021, 1, 1), end=None, note="又一段")
    assert CustodyTerm.objects.count() == 1


def test_ending_a_term_on_the_page_brings_the_member_back(guo: dict[str, Any], login: Any) -> None:
    term = record_custody(SYSTEM, guo["son"], start=dt.date(2020, 3, 10), end=None, note="判决书")
    url = f"{guo['url']}{term.pk}/"
    assert login("zoe").post(url, {"start": "2020-03-10", "end": "2020-08-15", "note": "x"}).status_code == 404
    assert login("audrey").post(url, {"start": "2020-03-10", "end": "2020-08-15", "note": "x"}).status_code == 403
    page = login("tom").post(url, {"start": "2020-03-10", "end": "2020-08-15", "note": "刑满释放"}, follow=True)
    assert "已更新郭小虎的服刑记录" in page.content.decode()
    term.refresh_from_db()
    assert (term.end, term.note) == (dt.date(2020, 8, 15), "刑满释放")
    audit = AuditEvent.objects.get(action="registry.update_custody")
    assert (audit.before["end"], audit.after["end"], audit.actor_label) == (None, "2020-08-15", "tom")
    assert sizes_and_incomes(guo["household"], ["2020-08", "2020-09"]) == [(1, "0.00"), (2, "9000.00")]
    with pytest.raises(ValidationError, match="应晚于"):
        update_custody(SYSTEM, term, start=dt.date(2020, 3, 10), end=dt.date(2020, 3, 1), note="x")


def test_the_term_is_never_on_the_public_page(guo: dict[str, Any], client: Any) -> None:
    record_custody(SYSTEM, guo["son"], start=dt.date(2020, 3, 10), end=None, note="在汾阳监狱服刑")
    token = issue_token(SYSTEM, guo["household"])
    page = client.get(f"/q/{token.token}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "服刑" not in text and "汾阳监狱" not in text
