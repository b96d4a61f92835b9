"""`jingzhun qr urls`: every township, village and household as a public URL (contract in DESIGN.md)."""

import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from jingzhun.cli.qr import app
from jingzhun.public.actions import issue_token, revoke_token

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(app, ["urls", *args])


@pytest.fixture
def households(regions, make_household):
    return [make_household(regions["v11"], ["张三明"]), make_household(regions["v21"], ["李四芳"])]


def test_json_is_exactly_a_list_of_level_code_url(households) -> None:
    result = run("--format", "json")
    assert result.exit_code == 0, result.stderr
    links = json.loads(result.stdout)
    assert all(set(link) == {"level", "code", "url"} for link in links)
    assert [(link["level"], link["code"]) for link in links] == [
        ("township", "141102001000"),
        ("township", "141102002000"),
        ("township", "141130001000"),
        ("village", "141102001001"),
        ("village", "141102001002"),
        ("village", "141102002001"),
        ("village", "141130001001"),
        ("household", households[0].household_no),
        ("household", households[1].household_no),
    ]
    assert all(re.fullmatch(r"http://127\.0\.0\.1:8000/q/[A-Za-z0-9_-]{32}/", link["url"]) for link in links)


def test_missing_tokens_are_issued_first_and_kept_on_the_next_run(households) -> None:
    first = json.loads(run("--format", "json").stdout)
    assert json.loads(run("--format", "json").stdout) == first


def test_a_revoked_label_is_replaced_by_a_fresh_url(households, system) -> None:
    old = issue_token(system, households[0])
    revoke_token(system, old)
    links = json.loads(run("--village", "141102001001", "--format", "json").stdout)
    url = next(link["url"] for link in links if link["code"] == households[0].household_no)
    assert old.token not in url


def test_village_option_lists_the_village_and_its_households_only(households) -> None:
    links = json.loads(run("--village", "141102001001", "--format", "json").stdout)
    assert [(link["level"], link["code"]) for link in links] == [
        ("village", "141102001001"),
        ("household", households[0].household_no),
    ]


def test_base_option_prefixes_every_url_and_the_url_opens_the_page(client, households) -> None:
    links = json.loads(
        run("--village", "141102001001", "--base", "https://yimaqing.example.cn/", "--format", "json").stdout
    )
    assert all(link["url"].startswith("https://yimaqing.example.cn/q/") for link in links)
    path = links[1]["url"].removeprefix("https://yimaqing.example.cn")
    assert "户主 张*明" in client.get(path).content.decode()


def test_an_unknown_village_is_refused_in_chinese(households) -> None:
    result = run("--village", "141102009009", "--format", "json")
    assert result.exit_code == 1
    assert "未找到该村" in result.stderr and result.stdout == ""


def test_without_format_json_a_table_is_printed(households) -> None:
    result = run("--village", "141102001001")
    assert result.exit_code == 0
    assert "一码清公开页" in result.stdout and households[0].household_no in result.stdout


def test_without_base_the_public_base_url_setting_prefixes_every_url(households, settings) -> None:
    settings.PUBLIC_BASE_URL = "https://yimaqing.lvliang.example.cn/"
    links = json.loads(run("--format", "json").stdout)
    assert links and all(
        re.fullmatch(r"https://yimaqing\.lvliang\.example\.cn/q/[A-Za-z0-9_-]{32}/", link["url"]) for link in links
    )


def test_the_base_option_wins_over_the_setting(households, settings) -> None:
    settings.PUBLIC_BASE_URL = "https://yimaqing.lvliang.example.cn"
    links = json.loads(run("--base", "http://10.1.2.3:8000", "--format", "json").stdout)
    assert all(link["url"].startswith("http://10.1.2.3:8000/q/") for link in links)


def test_the_setting_comes_from_jingzhun_public_base_url() -> None:
    env = {**os.environ, "JINGZHUN_PUBLIC_BASE_URL": "https://qr.example.cn"}
    script = "from jingzhun.site import settings; print(settings.PUBLIC_BASE_URL)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "https://qr.example.cn"
