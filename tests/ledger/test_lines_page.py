"""发放明细 (``/ledger/lines/``): staff read the ledger's lines, filtered, totalled, paged and exported.

Every persona against a line of a household in their own village, a sibling village, a sibling township
and another county: each sees exactly the lines of the households they may read; the 帮扶 cadre is refused
(403); a region filter outside one's region is missing (404). The totals are the filtered set's; the
export's rows are the filtered list's rows.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import BankStatus, LineKind, PaymentLine, PaymentStatusEvent
from tests.registry.test_views_role_region_matrix import HEADS, PLACES, SEES
from tests.staff import listed

pytestmark = pytest.mark.django_db
MAY, JUNE = dt.date(2020, 5, 1), dt.date(2020, 6, 1)
# Amounts chosen so that any place's line can be told by its amount on the page.
AMOUNTS = {
    "own": 123_456,
    "own_other": 20_000,
    "sibling_village": 30_100,
    "sibling_township": 40_200,
    "other_county": 50_300,
}


def pay(household: Any, month: dt.date, fen: int, program: str = "dibao", **kw: Any) -> PaymentLine:
    return PaymentLine.objects.create(
        household=household, program=program, month=month, amount_fen=fen, kind=LineKind.PAYMENT, actor_label="t", **kw
    )


def mark(line: PaymentLine, *statuses: str) -> None:
    for status in statuses:
        PaymentStatusEvent.objects.create(line=line, status=status, actor_label="t")


@pytest.fixture
def ledger(world: dict[str, Any]) -> dict[str, PaymentLine]:
    """One June 低保补差 line per place (amounts in AMOUNTS); 'own' also has May and a 高龄补贴 line."""
    lines = {place: pay(world[place], JUNE, AMOUNTS[place]) for place in PLACES}
    lines["own_may"] = pay(world["own"], MAY, 1_000)
    lines["own_elderly"] = pay(world["own"], JUNE, 5_000, program="elderly_allowance")
    mark(lines["own"], BankStatus.SENT, BankStatus.PAID)
    mark(lines["own_other"], BankStatus.SENT)
    mark(lines["sibling_village"], BankStatus.SENT, BankStatus.RETURNED)
    return lines


def rows_of(client: Any, query: str = "") -> str:
    response = client.get(f"/ledger/lines/?{query}")
    assert response.status_code == 200
    return listed(response.content.decode())


@pytest.mark.parametrize("persona", [p for p in SEES if p != "carl"])
def test_each_reader_sees_exactly_the_lines_of_their_region(login: Any, ledger: Any, persona: str) -> None:
    rows = rows_of(login(persona), "from=2020-06")
    shown = {place for place in PLACES if HEADS[place] in rows}
    assert shown == SEES[persona]


def test_the_assigned_cadre_is_refused(login: Any, ledger: Any) -> None:
    response = login("carl").get("/ledger/lines/")
    assert response.status_code == 403
    assert HEADS["own"] not in response.content.decode()


def test_another_countys_region_is_missing(login: Any, ledger: Any, regions: Any) -> None:
    assert login("zoe").get(f"/ledger/lines/?region={regions['v11'].code}").status_code == 404
    assert login("tom").get(f"/ledger/lines/?region={regions['v21'].code}").status_code == 404
    assert login("alice").get(f"/ledger/lines/?region={regions['v91'].code}").status_code == 404


def test_the_totals_are_the_filtered_sets_in_the_money_format(login: Any, ledger: Any) -> None:
    page = login("alice").get("/ledger/lines/?from=2020-06").content.decode()
    # 离石区 in June: 1,234.56 + 200.00 + 301.00 + 402.00 + 50.00
    assert '共 <strong>5</strong> 条（4 户），合计 <span class="stat">2,187.56</span> 元' in page
    assert "1,234.56" in listed(page)
    township = login("tom").get("/ledger/lines/?from=2020-06").content.decode()  # summed the township's way
    assert '共 <strong>4</strong> 条（3 户），合计 <span class="stat">1,785.56</span> 元' in township


def test_filters_by_month_range_program_region_status_and_name(login: Any, ledger: Any, regions: Any) -> None:
    client = login("alice")
    may_to_june = rows_of(client, "from=2020-05&to=2020-06&q=刘保平")
    assert "2020-05" in may_to_june and "2020-06" in may_to_june and HEADS["own_other"] not in may_to_june
    only_june = rows_of(client, "from=2020-06&q=刘保平")
    assert "2020-05" not in only_june and "10.00" not in only_june
    elderly = rows_of(client, "from=2020-06&program=elderly_allowance")
    assert "高龄补贴" in elderly and "低保补差" not in elderly and "50.00" in elderly
    village = rows_of(client, f"from=2020-06&region={regions['v12'].code}")
    assert {p for p in PLACES if HEADS[p] in village} == {"sibling_village"}
    township = rows_of(client, f"from=2020-06&region={regions['t1'].code}")
    assert {p for p in PLACES if HEADS[p] in township} == {"own", "own_other", "sibling_village"}
    statuses = {
        "paid": {"own"},
        "sent": {"own_other"},
        "returned": {"sibling_village"},
        "pending": {"own", "sibling_township"},  # 'own' by its 高龄补贴 line
    }
    for status, places in statuses.items():
        rows = rows_of(client, f"from=2020-06&status={status}")
        assert {p for p in PLACES if HEADS[p] in rows} == places, status
    paid = rows_of(client, "from=2020-06&status=paid")
    assert "已到账" in paid and "1,234.56" in paid and "50.00" not in paid


def test_an_id_tail_finds_the_households_lines(login: Any, ledger: Any, world: Any) -> None:
    head = world["own_other"].persons.get(relation="head")
    rows = rows_of(login("alice"), f"from=2020-06&q={head.id_number[-4:]}")
    assert HEADS["own_other"] in rows and "200.00" in rows


def test_a_bad_month_or_too_long_a_range_is_named(login: Any, ledger: Any) -> None:
    client = login("alice")
    bad = client.get("/ledger/lines/?from=2020-13").content.decode()
    assert "起始月份应为 YYYY-MM" in bad and "[from]" in bad
    long = client.get("/ledger/lines/?from=2019-01&to=2020-06").content.decode()
    assert "一次最多查询 12 个月" in long
    backwards = client.get("/ledger/lines/?from=2020-06&to=2020-05").content.decode()
    assert "早于起始月份" in backwards


def test_pages_are_keyset_pages_that_cover_every_line_once(login: Any, world: Any) -> None:
    from django.contrib.auth.models import User

    from jingzhun.core.actions import Actor
    from jingzhun.ledger import lines as ledger_lines

    made = {pay(world["own_other"], JUNE, 100 + n).pk for n in range(7)} | {pay(world["own"], MAY, 1).pk}
    actor = Actor.for_user(User.objects.get(username="alice"))
    f = ledger_lines.LineFilter(first=MAY, last=JUNE)
    seen: list[int] = []
    while True:
        page = ledger_lines.page(actor, f, limit=3)
        assert page.count == 8 and len(page.rows) <= 3
        seen += [row.line.pk for row in page.rows]
        if page.next_after is None:
            break
        f = ledger_lines.LineFilter(first=MAY, last=JUNE, after=page.next_after)
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    months = [PaymentLine.objects.get(pk=pk).month for pk in seen]
    assert months == sorted(months, reverse=True)  # newest month first


def test_the_export_rows_are_the_filtered_list(login: Any, ledger: Any) -> None:
    from openpyxl import load_workbook

    client = login("tom")
    query = "from=2020-05&to=2020-06&status=pending"
    page = listed(client.get(f"/ledger/lines/?{query}").content.decode())
    response = client.get(f"/ledger/lines/?{query}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "发放明细（筛选条件：发放月份：2020-05 至 2020-06，发放状态：待发）"
    assert values[2][9] == "金额（元）" and values[2][10] == "发放状态"
    rows = values[3:]
    expected = PaymentLine.objects.filter(pk__in=[ledger["own_may"].pk, ledger["own_elderly"].pk])
    assert sorted(r[0] for r in rows) == sorted(expected.values_list("pk", flat=True))
    for row in rows:
        assert row[2] in page and row[10] == "待发"
    assert sheet.cell(row=4, column=10).number_format == "#,##0.00"
    audit = AuditEvent.objects.get(action="core.export_list")
    assert audit.after["rows"] == 2 and "发放状态：待发" in audit.after["filter"]


def test_the_nav_links_the_list_for_readers_only(login: Any, ledger: Any) -> None:
    assert 'href="/ledger/lines/"' in login("victor").get("/").content.decode()
    assert 'href="/ledger/lines/"' in login("audrey").get("/").content.decode()
    assert 'href="/ledger/lines/"' not in login("carl").get("/").content.decode()
