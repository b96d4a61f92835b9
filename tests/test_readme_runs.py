"""The README's ``jingzhun …`` lines run as a user types them (datasette's habit: documentation CI runs).

``tests/test_command_contracts.py`` checks that every line names an existing command and options; here each
command the README lists is *run*, in a fresh process started like ``uv run jingzhun`` (the console script
of this environment), on ``../shared/cases`` documents or a tiny synthetic county in ``tmp_path`` — so a
command that only works inside pytest (Django configured by pytest-django) fails here. A README command
with no run below must be named in ``NOT_RUN`` with the test that covers it instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from jingzhun.cli import app
from tests.test_command_contracts import _readme_commands

pytestmark = pytest.mark.slow

JINGZHUN = Path(sys.executable).with_name("jingzhun")  # what `uv run jingzhun` starts
CJK = re.compile(r"[\u4e00-\u9fff]")

NOT_RUN = {
    "demo": "builds the demo county and serves it: tests/test_demo.py, tests/test_demo_serves.py",
    "serve": "a server: tests/test_demo_serves.py",
    "ledger reverse": "needs a paid line: tests/ledger/",
    "ledger bank-file": "needs paid lines: tests/ledger/",
    "ledger bank-sent": "needs a bank file: tests/ledger/",
    "ledger bank-returns": "needs the bank's file: tests/ledger/",
    "ledger bank-confirm": "needs the bank's file: tests/ledger/",
    "projects synth": "run by the demo: tests/test_demo.py",
    "projects match": "needs a registered fund: tests/projects/test_ranking_cli.py",
    "points import": "tests/projects/test_points_cli.py",
    "filial import": "tests/assistance/",
    "medical import": "needs a 定点医院 on file: tests/medical/",
}


def jingzhun(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "JINGZHUN_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'readme.sqlite3'}",
        "COLUMNS": "200",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # as in a user's shell
    return subprocess.run(
        [str(JINGZHUN), *args], cwd=home, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )


def ok(home: Path, *args: str) -> str:
    done = jingzhun(home, *args)
    assert done.returncode == 0, f"jingzhun {' '.join(args)} → {done.returncode}\n{done.stderr[-3000:]}"
    return done.stdout


def refused(home: Path, *args: str, code: int = 2) -> str:
    """A bad value: the exit status, nothing on stdout, a Chinese message on stderr."""
    done = jingzhun(home, *args)
    assert done.returncode == code, f"jingzhun {' '.join(args)} → {done.returncode}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert CJK.search(done.stderr), done.stderr
    return done.stderr


def _paths(line: str) -> str:
    words = [w for w in line.split()[1:] if re.fullmatch(r"[a-z][a-z-]*", w)]
    cmd: Any = typer.main.get_command(app)
    path = []
    for word in words:
        sub = getattr(cmd, "commands", {}).get(word)
        if sub is None:
            break
        path.append(word)
        cmd = sub
    return " ".join(path)


def _cases(shared_dir: Path, home: Path) -> dict[str, Path]:
    """One document per pure command, taken from the hand-computed cases."""
    first = yaml.safe_load((shared_dir / "cases" / "entitlements.yaml").read_text())[0]
    exit_case = yaml.safe_load((shared_dir / "cases" / "exit" / "households.yaml").read_text())["cases"][1]
    monitor = yaml.safe_load((shared_dir / "cases" / "monitoring" / "assessments.yaml").read_text())["cases"][0]
    stays = yaml.safe_load((shared_dir / "cases" / "medical" / "settlements.yaml").read_text())["cases"][0]
    docs = {
        "entitle": first["input"],
        "exit": {"households": exit_case["households"]},
        "monitor": {"households": monitor["households"]},
        "stays": {"stays": stays["stays"]},
    }
    out = {}
    for name, doc in docs.items():
        out[name] = home / f"{name}.yaml"
        out[name].write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A migrated SQLite database with a 30-household synthetic 离石区 imported, as the README does it."""
    home = tmp_path_factory.mktemp("readme")
    ok(home, "migrate")
    ok(home, "synth", "--region", "141102", "--households", "30", "--seed", "7", "--out", "syn", "--departments", "3")
    ok(home, "registry", "import", "syn/regions.csv")
    assert "试运行" in ok(home, "registry", "import", "syn/households.csv", "--dry-run")
    ok(home, "registry", "import", "syn/households.csv")
    first = next(iter((home / "syn" / "households.csv").read_text(encoding="utf-8-sig").splitlines()[1:]))
    household_no, village = first.split(",")[:2]
    yield {"home": home, "household": household_no, "village": village}


