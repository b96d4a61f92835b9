"""Cached public pages: a page is rendered once, and any change it shows is there on the next request.

The version that keys the cached page is read by the one token query of every request (views.py), so
a new payment (a month run's lines, a reversal), a revoked or reissued token, a closed household or a
changed name, status or 帮扶责任人 is visible at once, without waiting for any cache to expire.
"""

import pytest
from django.utils import timezone

from jingzhun.public import views
from jingzhun.public.actions import ensure_tokens, issue_token, reissue_token, revoke_token
from jingzhun.public.models import new_token
from jingzhun.registry.models import Person
from tests.public.conftest import pay

YEAR = timezone.localdate().year


def url(token) -> str:
    return f"/q/{token.token}/"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The level of every page actually rendered (a cached page is not)."""
    seen: list[str] = []
    real = views._render

    def counting(found, year, projects):
        seen.append(found.level)
        return real(found, year, projects)

    monkeypatch.setattr(views, "_render", counting)
    return seen


@pytest.fixture
def household(regions, make_household):
    return make_household(regions["v11"], ["张三明", "李四芳"], cadre_name="赵帮扶", cadre_phone="13800001234")


def test_an_unchanged_page_is_rendered_once_and_served_from_the_cache(
    client, household, system, renders, django_assert_num_queries
) -> None:
    token = issue_token(system, household)
    first = client.get(url(token))
    with django_assert_num_queries(1):
        second = client.get(url(token))
    assert renders == ["household"]
    assert second.content == first.content and second.status_code == 200
    assert second["Cache-Control"] == first["Cache-Control"] == "private, max-age=60"


def test_a_new_payment_shows_on_the_next_request(client, fake_ledger, household, system, renders) -> None:
    token = issue_token(system, household)
    pay(household, "dibao", f"{YEAR}-01", "100.00")
    assert "100.00" in client.get(url(token)).content.decode()
    pay(household, "dibao", f"{YEAR}-02", "250.00")  # next month's run
    text = client.get(url(token)).content.decode()
    assert "350.00" in text
    pay(household, "dibao", f"{YEAR}-02", "-250.00")  # a reversal
    assert "350.00" not in client.get(url(token)).content.decode()
    assert len(renders) == 3


def test_another_households_payment_re_renders_but_changes_nothing(
    client, fake_ledger, regions, household, make_household, system
) -> None:
    token = issue_token(system, household)
    pay(household, "dibao", f"{YEAR}-01", "100.00")
    before = client.get(url(token)).content
    pay(make_household(regions["v11"], ["王大锤"]), "dibao", f"{YEAR}-01", "999.00")
    assert client.get(url(token)).content == before


def test_a_revoked_token_gets_the_unknown_tokens_404_on_the_next_request(client, household, system) -> None:
    token = issue_token(system, household)
    assert client.get(url(token)).status_code == 200  # now cached
    revoke_token(system, token)
    revoked, unknown = client.get(url(token)), client.get(f"/q/{new_token()}/")
    assert revoked.status_code == 404
    assert (revoked.content, dict(revoked.items())) == (unknown.content, dict(unknown.items()))


def test_after_a_reissue_the_old_label_404s_at_once_and_the_new_one_works(client, household, system) -> None:
    old = issue_token(system, household)
    assert client.get(url(old)).status_code == 200
    new = reissue_token(system, household, reason="门牌丢失")
    assert client.get(url(old)).status_code == 404
    assert "张*明" in client.get(url(new)).content.decode()


def test_a_closed_household_404s_on_the_next_request(client, household, system) -> None:
    token = issue_token(system, household)
    assert client.get(url(token)).status_code == 200
    household.active = False
    household.save()
    assert client.get(url(token)).status_code == 404


def test_household_changes_show_on_the_next_request(client, household, system) -> None:
    token = issue_token(system, household)
    assert "13800001234" in client.get(url(token)).content.decode()
    household.cadre_phone = "13900005678"
    household.status, household.registered_year = "exited_supported", 2016
    household.save()
    text = client.get(url(token)).content.decode()
    assert "13900005678" in text and "13800001234" not in text
    assert "建档立卡户 · 已脱贫（享受政策）" in text
    Person.objects.filter(household=household, relation="head").update(name="张四明")
    Person.objects.filter(household=household).exclude(relation="head").update(status="deceased")
    text = client.get(url(token)).content.decode()
    assert "张*明" in text and "1 人" in text


def test_a_village_page_shows_a_new_payment_in_the_village_at_once(
    client, fake_ledger, regions, household, system
) -> None:
    token = issue_token(system, regions["v11"])
    pay(household, "dibao", f"{YEAR}-01", "100.00")
    assert "100.00" in client.get(url(token)).content.decode()
    pay(household, "dibao", f"{YEAR}-02", "33.00")
    assert "133.00" in client.get(url(token)).content.decode()


def test_a_township_page_drops_a_revoked_village_link_at_once(client, regions, household, system) -> None:
    ensure_tokens(system, "141102001")
    township = regions["t1"].public_tokens.get()
    village = regions["v11"].public_tokens.get()
    assert f'href="/q/{village.token}/"' in client.get(url(township)).content.decode()
    revoke_token(system, village)
    text = client.get(url(township)).content.decode()
    assert f'href="/q/{village.token}/"' not in text and "<li>信义村</li>" in text
    fresh = issue_token(system, regions["v11"])
    assert f'href="/q/{fresh.token}/"' in client.get(url(township)).content.decode()


def test_a_village_page_follows_its_townships_reissued_token(client, regions, household, system) -> None:
    ensure_tokens(system, "141102001")
    village = regions["v11"].public_tokens.get()
    old = regions["t1"].public_tokens.get()
    assert f'href="/q/{old.token}/"' in client.get(url(village)).content.decode()
    new = reissue_token(system, regions["t1"])
    text = client.get(url(village)).content.decode()
    assert f'href="/q/{new.token}/"' in text and old.token not in text


def test_the_page_cache_is_bounded(settings) -> None:
    options = settings.CACHES["public"]["OPTIONS"]
    assert 0 < options["MAX_ENTRIES"] <= 50_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_database_connection_serves_the_pages_too(client, household, system) -> None:
    """The lookup is prepared once per connection on PostgreSQL: a reconnect prepares it again."""
    from django.db import connection

    token = issue_token(system, household)
    assert client.get(url(token)).status_code == 200
    connection.close()
    assert client.get(url(token)).status_code == 200
    assert client.get(f"/q/{new_token()}/").status_code == 404


def test_help_records_show_their_public_text_at_once_and_vanish_when_voided(
    client, fake_ledger, system, household, renders
) -> None:
    import datetime as dt

    from jingzhun.helping.actions import add_help_record, void_help_record

    token = issue_token(system, household)
    pay(household, "dibao", f"{YEAR}-03", "10.00")
    assert "核桃苗" not in client.get(url(token)).content.decode()
    record = add_help_record(
        system,
        household,
        date=dt.date(YEAR, 3, 1),
        kind="industry",
        content="户主腰伤，家中缺劳力，家属电话 13900000000",
        public_text="发放核桃苗 200 株",
    )
    page = client.get(url(token)).content.decode()
    assert "产业帮扶：发放核桃苗 200 株" in page
    assert "腰伤" not in page and "13900000000" not in page  # the private content never reaches the public
    void_help_record(system, record, "录错户")
    assert "核桃苗" not in client.get(url(token)).content.decode()
    assert len(renders) == 3  # each change re-rendered the page on the very next request


def test_the_pages_help_query_agrees_with_the_assistance_apps(system, household) -> None:
    import datetime as dt

    from jingzhun.helping.actions import add_help_record, void_help_record
    from jingzhun.helping.queries import public_help_measures
    from jingzhun.public.queries import help_measures

    for day, kind, text, public in (
        (3, "industry", "发放核桃苗 200 株", True),
        (5, "visit", "", True),
        (7, "employment", "安排护林员公益岗位", False),
        (9, "health", "家庭医生签约", True),
    ):
        add_help_record(
            system, household, date=dt.date(YEAR, 3, day), kind=kind, content="入户", public=public, public_text=text
        )
    add_help_record(system, household, date=dt.date(YEAR - 1, 3, 1), kind="visit", content="去年", public_text="")
    voided = add_help_record(
        system, household, date=dt.date(YEAR, 4, 1), kind="finance", content="x", public_text="贷款"
    )
    void_help_record(system, voided, "录错")
    expected = [(m.kind_label, m.text) for m in public_help_measures(household.pk, YEAR)]
    assert help_measures(household.pk, YEAR) == expected
    assert [label for label, _ in expected] == ["健康帮扶", "走访慰问", "产业帮扶"]


def test_a_health_record_shows_only_its_kind_on_the_public_page(client, fake_ledger, system, household) -> None:
    import datetime as dt

    from jingzhun.helping.actions import add_help_record

    token = issue_token(system, household)
    add_help_record(
        system,
        household,
        date=dt.date(YEAR, 2, 1),
        kind="health",
        content="协助办理慢性病门诊报销",
        public_text="慢性病门诊报销",
    )
    page = client.get(url(token)).content.decode()
    assert "健康帮扶" in page and "慢性病" not in page
