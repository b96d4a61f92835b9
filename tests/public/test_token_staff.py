"""Staff pages for 一码清 labels: the household page's section, revoke/reissue, label PDFs, region pages.

Personas (tests/conftest.py): alice county 离石区, tom township 信义镇, victor village 信义村, carl 帮扶 cadre
in 信义村, audrey auditor 吕梁市, zoe county 交口县, root admin.
"""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.public.actions import issue_token
from jingzhun.public.models import PublicToken

pytestmark = pytest.mark.django_db

BASE = "https://yimaqing.example.cn"


@pytest.fixture(autouse=True)
def _public_base(settings) -> None:
    settings.PUBLIC_BASE_URL = BASE


@pytest.fixture
def zhang(regions, make_household, personas):
    return make_household(regions["v11"], ["张三明", "李四芳"], assigned_cadre=personas["carl"])


@pytest.fixture
def neighbour(regions, make_household):
    """In 歧道村 (same township as 信义村, another village)."""
    return make_household(regions["v12"], ["王五强"])


def login(client: Client, personas, name: str) -> Client:
    client.force_login(personas[name])
    return client


def detail(client: Client, household) -> str:
    response = client.get(f"/households/{household.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def op(client: Client, household, name: str, reason: str | None = "门牌丢失"):
    data = {} if reason is None else {"reason": reason}
    return client.post(f"/qr/households/{household.pk}/{name}/", data)


def active(target) -> PublicToken:
    lookup = {"household": target} if hasattr(target, "household_no") else {"region": target}
    return PublicToken.objects.get(revoked_at__isnull=True, **lookup)


# ---- the section on the household page --------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "tom", "victor", "root"])
def test_writers_see_the_url_and_both_buttons(client, personas, zhang, system, name) -> None:
    token = issue_token(system, zhang)
    text = detail(login(client, personas, name), zhang)
    assert "一码清二维码" in text and f"{BASE}/q/{token.token}/" in text
    assert "作废</button>" in text and "重新生成</button>" in text and "下载门牌（PDF）" in text


def test_an_auditor_sees_the_status_and_url_but_no_buttons(client, personas, zhang, system) -> None:
    token = issue_token(system, zhang)
    text = detail(login(client, personas, "audrey"), zhang)
    assert "有效" in text and token.token in text
    assert "作废</button>" not in text and "重新生成</button>" not in text and "生成二维码</button>" not in text


def test_the_assigned_cadre_sees_their_households_label_but_no_buttons(client, personas, zhang, system) -> None:
    token = issue_token(system, zhang)
    text = detail(login(client, personas, "carl"), zhang)
    assert token.token in text and "下载门牌（PDF）" in text
    assert "作废</button>" not in text and "重新生成</button>" not in text
    assert "本村二维码与门牌" not in text  # no region pages for 帮扶 cadres


def test_a_household_without_a_token_offers_to_generate_one(client, personas, zhang) -> None:
    client = login(client, personas, "victor")
    text = detail(client, zhang)
    assert "本户当前没有有效的二维码" in text and "生成二维码</button>" in text
    assert not PublicToken.objects.exists()  # reading the page issues nothing
    response = op(client, zhang, "issue", reason=None)
    assert response.status_code == 302 and response["Location"].endswith(f"/households/{zhang.pk}/#qr")
    token = active(zhang)
    text = detail(client, zhang)
    assert f"已为户 {zhang.household_no} 生成二维码" in text and token.token in text


def test_the_local_default_base_is_flagged_on_the_page(client, personas, zhang, system, settings) -> None:
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    issue_token(system, zhang)
    assert "手机扫码打不开" in detail(login(client, personas, "victor"), zhang)


def test_the_section_never_shows_another_households_token(client, personas, zhang, neighbour, system) -> None:
    other = issue_token(system, neighbour)
    issue_token(system, zhang)
    assert other.token not in detail(login(client, personas, "victor"), zhang)


# ---- revoke and reissue ----------------------------------------------------------------------------


def test_revoke_needs_a_reason_and_then_kills_the_label(client, personas, zhang, system) -> None:
    token = issue_token(system, zhang)
    client = login(client, personas, "victor")
    assert op(client, zhang, "revoke", reason="  ").status_code == 302
    assert "请填写原因" in detail(client, zhang)
    token.refresh_from_db()
    assert token.revoked_at is None and not AuditEvent.objects.filter(action="public.revoke_token").exists()

    op(client, zhang, "revoke", reason="门牌被拍照外传")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.replaced_by is None
    audit = AuditEvent.objects.get(action="public.revoke_token")
    assert (audit.actor_label, audit.reason, audit.region_code) == ("victor", "门牌被拍照外传", "141102001001")
    text = detail(client, zhang)
    assert "已作废户" in text and "旧门牌已失效" in text and token.token not in text
    assert "本户当前没有有效的二维码（上一个二维码已于" in text and "重新生成</button>" in text
    assert client.get(f"/q/{token.token}/").status_code == 404


def test_reissue_replaces_the_label_and_shows_the_new_url(client, personas, zhang, system) -> None:
    old = issue_token(system, zhang)
    client = login(client, personas, "tom")
    op(client, zhang, "reissue", reason="门牌丢失")
    old.refresh_from_db()
    new = active(zhang)
    assert old.revoked_at is not None and old.replaced_by == new
    audit = AuditEvent.objects.get(action="public.reissue_token")
    assert audit.reason == "门牌丢失" and new.token not in str(audit.after)
    text = detail(client, zhang)
    assert "已重新生成户" in text and f"{BASE}/q/{new.token}/" in text and old.token not in text
    assert client.get(f"/q/{old.token}/").status_code == 404
    assert "户主 张*明" in client.get(f"/q/{new.token}/").content.decode()


def test_a_reason_longer_than_200_characters_is_refused(client, personas, zhang, system) -> None:
    issue_token(system, zhang)
    client = login(client, personas, "victor")
    op(client, zhang, "reissue", reason="长" * 201)
    assert PublicToken.objects.filter(household=zhang).count() == 1
    assert "原因不能超过 200 字" in detail(client, zhang)


def test_a_reason_with_a_nul_byte_is_refused(client, personas, zhang, system) -> None:
    issue_token(system, zhang)
    client = login(client, personas, "victor")
    assert op(client, zhang, "revoke", reason="丢\x00失").status_code == 302
    assert active(zhang) and "非法字符" in detail(client, zhang)


def test_a_closed_household_is_not_reissued(client, personas, regions, make_household, system) -> None:
    closed = make_household(regions["v11"], ["赵六"], active=False)
    issue_token(system, closed)
    client = login(client, personas, "victor")
    op(client, closed, "reissue")
    assert PublicToken.objects.filter(household=closed).count() == 1
    assert "已销户" in detail(client, closed)


def test_a_closed_household_can_be_revoked_but_gets_no_new_token(client, personas, regions, make_household, system):
    """The rule both the page and the view keep: no 生成 / 重新生成 for a closed household; 作废 stays."""
    closed = make_household(regions["v11"], ["赵六"], active=False)
    token = issue_token(system, closed)
    client = login(client, personas, "victor")
    text = detail(client, closed)
    assert f'action="/qr/households/{closed.pk}/revoke/"' in text and "作废</button>" in text
    assert "重新生成</button>" not in text and "生成二维码</button>" not in text and "本户已销户" in text
    op(client, closed, "revoke", reason="已销户")
    token.refresh_from_db()
    assert token.revoked_at is not None
    text = detail(client, closed)
    assert "重新生成</button>" not in text and "生成二维码</button>" not in text and "作废</button>" not in text
    op(client, closed, "issue", reason=None)
    assert "已销户，公开页不再显示，不能生成二维码" in detail(client, closed)
    assert not PublicToken.objects.filter(household=closed, revoked_at__isnull=True).exists()


@pytest.mark.parametrize("code", ["141102001001", "141102001000"])
def test_a_revoked_region_token_can_always_be_reissued(client, personas, regions, system, code) -> None:
    """A township or village has no closed state: after 作废 its page offers 重新生成, and it works."""
    region = {"141102001001": regions["v11"], "141102001000": regions["t1"]}[code]
    old = issue_token(system, region)
    client = login(client, personas, "tom")
    client.post(f"/qr/regions/{code}/revoke/", {"reason": "公示栏二维码损坏"})
    text = client.get(f"/qr/regions/{code}/").content.decode()
    assert "当前没有有效的二维码（上一个二维码已于" in text and "作废</button>" not in text
    assert f'action="/qr/regions/{code}/reissue/"' in text and "重新生成</button>" in text
    client.post(f"/qr/regions/{code}/reissue/", {"reason": "重新张贴"})
    new = active(region)
    assert new != old and new.token in client.get(f"/qr/regions/{code}/").content.decode()


@pytest.mark.parametrize("name", ["audrey", "carl"])
def test_auditors_and_assigned_cadres_get_403_and_nothing_changes(client, personas, zhang, system, name) -> None:
    token = issue_token(system, zhang)
    client = login(client, personas, name)
    for action in ("revoke", "reissue", "issue"):
        assert op(client, zhang, action).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and PublicToken.objects.count() == 1


@pytest.mark.parametrize(("name", "target"), [("victor", "neighbour"), ("zoe", "zhang"), ("carl", "other")])
def test_other_regions_and_other_cadres_households_are_404(
    client, personas, zhang, neighbour, regions, make_household, system, name, target
) -> None:
    household = {"zhang": zhang, "neighbour": neighbour, "other": make_household(regions["v11"], ["孙七"])}[target]
    token = issue_token(system, household)
    client = login(client, personas, name)
    for action in ("revoke", "reissue", "issue"):
        assert op(client, household, action).status_code == 404
    assert client.get(f"/qr/households/{household.pk}/label.pdf").status_code == 404
    assert client.get(f"/households/{household.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_users_are_sent_to_login(client, zhang, system) -> None:
    issue_token(system, zhang)
    for url in (f"/qr/households/{zhang.pk}/label.pdf", "/qr/", "/qr/regions/141102001001/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert op(client, zhang, "reissue").status_code == 302
    assert PublicToken.objects.count() == 1


def test_writes_need_post_and_the_csrf_token(personas, zhang, system) -> None:
    issue_token(system, zhang)
    client = login(Client(enforce_csrf_checks=True), personas, "victor")
    assert client.get(f"/qr/households/{zhang.pk}/reissue/").status_code == 405
    assert op(client, zhang, "reissue").status_code == 403  # no CSRF token
    assert PublicToken.objects.count() == 1


def test_an_unknown_operation_is_404(client, personas, zhang) -> None:
    assert op(login(client, personas, "victor"), zhang, "delete").status_code == 404


# ---- label PDFs -------------------------------------------------------------------------------------


def pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def decode_first_qr(pdf: bytes) -> str:
    """The first label's QR code, decoded as ``jingzhun qr labels``' tests decode (retrying a cell that
    OpenCV misses at one resolution: the tokens are random, and so is the odd miss)."""
    from tests.public.test_qr_labels import decode_labels

    found = decode_labels(pdf, 0)
    return found[0] if found else ""


@pytest.mark.parametrize("name", ["victor", "carl", "audrey"])
def test_the_household_label_pdf_holds_this_households_label(client, personas, zhang, system, name) -> None:
    token = issue_token(system, zhang)
    response = login(client, personas, name).get(f"/qr/households/{zhang.pk}/label.pdf")
    pages, text = pdf_text(response)
    assert pages == 1 and "张*明" in text and zhang.household_no in text and "张三明" not in text
    assert "attachment" in response["Content-Disposition"] and zhang.household_no in response["Content-Disposition"]
    assert decode_first_qr(response.content) == f"{BASE}/q/{token.token}/"


def test_no_label_without_an_active_token(client, personas, zhang) -> None:
    client = login(client, personas, "victor")
    response = client.get(f"/qr/households/{zhang.pk}/label.pdf")
    assert response.status_code == 302
    assert "还没有有效的二维码" in detail(client, zhang)
    assert not PublicToken.objects.exists()


# ---- township and village pages ---------------------------------------------------------------------


def test_the_index_sends_township_and_village_staff_to_their_own_page(client, personas, regions) -> None:
    assert login(client, personas, "tom").get("/qr/")["Location"] == "/qr/regions/141102001000/"
    assert login(Client(), personas, "victor").get("/qr/")["Location"] == "/qr/regions/141102001001/"
    text = login(Client(), personas, "alice").get("/qr/").content.decode()
    assert "信义镇" in text and "吴城镇" in text and "水头镇" not in text


def test_a_village_page_counts_missing_labels_and_fills_them_in(
    client, personas, regions, make_household, zhang, system
) -> None:
    make_household(regions["v11"], ["周八"])
    issue_token(system, zhang)
    client = login(client, personas, "victor")
    text = client.get("/qr/regions/141102001001/").content.decode()
    assert "在册 2 户，其中 1 户有有效的二维码" in text and "为缺少二维码的 1 户生成" in text
    assert "下载本村门牌（PDF，1 张）" in text
    client.post("/qr/regions/141102001001/ensure/")
    text = client.get("/qr/regions/141102001001/").content.decode()
    assert "已为村 信义村补齐二维码" in text and "在册 2 户，其中 2 户有有效的二维码" in text
    village_token = active(regions["v11"])
    assert f"{BASE}/q/{village_token.token}/" in text
    assert not PublicToken.objects.filter(household__village=regions["v12"]).exists()
    pages, pdf = pdf_text(client.get("/qr/regions/141102001001/labels.pdf"))
    assert pages == 1 and "张*明" in pdf and "周*八" not in pdf and "周八" not in pdf  # 2-char name: 周*
    assert "周*" in pdf


def test_a_village_token_is_revoked_and_reissued_from_its_page(client, personas, regions, system) -> None:
    old = issue_token(system, regions["v11"])
    client = login(client, personas, "tom")
    client.post("/qr/regions/141102001001/reissue/", {"reason": "公示栏二维码损坏"})
    new = active(regions["v11"])
    assert new != old
    client.post("/qr/regions/141102001001/revoke/", {"reason": "村已合并"})
    assert not PublicToken.objects.filter(region=regions["v11"], revoked_at__isnull=True).exists()
    reasons = list(AuditEvent.objects.filter(action__startswith="public.re").values_list("action", "reason"))
    assert sorted(reasons) == [("public.reissue_token", "公示栏二维码损坏"), ("public.revoke_token", "村已合并")]
    assert client.get(f"/q/{new.token}/").status_code == 404


def test_a_township_page_lists_its_villages_with_their_counts(client, personas, regions, zhang, neighbour) -> None:
    text = login(client, personas, "tom").get("/qr/regions/141102001000/").content.decode()
    assert "信义村" in text and "歧道村" in text and "吴城村" not in text
    assert "缺 1" in text


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("victor", "141102001002"),  # another village
        ("victor", "141102001000"),  # their own township: above their scope
        ("tom", "141102002001"),  # another township's village
        ("zoe", "141102001001"),  # another county
        ("carl", "141102001001"),  # 帮扶 cadres have no region pages
        ("alice", "141102"),  # a county has no token
        ("alice", "141102009009"),  # no such village
    ],
)
def test_region_pages_outside_the_scope_are_404(client, personas, regions, system, name, code) -> None:
    issue_token(system, regions["v11"]) if code == "141102001001" else None
    client = login(client, personas, name)
    assert client.get(f"/qr/regions/{code}/").status_code == 404
    assert client.get(f"/qr/regions/{code}/labels.pdf").status_code == 404
    for action in ("reissue", "revoke", "ensure", "issue"):
        assert client.post(f"/qr/regions/{code}/{action}/", {"reason": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="public.").exclude(actor_label="test").exists()


def test_an_auditor_reads_a_village_page_without_buttons_and_cannot_post(client, personas, regions, system) -> None:
    token = issue_token(system, regions["v11"])
    client = login(client, personas, "audrey")
    text = client.get("/qr/regions/141102001001/").content.decode()
    assert token.token in text and "重新生成</button>" not in text and "生成</button>" not in text
    assert client.post("/qr/regions/141102001001/reissue/", {"reason": "x"}).status_code == 403
    assert active(regions["v11"]) == token


def test_the_village_pdf_holds_the_same_labels_as_jingzhun_qr_labels(
    client, personas, regions, make_household, tmp_path
) -> None:
    """One query behind both: same households, same order, same head-name rule (a closed household, one
    whose head is gone, a revoked token, another village)."""
    from typer.testing import CliRunner

    from jingzhun.cli.qr import app
    from jingzhun.public.actions import revoke_token
    from jingzhun.registry.models import Person

    for name in ["周八", "吴九妹", "郑十"]:
        make_household(regions["v11"], [name, "配偶甲"])
    headless = make_household(regions["v11"], ["钱一"])
    Person.objects.filter(household=headless).update(status="deceased")
    make_household(regions["v11"], ["孙二"], active=False)
    make_household(regions["v12"], ["李三"])
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(app, ["labels", "--village", "141102001001", "--out", str(out), "--base", BASE])
    assert result.exit_code == 0, result.stderr
    revoked = make_household(regions["v11"], ["冯四"])
    issue_token(Actor.system("test"), revoked)
    revoke_token(Actor.system("test"), active(revoked), reason="门牌丢失")
    cli = "".join(page.extract_text() for page in PdfReader(out).pages)
    pages, staff = pdf_text(login(client, personas, "victor").get("/qr/regions/141102001001/labels.pdf"))
    assert pages == 1 and staff == cli
    heads = [line.removeprefix("户主：") for line in cli.splitlines() if line.startswith("户主：")]
    assert heads == ["周*", "吴*妹", "郑*", ""]  # by 户号; no active head, no name
    assert "孙" not in cli and "李" not in cli and "冯" not in cli and "钱" not in cli


def test_township_labels_are_downloaded_per_village(client, personas, regions) -> None:
    assert login(client, personas, "tom").get("/qr/regions/141102001000/labels.pdf").status_code == 404


def test_staff_pages_live_under_qr_and_need_a_login_while_q_stays_public_tokens_only(client, zhang) -> None:
    """A proxy can publish /q/ alone: no staff page is under it, and the staff pages ask for a login."""
    for url in ("/qr/", "/qr/regions/141102001001/", f"/qr/households/{zhang.pk}/label.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.get("/q/staff/").status_code == 404  # just an unknown token now
    assert client.get(f"/q/staff/households/{zhang.pk}/label.pdf").status_code == 404