def test_every_readme_command_is_run_here_or_named_with_its_other_test() -> None:
    source = Path(__file__).read_text()
    for path in sorted({_paths(line) for line in _readme_commands()}):
        words = path.split()
        called = re.search(r"\((home|tmp_path), " + ", ".join(f'"{w}"' for w in words) + r"[,)]", source)
        assert called or path in NOT_RUN, f"README's `jingzhun {path}` is neither run here nor in NOT_RUN"


def test_jingzhun_help_lists_every_command_in_chinese(tmp_path: Path) -> None:
    shown = ok(tmp_path, "--help")
    root: Any = typer.main.get_command(app)
    for name, command in root.commands.items():
        assert re.search(rf"│ {re.escape(name)} +\S", shown), f"{name} missing from jingzhun --help"
        assert CJK.search(command.help or ""), name


ENGLISH_FRAME = ("Usage:", "Options", "Arguments", "Commands", "[default", "[required]", "Show this message", "Try ")


def test_the_help_frame_is_chinese_too(tmp_path: Path) -> None:
    for args in (["--help"], ["synth", "--help"], ["ledger", "totals", "--help"], ["monitor"]):
        shown = jingzhun(tmp_path, *args)
        assert shown.returncode in (0, 2), shown.stderr
        text = shown.stdout + shown.stderr
        assert [word for word in ENGLISH_FRAME if word in text] == [], text
        assert "用法：jingzhun" in text and "显示本帮助并退出" in text
    assert "[默认：20000]" in ok(tmp_path, "demo", "--help")
    assert "[必填]" in ok(tmp_path, "ledger", "totals", "--help")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["ledger", "totals"], "缺少参数 'month'。"),
        (["ledger", "bank-file", "2020-06"], "缺少选项 '--out'。"),
        (["ledger", "totals", "2020-06", "--bogus"], "没有选项 --bogus"),
        (["demo", "--port", "abc"], "'--port' 的值无效：应为整数"),
        (["qr", "urls", "--village"], "选项 '--village' 需要一个值。"),
        (["entitle", "x.yaml", "--month", "2020-06", "extra"], "多余的参数：extra"),
        (["no-such-command"], "没有命令 'no-such-command'。"),
    ],
)
def test_typers_own_usage_errors_are_chinese_with_exit_2(tmp_path: Path, args: list[str], said: str) -> None:
    stderr = refused(tmp_path, *args)
    assert said in stderr
    assert not re.search(r"Missing|No such|Invalid value|requires an|unexpected|Error", stderr), stderr


def test_every_command_and_option_has_a_chinese_help() -> None:
    def walk(cmd: Any, path: list[str]) -> Iterator[tuple[str, str]]:
        if hasattr(cmd, "commands"):
            yield " ".join(path), cmd.help or ""
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
            return
        yield " ".join(path), cmd.help or ""
        for param in cmd.params:
            if param.name != "help":
                yield f"{' '.join(path)} {param.opts[0]}", getattr(param, "help", None) or ""

    missing = [where for where, text in walk(typer.main.get_command(app), ["jingzhun"]) if not CJK.search(text)]
    assert missing == []


