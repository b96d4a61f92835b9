"""The household page (一户一码): what a neighbour scanning the door label sees, and what never shows."""

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.public.actions import issue_token
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import IncomeRecord, Person
from tests.public.conftest import pay

YEAR = timezone.localdate().year


def url(token) -> str:
    return f"/q/{token.token}/"


@pytest.fixture
def zhang(regions, make_household):
    """张三明's household in 信义村 with every private fact filled in."""
    household = make_household(
        regions["v11"],
        ["张三明", "李四芳", "张小宝"],
        registered_year=2015,
        status="not_exited",
        bank_name="中国农业银行",
        bank_account="6228480012345678901",
        cadre_name="赵帮扶",
        cadre_phone="13800001234",
        poverty_causes=["illness"],
        address="信义村三组12号",
    )
    Person.objects.filter(household=household, name="李四芳").update(
        disability_grade=2, disability_category="physical", chronic_diseases=["高血压", "糖尿病"]
    )
    for person in household.persons.all():
        IncomeRecord.objects.create(person=person, year=YEAR - 1, wages_fen=1234567, farming_fen=765432)
    return household


def test_household_page_shows_masked_head_place_size_status_and_cadre(client, zhang, system) -> None:
    response = client.get(url(issue_token(system, zhang)))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ["户主 张*明", "信义镇 信义村", "3 人", "建档立卡户 · 未脱贫", "赵帮扶", "13800001234"]:
        assert shown in text
    assert "暂无项目信息" in text


def test_household_page_never_shows_ids_bank_health_disability_income_or_neighbours(
    client, regions, zhang, make_household, system
) -> None:
    make_household(regions["v11"], ["王大锤", "钱多多"])
    text = client.get(url(issue_token(system, zhang))).content.decode()
    private = ["张三明", "李四芳", "张小宝", "王大锤", "钱多多", "王*锤", "信义村三组12号", "因病"]
    private += ["6228480012345678901", "中国农业银行", "肢体", "残疾等级", "二级", "高血压", "糖尿病"]
    private += ["12345.67", "12,345.67", "7654.32", "7,654.32", "1234567", "收入"]
    for person in zhang.persons.all():
        private += [person.id_number, mask_id_number(person.id_number), person.id_number[-6:]]
    leaked = [p for p in private if p in text]
    assert leaked == []


def test_household_page_has_no_link_to_any_other_household(client, regions, zhang, make_household, system) -> None:
    neighbour = make_household(regions["v11"], ["王大锤"])
    other = issue_token(system, neighbour)
    text = client.get(url(issue_token(system, zhang))).content.decode()
    assert other.token not in text
    assert text.count("/q/") == 0


def test_exited_household_says_so_in_words(client, regions, make_household, system) -> None:
    household = make_household(
        regions["v11"], ["刘保平"], registered_year=2014, status="exited_supported", status_date=dt.date(2018, 11, 30)
    )
    text = client.get(url(issue_token(system, household))).content.decode()
    assert "建档立卡户 · 已脱贫（享受政策） · 2018年脱贫" in text  # the 户状态 as staff pages say it


def test_a_household_outside_the_register_is_not_called_poor(client, regions, make_household, system) -> None:
    text = client.get(url(issue_token(system, make_household(regions["v11"], ["王大锤"])))).content.decode()
    assert "非建档立卡户" in text


def test_without_payments_this_year_the_page_says_none_yet(client, zhang, system) -> None:
    text = client.get(url(issue_token(system, zhang))).content.decode()
    assert f"{YEAR}年暂无发放记录" in text


def test_public_pages_are_not_indexed_leak_no_referrer_and_cache_briefly(client, zhang, system) -> None:
    response = client.get(url(issue_token(system, zhang)))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, max-age=60"


def test_public_page_shows_no_staff_navigation_even_to_a_signed_in_officer(client, personas, zhang, system) -> None:
    client.force_login(personas["alice"])
    text = client.get(url(issue_token(system, zhang))).content.decode()
    assert "alice" not in text and "退出" not in text and "修改密码" not in text


def test_posting_to_a_public_page_is_refused(client, zhang, system) -> None:
    assert client.post(url(issue_token(system, zhang))).status_code == 405


