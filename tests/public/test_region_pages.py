"""Village (一村一码) and township (一乡一码) pages: counts, program totals, links by token only."""

import pytest
from django.utils import timezone

from jingzhun.public.actions import ensure_tokens, issue_token, revoke_token
from tests.public.conftest import pay

YEAR = timezone.localdate().year


def page(token) -> str:
    return f"/q/{token.token}/"


@pytest.fixture
def xinyi(regions, make_household):
    """信义村: two registered-poor households (one exited), one other; 信义镇 also has 歧道村."""
    make_household(regions["v11"], ["张三明", "李四芳"], registered_year=2015, status="not_exited")
    make_household(regions["v11"], ["刘保平"], registered_year=2014, status="exited_supported")
    make_household(regions["v11"], ["王大锤", "钱多多", "王小锤"])
    make_household(regions["v11"], ["已销户"], active=False)
    make_household(regions["v12"], ["赵六"], registered_year=2016, status="exited_supported", monitored=True)
    return regions["v11"]


def test_village_page_counts_households_registered_exited_and_persons(client, xinyi, system) -> None:
    text = client.get(page(issue_token(system, xinyi))).content.decode()
    assert "一村一码 · 信义村" in text
    stats = [s.split("</div>")[0] for s in text.split('class="stat">')[1:]]
    assert stats == ["3", "少于3户", "少于3户", "6"]  # 2 registered, 1 exited: too few to show
    for name in ("张", "刘保平", "王大锤", "王*锤"):
        assert name not in text


def test_village_page_links_up_to_its_township_only_by_the_townships_token(client, regions, xinyi, system) -> None:
    assert 'href="/q/' not in client.get(page(issue_token(system, xinyi))).content.decode()
    township = issue_token(system, regions["t1"])
    text = client.get(page(issue_token(system, xinyi))).content.decode()
    assert f'href="/q/{township.token}/"' in text


def test_township_page_counts_all_its_villages_and_links_each_by_its_own_token(client, regions, xinyi, system) -> None:
    ensure_tokens(system, "141102001")
    revoke_token(system, regions["v12"].public_tokens.get())
    text = client.get(page(regions["t1"].public_tokens.get())).content.decode()
    assert "一乡一码 · 信义镇" in text
    stats = [s.split("</div>")[0] for s in text.split('class="stat">')[1:]]
    assert stats == ["4", "3", "少于3户", "7"]
    v11 = regions["v11"].public_tokens.get()
    assert f'<a href="/q/{v11.token}/">信义村</a>' in text
    assert "<li>歧道村</li>" in text  # revoked: named, not linked
    assert "141102001001" not in text and "141102001002" not in text


def test_program_totals_count_recipient_households_and_sum_the_year(
    client, fake_ledger, regions, make_household, system
) -> None:
    a = make_household(regions["v11"], ["张三明"])
    b = make_household(regions["v11"], ["李四"])
    elsewhere = make_household(regions["v21"], ["吴五"])
    pay(a, "dibao", f"{YEAR}-01", "100.00")
    pay(b, "dibao", f"{YEAR}-01", "200.50")
    pay(b, "dibao", f"{YEAR}-02", "-50.00")  # a reversal nets out
    pay(b, "temporary_assistance", f"{YEAR}-03", "5000.00")
    pay(elsewhere, "dibao", f"{YEAR}-01", "777.00")
    text = client.get(page(issue_token(system, regions["v11"]))).content.decode()
    assert '<td>低保</td><td class="money">少于3户</td><td class="money">250.50</td>' in text
    assert '<td>临时救助</td><td class="money">少于3户</td><td class="money">5,000.00</td>' in text
    assert "5,250.50" in text and "777.00" not in text
    township = client.get(page(issue_token(system, regions["t1"]))).content.decode()
    assert "250.50" in township and "777.00" not in township


def test_a_group_of_one_or_two_households_shows_no_count_but_its_amount(
    client, fake_ledger, regions, make_household, system
) -> None:
    """ "生活补贴 1 户" on a village page would point at the family next door; the amount stays (the 合计 adds up)."""
    disabled = make_household(regions["v11"], ["张三明"], registered_year=2015, status="not_exited")
    pay(disabled, "disability_living", f"{YEAR}-01", "50.00")
    for name in ("李四", "王五", "赵六"):
        pay(
            make_household(regions["v11"], [name], registered_year=2015, status="not_exited"),
            "dibao",
            f"{YEAR}-01",
            "100.00",
        )
    for region in (regions["v11"], regions["t1"]):
        text = client.get(page(issue_token(system, region))).content.decode()
        assert '<td>生活补贴</td><td class="money">少于3户</td><td class="money">50.00</td>' in text
        assert '<td>低保</td><td class="money">3</td><td class="money">300.00</td>' in text
        assert "残疾" not in text and "350.00" in text
        stats = [s.split("</div>")[0] for s in text.split('class="stat">')[1:]]
        assert stats == ["4", "4", "0", "4"]  # none exited: 0 names no one


@pytest.mark.parametrize("households", [2, 40])
def test_region_pages_cost_a_few_queries_whatever_the_village_size(
    client, fake_ledger, regions, make_household, system, django_assert_max_num_queries, households
) -> None:
    for i in range(households):
        h = make_household(regions["v11" if i % 2 else "v12"], [f"张{i}明"], registered_year=2015, status="not_exited")
        pay(h, "dibao", f"{YEAR}-01", "10.00")
    ensure_tokens(system, "141102001")
    for region in (regions["v11"], regions["t1"]):
        token = region.public_tokens.get()
        # the token, two counts, the payments, the village links, the projects and their funds, and
        # the page's year (the latest month run covering it, else the ledger's latest month)
        with django_assert_max_num_queries(9):
            assert client.get(page(token)).status_code == 200


def test_a_second_visit_within_the_minute_costs_the_token_query_only(
    client, regions, xinyi, system, django_assert_num_queries
) -> None:
    ensure_tokens(system, "141102001")
    token = regions["t1"].public_tokens.get()
    first = client.get(page(token)).content
    with django_assert_num_queries(1):  # the token and the page's version; counts and links are cached
        assert client.get(page(token)).content == first