def test_the_pure_commands_on_the_shared_cases(shared_dir: Path, tmp_path: Path) -> None:
    doc = _cases(shared_dir, tmp_path)
    out = json.loads(ok(tmp_path, "entitle", str(doc["entitle"]), "--month", "2020-06"))
    assert [h["id"] for h in out["households"]] == ["T1", "T2"]
    assert "怎么算的" in ok(tmp_path, "entitle", str(doc["entitle"]), "--month", "2020-06", "--format", "table")
    text = doc["entitle"].read_text()
    piped = jingzhun(tmp_path, "entitle", "-", "--month", "2020-06", "--format", "csv", stdin=text)
    assert piped.returncode == 0 and piped.stdout.startswith("household,program"), piped.stderr
    assert json.loads(ok(tmp_path, "exit", "check", str(doc["exit"]), "--year", "2019")) == {
        "year": 2019,
        "households": [{"id": "E2", "exit_ok": False, "failed": ["schooling", "medical", "water"]}],
    }
    assert "不可退出" in ok(tmp_path, "exit", "check", str(doc["exit"]), "--year", "2019", "--format", "table")
    assessed = json.loads(ok(tmp_path, "monitor", "assess", str(doc["monitor"]), "--month", "2020-06"))
    k1 = {"id": "K1", "flags": ["income_low", "income_drop", "disaster"], "level": "orange"}
    assert assessed["households"][0] == k1
    assert "预警" in ok(tmp_path, "monitor", "assess", str(doc["monitor"]), "--month", "2020-06", "--format", "table")
    settled = json.loads(ok(tmp_path, "medical", "settle", str(doc["stays"])))
    assert settled["stays"][0]["oop"] == "736.00"
    assert "0.9299" in ok(tmp_path, "medical", "settle", str(doc["stays"]), "--format", "table", "--cap-period", "stay")
    assert "参数" in ok(tmp_path, "policy", "list")
    assert '"4853"' in ok(
        tmp_path, "policy", "show", "dibao.standard.rural", "--region", "141102", "--at", "2020-06-01"
    )
    reform = tmp_path / "reform.yaml"
    change = {"parameter": "tekun.basic.rural", "from": "2020-01-01", "value": {"home": "7000", "institution": "9500"}}
    reform.write_text(yaml.safe_dump({"name": "提标", "changes": [change]}, allow_unicode=True), encoding="utf-8")
    compared = ok(tmp_path, "entitle", str(doc["entitle"]), "--month", "2020-06", "--reform", str(reform), "--compare")
    assert [h["changed"] for h in json.loads(compared)["households"]] == [["tekun_basic:T1P1"], ["tekun_basic:T2P1"]]
    assert "参数文件有效" in ok(tmp_path, "policy", "check")


def test_the_province_datasets_one_machine(tmp_path: Path) -> None:
    """README, Running at province scale: synth --province, then entitle county by county (Polars)."""
    ok(tmp_path, "synth", "--province", "3000", "--out", "province")
    (tmp_path / "cpi.yaml").write_text('"2020-06": {all: "2.5", food: "11.1"}\n', encoding="utf-8")
    batch = ("--households", "province/households", "--persons", "province/persons", "--month", "2020-06")
    ok(tmp_path, "entitle", *batch, "--cpi", "cpi.yaml", "--out", "lines")
    assert len(list((tmp_path / "lines").glob("region=*"))) == 117


def test_the_pure_commands_refuse_bad_values_with_exit_2_in_chinese(shared_dir: Path, tmp_path: Path) -> None:
    doc = _cases(shared_dir, tmp_path)
    assert "[month]" in refused(tmp_path, "entitle", str(doc["entitle"]), "--month", "2020-13")
    assert "[--format]" in refused(tmp_path, "entitle", str(doc["entitle"]), "--month", "2020-06", "--format", "xml")
    assert "[--year]" in refused(tmp_path, "exit", "check", str(doc["exit"]), "--year", "abc")
    assert "[--month]" in refused(tmp_path, "monitor", "assess", str(doc["monitor"]), "--month", "20-06")
    assert "[--cap-period]" in refused(tmp_path, "medical", "settle", str(doc["stays"]), "--cap-period", "week")
    bad = tmp_path / "bad.yaml"
    bad.write_text(doc["exit"].read_text().replace("1975-07-07", "1975-17-07"), encoding="utf-8")
    assert "成员 E2a，出生日期 [birth_date]" in refused(tmp_path, "exit", "check", str(bad), "--year", "2019")
    assert "[NAME]" in refused(tmp_path, "policy", "show", "no.such.parameter")


def test_templates_are_written(county: dict[str, Any]) -> None:
    home = county["home"]
    ok(home, "registry", "template", "registry.xlsx")
    ok(home, "projects", "template", "projects.xlsx")
    ok(home, "pv", "template", "pv.xlsx")  # needed Django set up; failed outside pytest
    for name in ("registry", "projects", "pv"):
        assert (home / f"{name}.xlsx").read_bytes().startswith(b"PK")


