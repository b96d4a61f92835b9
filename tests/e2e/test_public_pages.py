"""The 一码清 household page on a 360 px phone in Debian's chromium."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.public import queries
from jingzhun.public.actions import ensure_tokens, issue_token
from jingzhun.registry.idnumber import make_id_number
from jingzhun.registry.models import Household, Person, Region
from tests.public.conftest import PaymentLine, pay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


@pytest.fixture(autouse=True)
def _own_rate_limit_and_page_cache(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Rate-limit counts in this test's own file (other test runs also come from 127.0.0.1), no cached pages."""
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    caches["public"].clear()
    yield
    caches["public"].clear()


def _household() -> Household:
    township = Region.objects.create(
        code="141130001000", name="桃红坡镇", level="township", parent=Region.objects.get(code="141130")
    )
    village = Region.objects.create(code="141130001001", name="西交子村", level="village", parent=township)
    household = Household.objects.create(
        household_no="141130001001-0007",
        village=village,
        address="西交子村一组",
        area="rural",
        housing_grade="B",
        registered_year=2014,
        status="exited_supported",
        status_date=dt.date(2018, 12, 1),
        cadre_name="陈玲容",
        cadre_phone="0358-4412345",
        bank_account="6228480012345678901",
    )
    for i, (name, relation) in enumerate([("刘保平", "head"), ("王秀英", "spouse"), ("刘小军", "child")]):
        Person.objects.create(
            household=household,
            id_number=make_id_number("141130", dt.date(1958 + 10 * i, 5, 1), i, "M"),
            name=name,
            relation=relation,
            sex="M",
            birth_date=dt.date(1958 + 10 * i, 5, 1),
            self_care="full",
            labour="full",
            student="none",
        )
    return household


def test_household_page_reads_well_on_a_360px_phone(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    household = _household()
    system = Actor.system("e2e")
    ensure_tokens(system, "141130001")
    token = issue_token(system, household)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/q/{token.token}/")
    for text in (
        "户主 刘*平",
        "桃红坡镇 西交子村",
        "建档立卡户 · 已脱贫（享受政策） · 2018年脱贫",
        "陈玲容",
        "暂无项目信息",
    ):
        assert page.get_by_text(text).first.is_visible()
    assert "刘保平" not in page.content() and "6228480012345678901" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert screenshot("household-360").stat().st_size > 10_000


def test_township_page_links_to_its_villages_on_a_phone(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    _household()
    ensure_tokens(Actor.system("e2e"), "141130001")
    township = Region.objects.get(code="141130001000").public_tokens.get()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/q/{township.token}/")
    page.get_by_role("link", name="西交子村").click()
    page.wait_for_selector("text=一村一码 · 西交子村")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("village-360")


@pytest.fixture
def ledger_stand_in(monkeypatch):  # type: ignore[no-untyped-def]
    """Payment lines the pages can sum (the stand-in of tests/public/conftest.py)."""
    with connection.schema_editor() as editor:
        editor.create_model(PaymentLine)
    monkeypatch.setattr(queries, "_payment_lines", lambda: PaymentLine)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(PaymentLine)


def test_a_year_of_payments_fits_a_360px_phone(live_server, page, screenshot, ledger_stand_in) -> None:  # type: ignore[no-untyped-def]
    household = _household()
    year = timezone.localdate().year
    for month in range(1, 13):
        pay(household, "dibao", f"{year}-{month:02d}", "2010.00")
        pay(household, "dibao_classified", f"{year}-{month:02d}", "442.00")
        pay(household, "disability_living", f"{year}-{month:02d}", "50.00")
        pay(household, "disabled_elder_allowance", f"{year}-{month:02d}", "60.00")
    pay(household, "income_gap_insurance", f"{year}-06", "1234.50")
    token = issue_token(Actor.system("e2e"), household)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/q/{token.token}/")
    assert page.get_by_role("cell", name="生活补贴", exact=True).is_visible()  # 残疾人两项补贴, named neutrally
    assert page.get_by_role("cell", name="老年人补贴", exact=True).is_visible()  # 失能老人补贴, named neutrally
    assert page.get_by_text("失能").count() == 0 and page.get_by_text("残疾").count() == 0
    assert page.get_by_text("31,978.50").is_visible()  # 合计: 12 × 2562 + 1234.50
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("household-payments-360")


def test_projects_and_their_funds_fit_a_360px_phone(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    from jingzhun.projects.actions import add_allocation, create_project

    household = _household()
    system = Actor.system("e2e")
    plant = create_project(
        system,
        code="JK-2019-PV-01",
        name="西交子村村级光伏扶贫电站（300千瓦）",
        kind="pv",
        region="141130001001",
        year=2019,
        status="accepted",
        beneficiary_households=86,
    )
    add_allocation(system, plant, source="central", amount_fen=1_200_000_00)
    add_allocation(system, plant, source="integrated", amount_fen=345_678_90)
    ensure_tokens(system, "141130001")
    for token, name in (
        (issue_token(system, household), "household"),
        (household.village.public_tokens.get(), "village"),
    ):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(f"{live_server.url}/q/{token.token}/")
        assert page.get_by_text("西交子村村级光伏扶贫电站（300千瓦）").is_visible()
        assert page.get_by_text("1,545,678.90").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(f"projects-{name}-360")


def test_the_villager_sees_which_months_reached_the_card_and_whom_to_call(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    from jingzhun.ledger.models import PaymentLine as Line
    from jingzhun.ledger.models import PaymentStatusEvent
    from jingzhun.public.actions import set_public_contact

    household = _household()
    system = Actor.system("e2e")
    set_public_contact(system, Region.objects.get(code="141130"), office="交口县民政局", phone="0358-5221234")
    for month in (5, 6):
        paid = Line.objects.create(
            household=household, program="dibao", month=dt.date(2020, month, 1), amount_fen=201000, kind="payment",
            actor_label="e2e",
        )  # fmt: skip
        if month == 5:
            PaymentStatusEvent.objects.create(line=paid, status="paid", actor_label="bank")
    token = issue_token(system, household)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/q/{token.token}/")
    months = page.locator("#months")
    months.wait_for()
    assert months.get_by_role("row").filter(has_text="2020-05").get_by_text("已到账").is_visible()
    assert months.get_by_role("row").filter(has_text="2020-06").get_by_text("待发").is_visible()
    assert months.get_by_text("8901").is_visible()
    publisher = page.locator("#publisher")
    assert publisher.get_by_text("交口县民政局 · 桃红坡镇人民政府").is_visible()
    assert publisher.get_by_role("link", name="0358-5221234").get_attribute("href") == "tel:0358-5221234"
    assert publisher.get_by_text("更新于").is_visible()
    assert "6228480012345678901" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("household-months-360")