def test_this_years_payments_are_listed_per_program_in_yuan(
    client, fake_ledger, regions, make_household, system
) -> None:
    household = make_household(regions["v11"], ["张三明"], cadre_name="赵帮扶")
    for month in ("01", "02"):
        pay(household, "dibao", f"{YEAR}-{month}", "2010.00")
        pay(household, "dibao_classified", f"{YEAR}-{month}", "442.00")
    pay(household, "disability_living", f"{YEAR}-02", "50.00")
    pay(household, "dibao", f"{YEAR - 1}-12", "9999.00")  # last year: not shown
    text = client.get(url(issue_token(system, household))).content.decode()
    assert "低保" in text and "4,904.00" in text  # 低保 with its 分类施保 (whose rate would tell a grade)
    assert "分类施保" not in text and "884.00" not in text
    assert "生活补贴" in text and "50.00" in text and "残疾" not in text  # no passer-by learns of a disability
    assert "4,954.00" in text  # 合计
    assert "9,999.00" not in text
    assert "低保兜底保障" in text and "<li>生活补贴</li>" in text  # 帮扶措施


def test_household_page_costs_the_same_few_queries_however_much_was_paid(
    client, fake_ledger, regions, make_household, system, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    household = make_household(regions["v11"], ["张三明", "李四芳", "张小宝", "张小贝"])
    for month in range(1, 13):
        for program in ("dibao", "dibao_classified", "elderly_allowance", "price_subsidy"):
            pay(household, program, f"{YEAR}-{month:02d}", "10.00")
    token = issue_token(system, household)
    # the token, the year of the ledger's latest month (once per ledger version), the payments, the
    # household's public 帮扶记录, the projects
    with django_assert_max_num_queries(5):
        response = client.get(url(token))
    assert response.status_code == 200 and "480.00" in response.content.decode()
    with django_assert_num_queries(1):  # the token (and the page's version): the page itself is cached
        again = client.get(url(token))
    assert again.content == response.content


def test_the_page_shows_the_year_of_the_ledgers_latest_month(
    client, fake_ledger, regions, make_household, system
) -> None:
    """Before the first run of a new year (or in the 2020 demo) the page shows the last paid year, not an empty one."""
    household = make_household(regions["v11"], ["张三明", "李四芳"])
    pay(household, "dibao", f"{YEAR - 3}-11", "10.00")
    pay(household, "dibao", f"{YEAR - 3}-12", "12.50")
    page = client.get(url(issue_token(system, household))).content.decode()
    assert f"{YEAR - 3}年" in page and "22.50" in page
    assert f"{YEAR}年暂无发放记录" not in page


def test_a_run_of_another_township_does_not_turn_this_page_to_its_new_year(
    client, regions, make_household, system
) -> None:
    """Pages follow the latest month run that covered their own village, not the whole ledger's."""
    import datetime as dt

    from jingzhun.ledger.models import MonthRun, PaymentLine, RunKind, RunSnapshot

    household = make_household(regions["v11"], ["张三明"])
    snapshot = RunSnapshot.objects.create(sha256="0" * 64, data=b"", size=0)
    now = dt.datetime.now(dt.UTC)

    def run(month: dt.date, scope: str) -> None:
        MonthRun.objects.create(
            month=month,
            region_prefix=scope,
            kind=RunKind.REGULAR,
            started_at=now,
            finished_at=now,
            actor_label="t",
            inputs_sha256="0" * 64,
            snapshot=snapshot,
            lines_added=1,
            amount_added_fen=1000,
            households=1,
            total_fen=1000,
        )

    run(dt.date(YEAR - 2, 12, 1), "")  # the whole city paid December
    PaymentLine.objects.create(
        household=household,
        program="dibao",
        month=dt.date(YEAR - 2, 12, 1),
        amount_fen=1250,
        kind="payment",
        actor_label="t",
    )
    neighbour = make_household(regions["v21"], ["李四芳"])  # 吴城镇, another township: it ran January
    run(dt.date(YEAR - 1, 1, 1), regions["t2"].code[:9])
    PaymentLine.objects.create(
        household=neighbour,
        program="dibao",
        month=dt.date(YEAR - 1, 1, 1),
        amount_fen=900,
        kind="payment",
        actor_label="t",
    )
    page = client.get(url(issue_token(system, household))).content.decode()
    assert f"{YEAR - 2}年享受的补助" in page and "12.50" in page
