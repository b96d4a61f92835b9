"""`jingzhun qr revoke` / `qr reissue`, and the warning when QR codes would point at this machine."""

import json

import pytest
from typer.testing import CliRunner

from jingzhun.cli.qr import app
from jingzhun.core.models import AuditEvent
from jingzhun.public.actions import issue_token
from jingzhun.public.listing import is_local
from jingzhun.public.models import PublicToken

pytestmark = pytest.mark.django_db

BASE = "https://yimaqing.example.cn"
LOCAL_WARNING = "注意：二维码地址是本机地址"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def households(regions, make_household):
    return [make_household(regions["v11"], ["张三明"]), make_household(regions["v11"], ["李四芳"])]


def active(**lookup) -> PublicToken:
    return PublicToken.objects.get(revoked_at__isnull=True, **lookup)


# ---- revoke -----------------------------------------------------------------------------------------


def test_revoke_a_household_label_with_its_reason(client, households, system) -> None:
    token = issue_token(system, households[0])
    result = run("revoke", households[0].household_no, "--reason", "门牌被拍照外传")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "已作废户" in result.stderr and "旧门牌已失效" in result.stderr
    token.refresh_from_db()
    assert token.revoked_at is not None and token.replaced_by is None
    audit = AuditEvent.objects.get(action="public.revoke_token")
    assert (audit.actor_label, audit.reason) == ("jingzhun qr revoke", "门牌被拍照外传")
    assert client.get(f"/q/{token.token}/").status_code == 404


def test_revoke_a_village_token_by_its_code(regions, system) -> None:
    token = issue_token(system, regions["v11"])
    result = run("revoke", "141102001001", "--reason", "村公示栏二维码被篡改")
    assert result.exit_code == 0, result.stderr
    assert "村 信义村" in result.stderr
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoke_without_an_active_token_says_so(households) -> None:
    result = run("revoke", households[0].household_no, "--reason", "门牌丢失")
    assert result.exit_code == 1 and "当前没有有效的二维码" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["revoke", "1411020019999999", "--reason", "x"], "未找到户号或区域代码 1411020019999999"),
        (["revoke", "141102", "--reason", "x"], "一码清只为乡镇、村和户生成二维码"),
        (["revoke", "141102001001", "--reason", "  "], "请用 --reason 写明原因"),
        (["reissue", "1411020019999999", "--reason", "x"], "未找到户号或区域代码"),
        (["reissue", "141102001001"], "请用 --reason 写明原因"),
        (["reissue", "--reason", "x"], "二者选一"),
        (["reissue", "141102001001", "--village", "141102001001", "--reason", "x"], "二者选一"),
        (["reissue", "--village", "141102009009", "--reason", "x"], "未找到该村"),
        (["reissue", "--village", "141102001002", "--reason", "x"], "没有在册户"),
    ],
)
def test_errors_are_chinese_with_exit_code_1_and_nothing_changes(households, system, args, message) -> None:
    token = issue_token(system, households[0])
    result = run(*args)
    assert result.exit_code == 1 and message in result.stderr and result.stdout == ""
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action__in=["public.revoke_token", "public.reissue_token"]).exists()


def test_revoke_requires_the_reason_option(households) -> None:
    result = run("revoke", households[0].household_no)
    assert result.exit_code == 2 and "--reason" in result.stderr


# ---- reissue ----------------------------------------------------------------------------------------


def test_reissue_prints_the_new_url_that_opens_the_page(client, households, system) -> None:
    old = issue_token(system, households[0])
    result = run("reissue", households[0].household_no, "--reason", "门牌丢失", "--base", BASE)
    assert result.exit_code == 0, result.stderr
    new = active(household=households[0])
    assert result.stdout == f"{households[0].household_no}\t{BASE}/q/{new.token}/\n"
    assert "旧门牌已失效" in result.stderr and "jingzhun qr labels --village 141102001001" in result.stderr
    assert LOCAL_WARNING not in result.stderr
    old.refresh_from_db()
    assert old.replaced_by == new
    assert client.get(f"/q/{old.token}/").status_code == 404
    assert "户主 张*明" in client.get(f"/q/{new.token}/").content.decode()
    assert AuditEvent.objects.get(action="public.reissue_token").reason == "门牌丢失"


