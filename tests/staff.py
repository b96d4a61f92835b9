"""The personas and the staff pages' fixtures, in one place (tests/conftest.py makes the fixtures suite-wide).

``regions``: two townships of 离石区 and one of 交口县 with their villages; ``personas``: one login per role.
``world``: one household in each kind of place relative to the personas; ``login``: the test client signed
in as a persona. Page tests (``tests/<app>/test_<view module>*.py``) use them; so do the browser walks.

``world`` puts households in 信义村 (victor's and carl's village — two there, one assigned to carl), in
歧道村 (a sibling village, same township 信义镇), in 吴城村 (a sibling township, same county 离石区) and in
水头村 (another county, 交口县). Background jobs run inside the request (ImmediateBackend).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client

PASSWORD = "pw-12345678"
_serial = itertools.count(1)


@pytest.fixture
def regions(db: None) -> dict[str, object]:
    """Two townships of 离石区 with two villages each, and one township of 交口县."""
    from jingzhun.registry.models import Region

    def make(code: str, name: str, level: str, parent: str) -> object:
        return Region.objects.create(code=code, name=name, level=level, parent=Region.objects.get(code=parent))

    out = {
        "t1": make("141102001000", "信义镇", "township", "141102"),
        "t2": make("141102002000", "吴城镇", "township", "141102"),
        "t9": make("141130001000", "水头镇", "township", "141130"),
    }
    out["v11"] = make("141102001001", "信义村", "village", "141102001000")
    out["v12"] = make("141102001002", "歧道村", "village", "141102001000")
    out["v21"] = make("141102002001", "吴城村", "village", "141102002000")
    out["v91"] = make("141130001001", "水头村", "village", "141130001000")
    return out


@pytest.fixture
def personas(regions: dict[str, object]) -> dict[str, object]:
    """One login per role (password "pw-12345678"): alice county 离石区, tom township 信义镇,
    victor village 信义村, carl 帮扶 cadre in 信义村, audrey auditor 吕梁市, zoe county 交口县, root admin."""
    from django.contrib.auth.models import User

    from jingzhun.core.models import Role, StaffProfile
    from jingzhun.registry.models import Region

    plan = {
        "alice": (Role.COUNTY_OFFICER, "141102"),
        "tom": (Role.TOWNSHIP_OFFICER, "141102001000"),
        "victor": (Role.VILLAGE_CADRE, "141102001001"),
        "carl": (Role.ASSIGNED_CADRE, "141102001001"),
        "audrey": (Role.AUDITOR, "141100"),
        "zoe": (Role.COUNTY_OFFICER, "141130"),
    }
    users: dict[str, object] = {}
    for name, (role, code) in plan.items():
        user = User.objects.create_user(name, password=PASSWORD)
        StaffProfile.objects.create(user=user, role=role, region=Region.objects.get(code=code))
        users[name] = user
    root = User.objects.create_superuser("root", password=PASSWORD)
    StaffProfile.objects.create(user=root, role=Role.ADMIN, region=Region.objects.get(code="141100"))
    users["root"] = root
    return users


@pytest.fixture
def staff_settings(settings: Any, tmp_path: Any) -> None:
    """What every staff page test runs with: background jobs inside the request (ImmediateBackend) and
    uploads in the test's own directory. ``world`` and ``login`` bring it along."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


def make_household(
    village: Any,
    household_no: str,
    head: str,
    *,
    others: tuple[str, ...] = (),
    birth: dt.date = dt.date(1940, 3, 2),
    income_fen: int = 0,
    families: tuple[str, ...] = (),
    **fields: Any,
) -> Any:
    """A household whose head (born ``birth``) earns ``income_fen`` a year (2019), with the named others."""
    from django.utils import timezone

    from jingzhun.assistance.models import Enrollment
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Household, IncomeRecord, Person

    defaults = {"address": f"{village.name}一组", "area": "rural", "housing_grade": "B", "registered_year": 2016}
    defaults["status"] = "not_exited"
    household = Household.objects.create(household_no=household_no, village=village, **{**defaults, **fields})
    for index, name in enumerate((head, *others)):
        born = birth if index == 0 else dt.date(1980 + index, 6, 15)
        sex = "M" if index % 2 == 0 else "F"
        person = Person.objects.create(
            household=household,
            id_number=make_id_number(village.code[:6], born, next(_serial), sex),
            name=name,
            relation="head" if index == 0 else "spouse" if index == 1 else "child",
            sex=sex,
            birth_date=born,
            self_care="full",
            labour="none" if index == 0 else "full",
            student="none",
        )
        if index == 0 and income_fen:
            IncomeRecord.objects.create(person=person, year=2019, wages_fen=income_fen)
    for family in families:
        Enrollment.objects.create(
            household=household,
            family=family,
            start_month=dt.date(2019, 1, 1),
            source="initial_roll",
            next_review_due=dt.date(2030, 1, 1),
            last_decided_at=timezone.now(),
        )
    return household


@pytest.fixture
def world(staff_settings: None, regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    return build_world(regions, personas)


def build_world(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """Households keyed by where they are: own (carl's), own_other, sibling_village, sibling_township, other_county."""
    return {
        "own": make_household(
            regions["v11"],
            "1411020010010001",
            "刘保平",
            others=("王秀英",),
            assigned_cadre=personas["carl"],
            cadre_name="陈玲容",
            families=("dibao",),
        ),
        "own_other": make_household(regions["v11"], "1411020010010002", "孙有福", income_fen=4_000_000),
        "sibling_village": make_household(regions["v12"], "1411020010020001", "张建国"),
        "sibling_township": make_household(regions["v21"], "1411020020010001", "李桂兰"),
        "other_county": make_household(regions["v91"], "1411300010010001", "赵文华"),
    }


@pytest.fixture
def login(staff_settings: None, client: Client) -> Any:
    """``login("alice")`` → the test client signed in as that persona."""

    def sign_in(username: str) -> Client:
        client.logout()
        assert client.login(username=username, password=PASSWORD)
        return client

    return sign_in


def listed(html: str) -> str:
    """The rows of the page's result table (not the search box echoing the query)."""
    start, end = html.find("<tbody>"), html.rfind("</tbody>")
    return html[start:end] if start >= 0 else ""


def without_csrf(html: str) -> str:
    """A page with its per-response CSRF token blanked, to compare two pages byte for byte."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)


def browser_login(page: Any, base_url: str, username: str) -> None:
    """Sign in through the login form, as a person would (Playwright page)."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("text=工作台")


def seed_regions() -> None:
    """Browser tests flush the database after each test (transaction=True), which removes the migration's
    province, city and counties; put them back so each test starts from what a fresh install has."""
    from jingzhun.registry.models import Region
    from jingzhun.registry.regions_seed import seed

    seed(Region)


def approve(login: Any, persona: str, household: Any, decision: str = "approve", reason: str = "核实无误") -> Any:
    """``persona`` decides the household's one pending 信息变更申请 on the page (批准 by default); the response."""
    from jingzhun.registry.models import ChangeRequest

    change = ChangeRequest.objects.get(household=household, state="pending")
    client = login(persona)
    return client.post(f"/households/changes/{change.pk}/decide/", {"decision": decision, "reason": reason})
