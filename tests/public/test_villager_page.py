"""The villager's 一码清 page (issue 15): each month's amount with 已到账 / 待发 from the ledger's bank
status, the card's last 4 digits, who publishes it, the county's 监督举报电话 (set by the county), 更新于;
the same office and phone on the door label."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import BankStatus, PaymentLine, PaymentStatusEvent
from jingzhun.public.actions import issue_token, set_public_contact
from jingzhun.public.listing import village_labels
from jingzhun.registry.models import Region

pytestmark = pytest.mark.django_db
YEAR = 2020


def line(household, program: str, month: int, fen: int) -> PaymentLine:
    return PaymentLine.objects.create(
        household=household, program=program, month=dt.date(YEAR, month, 1), amount_fen=fen, kind="payment",
        actor_label="t",
    )  # fmt: skip


def mark(line_: PaymentLine, status: str) -> None:
    PaymentStatusEvent.objects.create(line=line_, status=status, actor_label="bank")


@pytest.fixture
def paid_household(regions, make_household):
    household = make_household(regions["v11"], ["张三明", "李四芳"], bank_account="6228480012345678901")
    for month in (5, 6):
        for program, fen in (("dibao", 201000), ("dibao_classified", 44200)):
            mark(line(household, program, month, fen), BankStatus.SENT)
    for paid in PaymentLine.objects.filter(household=household, month=dt.date(YEAR, 5, 1)):
        mark(paid, BankStatus.PAID)
    line(household, "dibao", 7, 201000)  # booked, in no bank file yet
    return household


def months_table(text: str) -> str:
    start = text.index('id="months"')
    return text[start : text.index("</section>", start)]


def test_each_month_shows_its_amount_and_whether_it_reached_the_card(client, paid_household, system) -> None:
    text = client.get(f"/q/{issue_token(system, paid_household).token}/").content.decode()
    table = months_table(text)
    rows = [r for r in table.split("<tr>") if "2020-" in r]
    assert [r[r.index("2020-") : r.index("2020-") + 7] for r in rows] == ["2020-07", "2020-06", "2020-05"]
    july, june, may = rows
    assert "2,010.00" in july and "待发" in july
    assert "2,452.00" in june and "待发" in june  # 已报盘, not yet confirmed by the bank
    assert "2,452.00" in may and "已到账" in may
    assert "低保" in may and "分类施保" not in table  # merged as on the yearly table
    assert "尾号 <strong>8901</strong>" in table
    assert "6228480012345678901" not in text and "12345678901" not in text


def test_a_bank_confirmation_shows_on_the_next_visit_though_the_page_was_cached(client, paid_household, system) -> None:
    url = f"/q/{issue_token(system, paid_household).token}/"
    first = months_table(client.get(url).content.decode())
    assert first.count("已到账") == 1
    for waiting in PaymentLine.objects.filter(household=paid_household, month=dt.date(YEAR, 6, 1)):
        mark(waiting, BankStatus.PAID)
    assert months_table(client.get(url).content.decode()).count("已到账") == 2


def test_a_household_without_a_card_is_told_to_see_the_village(client, regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["王大锤"])
    line(household, "dibao", 6, 10000)
    text = client.get(f"/q/{issue_token(system, household).token}/").content.decode()
    assert "尚未登记代发银行卡" in text and "尾号" not in text


def test_the_page_names_its_publisher_phone_and_when_it_was_updated(client, paid_household, system) -> None:
    url = f"/q/{issue_token(system, paid_household).token}/"
    text = client.get(url).content.decode()
    assert "离石区民政局 · 信义镇人民政府" in text
    assert "未设置" in text and "更新于 " in text
    last = PaymentStatusEvent.objects.order_by("-at").first()
    assert last is not None
    from django.utils import timezone

    assert f"更新于 {timezone.localtime(last.at):%Y-%m-%d %H:%M}（北京时间）" in text
    set_public_contact(system, Region.objects.get(code="141102"), office="吕梁市离石区民政局", phone="0358-8221234")
    text = client.get(url).content.decode()  # the setting is in the page's version: no stale phone
    assert "吕梁市离石区民政局 · 信义镇人民政府" in text
    assert 'href="tel:0358-8221234"' in text


def test_only_the_countys_officer_or_an_administrator_sets_the_phone_and_it_is_audited(personas) -> None:
    county = Region.objects.get(code="141102")
    for login in ("tom", "victor", "carl", "audrey", "zoe"):
        with pytest.raises(PermissionDenied):
            set_public_contact(Actor.for_user(personas[login]), county, office="x民政局", phone="12345")
    alice = Actor.for_user(personas["alice"])
    with pytest.raises(ValueError, match="监督举报电话"):
        set_public_contact(alice, county, office="离石区民政局", phone="打电话")
    with pytest.raises(ValueError, match="发布单位"):
        set_public_contact(alice, county, office=" ", phone="12345")
    assert not AuditEvent.objects.filter(action="public.set_contact").exists()
    set_public_contact(alice, county, office="离石区民政局", phone="12345")
    set_public_contact(alice, county, office="离石区民政局", phone="0358-8221234")
    events = list(AuditEvent.objects.filter(action="public.set_contact").order_by("id"))
    assert [e.after["phone"] for e in events] == ["12345", "0358-8221234"]
    assert events[1].before == {"office": "离石区民政局", "phone": "12345"}


def test_the_county_officer_sets_it_on_the_qr_page(client, personas) -> None:
    client.force_login(personas["alice"])
    page = client.get("/qr/").content.decode()
    assert "发布单位与监督举报电话" in page and "离石区民政局" in page
    response = client.post("/qr/contact/141102/", {"office": "离石区民政局", "phone": "0358-1234567"}, follow=True)
    assert "已更新离石区" in response.content.decode()
    assert "0358-1234567" in client.get("/qr/").content.decode()
    bad = client.post("/qr/contact/141102/", {"office": "离石区民政局", "phone": "abc"}, follow=True)
    assert "不是电话号码" in bad.content.decode()
    client.force_login(personas["audrey"])  # the city's auditor sees the county but writes nothing
    assert "监督举报电话" not in client.get("/qr/").content.decode()
    assert client.post("/qr/contact/141102/", {"office": "x", "phone": "1"}).status_code == 403
    for outside in ("tom", "zoe"):  # a township officer, 交口县's officer: 离石区 is not theirs
        client.force_login(personas[outside])
        assert client.post("/qr/contact/141102/", {"office": "x", "phone": "1"}).status_code == 404


def test_door_labels_carry_the_office_and_phone(tmp_path, regions, make_household, system) -> None:
    from jingzhun.public.labels import write_labels

    household = make_household(regions["v11"], ["张三明"])
    issue_token(system, household)
    set_public_contact(system, Region.objects.get(code="141102"), office="离石区民政局", phone="0358-8221234")
    labels = village_labels(regions["v11"], "https://q.example.cn")
    assert [(label.office, label.phone) for label in labels] == [("离石区民政局", "0358-8221234")]
    out = tmp_path / "labels.pdf"
    write_labels(labels, out)
    text = PdfReader(out).pages[0].extract_text()
    assert "离石区民政局" in text and "0358-8221234" in text
