"""What a demo visitor still saw wrong after walk8, checked on a demo built as typed (`jingzhun demo`).

1. nothing the demo records is dated after its working month 2020-07 (a public page read "2020-11 医疗救助
   已到账"); 2. the 低保名册 is the county's own enrolled 低保 households, so 低保名册 ↔ 建档立卡 shows a handful
   of 应保未保 and mismatches (a random sample gave 52 and 104 in 150 rows); 3. the county's 三率一度 page shows
   rates from a recorded 抽样核查 and 认可度调查 (it read "无数据 → 未达到"); 4. no page names POLICY.md.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HOUSEHOLDS = "1500"  # enough for the 方山 case, so the demo settles stays
SRC = Path(__file__).resolve().parents[1] / "src"


def _env(home: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("JINGZHUN_")},
        "JINGZHUN_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'demo.sqlite3'}",
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    home = tmp_path_factory.mktemp("demo9")
    cmd = [sys.executable, "-c", "from jingzhun.cli import main; main()", "demo", "--households", HOUSEHOLDS]
    built = subprocess.run(
        [*cmd, "--no-serve"], cwd=home, env=_env(home), capture_output=True, text=True, timeout=900, check=False
    )
    assert built.returncode == 0, built.stderr[-2000:]
    yield home, built.stdout


def _rows(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "demo.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_nothing_is_dated_after_the_working_month(demo: tuple[Path, str]) -> None:
    home, out = demo
    assert "已结算住院" in out, out[-2000:]
    assert _rows(home, "SELECT count(*) FROM medical_stay")[0][0] > 0
    later = _rows(
        home, "SELECT program, month, count(*) FROM ledger_paymentline WHERE month > '2020-07-31' GROUP BY 1, 2"
    )
    assert later == []
    assert _rows(home, "SELECT count(*) FROM medical_stay WHERE discharged > '2020-07-31'") == [(0,)]
    assert _rows(home, "SELECT count(*) FROM ledger_paymentline WHERE program = 'medical_assistance'")[0][0] > 0
    # and no other date the demo records (a 绩效考评 read 2020-12-15); a review *due* date is naturally later
    due = {("assistance_enrollment", "next_review_due")}
    later_dates = []
    for (table,) in _rows(home, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in _rows(home, f'PRAGMA table_info("{table}")'):
            name = str(column[1])
            if str(column[2]).lower() == "date" and (table, name) not in due:
                sql = f'SELECT count(*) FROM "{table}" WHERE "{name}" > \'2020-07-31\''
                if _rows(home, sql)[0][0]:
                    later_dates.append(f"{table}.{name}")
    assert later_dates == []


def test_the_dibao_roll_is_the_countys_own(demo: tuple[Path, str]) -> None:
    home, _ = demo
    counts = dict(_rows(home, "SELECT kind, count(*) FROM monitoring_rollfinding GROUP BY kind"))
    enrolled = _rows(home, "SELECT count(*) FROM assistance_enrollment WHERE family = 'dibao' AND status = 'active'")
    assert 0 < counts.get("unprotected", 0) <= 5, counts  # the three left off the roll
    assert 0 < counts.get("mismatch", 0) <= 8, counts  # the four wrong 保障人数/村代码 (a row may have two)
    # 2020: a household on the roll counts at the 低保 standard (4 853 元 > the 4 000 元 line): no 漏评候选
    assert counts.get("missed", 0) == 0, counts
    rows = _rows(home, "SELECT row_count FROM monitoring_deptlist WHERE source = 'dibao_roll'")
    assert rows and abs(int(rows[0][0]) - int(enrolled[0][0])) <= 5, (rows, enrolled)  # the enrolled, ±3 and +2


CLIENT = """
import json, sys
from jingzhun.cli.djsetup import setup
setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="county"))
out = {}
for url in json.loads(sys.argv[1]):
    response = client.get(url, follow=True)
    out[url] = [response.status_code, response.content.decode()]
print(json.dumps(out))
"""

PAGES = [
    "/monitoring/exit/county/141102/2020/",
    "/monitoring/exit/",
    "/monitoring/cases/",
    "/monitoring/crosscheck/",
    "/projects/pv/",
    "/",
]


def _pages(home: Path, urls: list[str]) -> dict[str, tuple[int, str]]:
    env = {**_env(home), "JINGZHUN_WORKING_MONTH": "2020-07", "JINGZHUN_ALLOWED_HOSTS": "testserver"}
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, json.dumps(urls)],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {url: (status, body) for url, (status, body) in json.loads(done.stdout.splitlines()[-1]).items()}


def test_the_county_page_shows_the_three_rates_and_approval(demo: tuple[Path, str]) -> None:
    home, _ = demo
    status, page = _pages(home, PAGES[:1])[PAGES[0]]
    assert status == 200
    assert "无数据" not in page, page
    assert re.search(r">94\.00\s*%<", page), page  # 188 of 200 approve
    assert "调查 200 人，认可 188 人" in page
    assert re.search(r">1\.00\s*%<", page), page  # 漏评率: one of the 100 other households sampled
    assert "达到贫困县退出标准" in page and "未达到" not in page, page


def test_no_page_or_template_names_policy_md(demo: tuple[Path, str]) -> None:
    home, _ = demo
    for url, (status, body) in _pages(home, PAGES).items():
        assert status == 200, url
        assert "POLICY.md" not in body and "DESIGN.md" not in body, url
    templates = [p for p in SRC.rglob("*.html") if "POLICY.md" in p.read_text() or "DESIGN.md" in p.read_text()]
    assert templates == []