def test_reissue_a_household_without_a_token_issues_one(households) -> None:
    result = run("reissue", households[1].household_no, "--reason", "补发", "--base", BASE)
    assert result.exit_code == 0, result.stderr
    assert active(household=households[1]).token in result.stdout


def test_reissue_a_township_token(regions, system, settings) -> None:
    settings.PUBLIC_BASE_URL = BASE
    old = issue_token(system, regions["t1"])
    result = run("reissue", "141102001000", "--reason", "二维码损坏")
    assert result.exit_code == 0, result.stderr
    new = active(region=regions["t1"])
    assert new != old and result.stdout == f"141102001000\t{BASE}/q/{new.token}/\n"


def test_reissue_a_whole_village_prints_every_households_new_url(households, regions, make_household, system) -> None:
    closed = make_household(regions["v11"], ["赵六"], active=False)
    elsewhere = make_household(regions["v12"], ["王五"])
    olds = [issue_token(system, h) for h in [*households, elsewhere]]
    village = issue_token(system, regions["v11"])
    result = run("reissue", "--village", "141102001001", "--reason", "全村门牌被雨水损坏", "--base", BASE)
    assert result.exit_code == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    expected = [[h.household_no, f"{BASE}/q/{active(household=h).token}/"] for h in households]
    assert lines == sorted(expected)
    assert "村 信义村 的 2 户" in result.stderr
    for old in olds[:2]:
        old.refresh_from_db()
        assert old.revoked_at is not None
    assert active(household=elsewhere) == olds[2]
    assert active(region=regions["v11"]) == village  # the village's own token stays
    assert not PublicToken.objects.filter(household=closed).exists()
    assert AuditEvent.objects.filter(action="public.reissue_token").count() == 2


def test_a_closed_household_is_not_reissued(regions, make_household, system) -> None:
    closed = make_household(regions["v11"], ["赵六"], active=False)
    result = run("reissue", closed.household_no, "--reason", "x")
    assert result.exit_code == 1 and "已销户" in result.stderr
    assert not PublicToken.objects.exists()


# ---- the loopback warning ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000/", True),
        ("http://app.localhost", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("127.0.0.1:8000", True),
        ("https://yimaqing.example.cn", False),
        ("http://10.1.2.3:8000", False),
        ("http://192.168.1.20", False),
    ],
)
def test_is_local(base, local) -> None:
    assert is_local(base) is local


def test_urls_json_warns_on_stderr_and_keeps_stdout_pure_json(households, settings) -> None:
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    result = run("urls", "--village", "141102001001", "--format", "json")
    assert result.exit_code == 0
    assert (
        "注意：二维码地址是本机地址 http://127.0.0.1:8000，手机扫码打不开；"
        "正式打印请加 --base 或设置 JINGZHUN_PUBLIC_BASE_URL。" in result.stderr
    )
    links = json.loads(result.stdout)
    assert [link["level"] for link in links] == ["village", "household", "household"]


def test_urls_with_a_public_base_do_not_warn(households) -> None:
    result = run("urls", "--village", "141102001001", "--format", "json", "--base", BASE)
    assert result.exit_code == 0 and result.stderr == ""


def test_labels_warn_about_a_local_base_but_still_print(tmp_path, households, settings) -> None:
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    out = tmp_path / "labels.pdf"
    result = run("labels", "--village", "141102001001", "--out", str(out))
    assert result.exit_code == 0 and out.is_file()
    assert LOCAL_WARNING in result.stderr and "http://localhost:8000" in result.stderr
    result = run("labels", "--village", "141102001001", "--out", str(out), "--base", BASE)
    assert result.exit_code == 0 and LOCAL_WARNING not in result.stderr