def test_the_registry_and_month_commands(county: dict[str, Any]) -> None:
    home = county["home"]
    stats = json.loads(ok(home, "registry", "stats", "--format", "json"))
    assert stats["households"] == 30
    assert "在册户" in ok(home, "registry", "stats")
    assert "[--format]" in refused(home, "registry", "stats", "--format", "xml")
    again = jingzhun(home, "registry", "import", "syn/households.csv")
    assert again.returncode == 1 and "第2行 [户编号]" in again.stderr  # already on file: refused, row named
    ok(home, "ledger", "cpi", "set", "2020-06", "--all-items", "2.5", "--food", "11.1", "--source", "测试")
    assert json.loads(ok(home, "ledger", "cpi", "list", "--format", "json"))[0]["food"] == "11.1"
    ok(home, "run-month", "2020-06", "--dry-run")
    ok(home, "run-month", "2020-06", "--region", "141102")
    totals = json.loads(ok(home, "ledger", "totals", "2020-06", "--format", "json"))
    assert set(totals) == {"lines", "households", "amount", "by_program"}
    for out in ("report.xlsx", "report.pdf"):
        ok(home, "report", "month", "2020-06", "--out", out)
        assert (home / out).stat().st_size > 0
    ok(home, "ledger", "statement", county["household"], "--out", "statement.pdf")
    assert (home / "statement.pdf").read_bytes().startswith(b"%PDF")


def test_the_qr_commands(county: dict[str, Any]) -> None:
    home, village, household = county["home"], county["village"], county["household"]
    urls = json.loads(ok(home, "qr", "urls", "--village", village, "--format", "json"))
    assert {u["level"] for u in urls} == {"village", "household"}
    assert "[--format]" in refused(home, "qr", "urls", "--format", "xml")
    ok(home, "qr", "labels", "--village", village, "--out", "labels.pdf")
    assert (home / "labels.pdf").read_bytes().startswith(b"%PDF")
    ok(home, "qr", "revoke", household, "--reason", "门牌丢失")
    assert "/q/" in ok(home, "qr", "reissue", household, "--reason", "补发门牌", "--base", "https://qr.example.cn")


def test_the_project_pv_and_points_commands(county: dict[str, Any]) -> None:
    home, village = county["home"], county["village"]
    ok(home, "projects", "template", "projects.xlsx")
    assert "检查通过" in ok(home, "projects", "import", "projects.xlsx", "--dry-run")
    ranked = json.loads(ok(home, "projects", "rank", "--county", "141102", "--year", "2020", "--format", "json"))
    assert isinstance(ranked, list)
    assert "[--format]" in refused(home, "projects", "rank", "--county", "141102", "--year", "2020", "--format", "x")
    ok(home, "pv", "template", "pv.xlsx")
    pv = jingzhun(home, "pv", "import", "pv.xlsx", "--dry-run")  # the template's example row names its village
    assert pv.returncode in (0, 1) and "Traceback" not in pv.stderr, pv.stderr[-2000:]
    assert json.loads(ok(home, "pv", "report", "--year", "2019", "--format", "json"))["year"] == 2019
    assert "积分" in ok(home, "points", "statement", "--village", village, "--month", "2020-06")


def test_the_monitoring_commands(county: dict[str, Any]) -> None:
    home = county["home"]
    checked = json.loads(ok(home, "exit-db", "check", "--year", "2020", "--region", "141102", "--format", "json"))
    assert checked["year"] == 2020
    run = json.loads(ok(home, "monitor", "run", "2020-06", "--region", "141102", "--format", "json"))
    assert run["assessed"] == 30
    vehicle = "syn/departments/vehicle.csv"
    dated = ("--source", "vehicle", "--as-of", "2020-06-30")
    assert "试运行" in ok(home, "crosscheck", "import", vehicle, *dated, "--dry-run")
    ok(home, "crosscheck", "import", vehicle, *dated)
    assert "[--as-of]" in refused(home, "crosscheck", "import", vehicle, "--source", "vehicle", "--as-of", "2020-06-31")
    hits = json.loads(ok(home, "crosscheck", "run", "--source", "vehicle", "--format", "json"))["hits"]
    assert all(h["source"] == "vehicle" and h["row"] >= 2 for h in hits)
    ok(home, "dashboard", "refresh")
    assert "慢性病门诊 0 笔" in ok(home, "insurance", "chronic-supplements", "--year", "2019")
