"""`jingzhun demo`: a fresh database with a synthetic county, demo logins for every role.

Steps: reset the database named by DATABASE_URL (the SQLite file is removed; PostgreSQL is flushed),
migrate, synthesise the county into ``var/demo/``, import it through the same importer as
``jingzhun registry import``, record 1–3 帮扶记录 per registered-poor household (2019–2020),
synthesise the villages' projects and funds and import them through
``jingzhun projects import``'s importer, enrol the eligible households (存量迁入, as when a county moves its
existing roll into the system), run the month ``DEMO_MONTH`` into the ledger, and create one login per
role with a random password that is printed and written to ``var/demo-logins.txt``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from jingzhun.core.actions import Actor

console = Console()

DEMO_COUNTY = "141102"  # 离石区
# the demo's 交口县 (一保通): 2 700 households at the default 20 000 of 离石 — a tenth of 交口's 27 000
JIAOKOU_PER_HOUSEHOLD = 2_700 / 20_000


def jiaokou_households(households: int) -> int:
    return max(20, round(households * JIAOKOU_PER_HOUSEHOLD))


DEMO_MONTH = "2020-06"  # the last full year of the 2015–2020 program, with every parameter in force
# The demo works in the month after its last run (``JINGZHUN_WORKING_MONTH``, core/workday.py): a new
# application started today can be approved and paid in the demo's next run, 2020-07.
DEMO_WORKING_MONTH = "2020-07"
# 价格临时补贴 needs the month's CPI rises (POLICY.md price_subsidy: data, not code). The demo enters the
# national figures for June 2020 (国家统计局: 居民消费价格同比上涨 2.5 %，食品价格上涨 11.1 %); a county
# enters its own with `jingzhun ledger cpi set`.
DEMO_CPI = {"all_items": "2.5", "food": "11.1", "source": "演示数据：国家统计局 2020 年 6 月全国居民消费价格同比"}


def demo_working_day() -> dt.date:
    """The demo's working day: today in the working month (``DEMO_WORKING_MONTH`` unless another is set).
    Nothing the demo records is dated after it (walk: a public page showed "2020-11 医疗救助 已到账")."""
    from jingzhun.core import workday
    from jingzhun.policy.working_month import parse_month, working_day

    if workday.working_month() is not None:
        return workday.today()
    return working_day(parse_month(DEMO_WORKING_MONTH), dt.date.today())


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    region: str


def _reset_database() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        connection.close()
        path = Path(str(db["NAME"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        # flush also empties the regions the migration seeded
        from jingzhun.registry import regions_seed
        from jingzhun.registry.models import Region

        regions_seed.seed(Region)


def _create_logins(county: str) -> list[DemoLogin]:
    from jingzhun.core.actions import Actor
    from jingzhun.core.models import Role
    from jingzhun.registry.staff_actions import create_staff_logins

    village = _busiest_village(county)
    township = village.parent if village else None
    plan = [
        ("admin", Role.ADMIN, "141100"),
        ("county", Role.COUNTY_OFFICER, county),
        ("township", Role.TOWNSHIP_OFFICER, township.code if township else county),
        ("village", Role.VILLAGE_CADRE, village.code if village else county),
        ("cadre", Role.ASSIGNED_CADRE, village.code if village else county),
        ("auditor", Role.AUDITOR, "141100"),
    ]
    logins = [DemoLogin(username, secrets.token_urlsafe(9), str(role.label), code) for username, role, code in plan]
    create_staff_logins(
        Actor.system("demo"),
        [(lo.username, lo.password, role, lo.region) for lo, (_, role, _) in zip(logins, plan, strict=True)],
    )
    return logins


def _busiest_village(county: str) -> Any:
    """The village with the most 建档立卡 households (ties: lowest code), so the village and 帮扶 logins
    have families to look after — the district's first codes are urban 社区 without any."""
    from django.db.models import Count

    from jingzhun.registry.models import Household, Region

    top = (
        Household.objects.filter(village__code__startswith=county, registered_year__isnull=False, active=True)
        .values("village")
        .annotate(n=Count("id"))
        .order_by("-n", "village__code")
        .first()
    )
    if top is None:
        return Region.objects.filter(level="village", code__startswith=county).order_by("code").first()
    return Region.objects.select_related("parent").get(pk=top["village"])


def _issue_public_codes(actor: Any) -> None:
    """一码清: a QR token for every township, village and household, and two addresses to open — the
    logins' village and one of its households paid this month (``jingzhun qr urls`` lists them all)."""
    from django.conf import settings

    from jingzhun.ledger.models import PaymentLine
    from jingzhun.public.actions import ensure_tokens, set_public_contact
    from jingzhun.public.listing import page_url
    from jingzhun.public.models import PublicToken
    from jingzhun.registry.models import Region

    county = Region.objects.get(code=DEMO_COUNTY)
    # 发布单位 and 监督举报电话 on the pages and door labels: the county's 民政局 and 12345, the 政务服务便民热线
    set_public_contact(actor, county, office=f"{county.name}民政局", phone="12345")
    made = ensure_tokens(actor, DEMO_COUNTY)
    village = _busiest_village(DEMO_COUNTY)
    paid = (
        PaymentLine.objects.filter(household__village=village, month=dt.date.fromisoformat(f"{DEMO_MONTH}-01"))
        .order_by("household__household_no")
        .values_list("household", flat=True)
        .first()
    )
    active = PublicToken.objects.filter(revoked_at__isnull=True)
    base = settings.PUBLIC_BASE_URL
    console.print(f"已生成一码清二维码 {made.total} 个（乡镇、村、户）。打开看看：")
    village_token = active.filter(region=village).values_list("token", flat=True).first()
    if village_token:
        console.print(f"  村 {village.name}：{page_url(base, village_token)}")
    household_token = active.filter(household_id=paid).values_list("token", flat=True).first() if paid else None
    if household_token:
        console.print(f"  户（本月有发放）：{page_url(base, household_token)}")
    console.print("  全部网址：uv run jingzhun qr urls")
    console.print("  门牌 PDF：uv run jingzhun qr labels --village 村代码 --out 门牌.pdf（或在「一码清」页面下载）")


def _print_logins(logins: list[DemoLogin], var_dir: Path) -> None:
    table = Table(title="演示账号（密码每次生成，已写入 var/demo-logins.txt）")
    for col in ("用户名", "密码", "角色", "区域代码"):
        table.add_column(col)
    for lo in logins:
        table.add_row(lo.username, lo.password, lo.role, lo.region)
    console.print(table)
    lines = [f"{lo.username}\t{lo.password}\t{lo.role}\t{lo.region}" for lo in logins]
    (var_dir / "demo-logins.txt").write_text("用户名\t密码\t角色\t区域代码\n" + "\n".join(lines) + "\n")


def import_demo_projects(regions_path: Path, households_path: Path, seed: int, actor: Actor) -> str:
    """The synthetic county's projects (``projects.csv`` beside the registry files), imported all or nothing."""
    from jingzhun.projects.importer import import_file
    from jingzhun.synth.projects import generate_projects

    path = regions_path.parent / "projects.csv"
    generate_projects(regions_path, seed, path, households_path=households_path)
    report = import_file(path, actor=actor)
    if report.errors:
        for err in report.errors[:20]:
            console.print(f"[red]{err}")
        raise SystemExit(f"演示数据导入失败：{path}")
    from jingzhun.policy.money import fen_to_grouped

    funds = f"资金 {report.allocations} 笔，共 {fen_to_grouped(report.amount_fen)} 元"
    return f"已导入 {path.name}：项目 {report.projects} 个，{funds}"


def _demo_settlements(actor: Actor, households_path: Path, seed: int) -> None:
    from jingzhun.medical.demo_data import build_demo_settlements
    from jingzhun.policy.money import fen_to_grouped

    year = int(DEMO_MONTH[:4])
    until = demo_working_day()
    started = time.perf_counter()
    with console.status(f"住院一站式结算（{year} 年，截至 {until}）…"):
        made = build_demo_settlements(actor, households_path, year, seed, until=until)
    if not made.stays:
        console.print("合成县户数太少，放不下方山算例，未生成住院结算（默认 20 000 户时生成）。")
        return
    ratio = f"{made.average_ratio:.2%}" if made.average_ratio is not None else "—"
    console.print(
        f"已结算住院 {made.stays} 人次（{year} 年 1 月至 {until} 出院）："
        f"医疗救助 {fen_to_grouped(made.assistance_fen)} 元，"
        f"“136”兜底 {fen_to_grouped(made.cap136_fen)} 元；建档立卡省内住院 {made.poor_in_province} 人次，"
        f"平均实际报销比例 {ratio}（{time.perf_counter() - started:.1f} 秒）"
    )


def _demo_jiaokou(actor: Actor, households: int, seed: int, out_dir: Path) -> None:
    from jingzhun.insurance.demo_data import YEAR, build_demo_jiaokou
    from jingzhun.policy.money import fen_to_grouped

    started = time.perf_counter()
    with console.status(f"生成合成县 交口县（{households} 户）及其一保通（{YEAR} 年）…"):
        made = build_demo_jiaokou(actor, households, seed, out_dir)
    console.print(
        f"一保通 交口县 {YEAR} 年：参保 {made.households} 户，保费 {fen_to_grouped(made.premiums_fen)} 元，"
        f"赔付 {fen_to_grouped(made.claims_fen)} 元，赔付率 {made.loss_ratio}，获赔 {made.households_paid} 户"
        f"（{time.perf_counter() - started:.1f} 秒）"
    )


def build_demo(*, households: int, seed: int) -> list[DemoLogin]:
    from jingzhun.cli.djsetup import setup

    setup()
    from django.conf import settings

    from jingzhun.core.actions import Actor
    from jingzhun.registry.importer import import_file
    from jingzhun.synth.generate import generate_county

    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with console.status("重建数据库…"):
        _reset_database()
    with console.status(f"生成合成县 离石区（{households} 户）…"):
        synth = generate_county(DEMO_COUNTY, households, seed, var_dir / "demo")
    actor = Actor.system("demo")
    for path in (synth.regions_path, synth.households_path):
        report = import_file(path, actor=actor)
        if report.errors:
            for err in report.errors[:20]:
                console.print(f"[red]{err}")
            raise SystemExit(f"演示数据导入失败：{path}")
        console.print(f"已导入 {path.name}：{report.households} 户，{report.persons} 人，{report.regions} 个区域")
    from jingzhun.helping.demo import add_demo_help_records

    with console.status("录入帮扶记录（2019–2020）…"):
        helped = add_demo_help_records(actor, DEMO_COUNTY, seed)
    console.print(f"已录入帮扶记录 {helped} 条（建档立卡户，2019–2020 年）")
    with console.status("生成并导入扶贫项目和资金…"):
        projects = import_demo_projects(synth.regions_path, synth.households_path, seed, actor)
    console.print(projects)
    from jingzhun.assistance.roll import approve_eligible
    from jingzhun.ledger.actions import set_cpi
    from jingzhun.ledger.runs import run_month

    with console.status(f"认定救助对象（存量迁入，{DEMO_MONTH}）…"):
        enrolled = approve_eligible(actor, DEMO_MONTH, DEMO_COUNTY)
    from jingzhun.policy.vocabulary import FAMILIES

    console.print("已认定救助对象：" + "，".join(f"{FAMILIES.get(k, k)} {v} 户" for k, v in enrolled.items()))
    set_cpi(actor, dt.date.fromisoformat(f"{DEMO_MONTH}-01"), **DEMO_CPI)
    rises = f"总指数同比 {DEMO_CPI['all_items']}%，食品 {DEMO_CPI['food']}%"
    console.print(f"已录入 {DEMO_MONTH} 价格指数：{rises}（演示数据）")
    with console.status(f"计算并发放 {DEMO_MONTH} …"):
        result = run_month(DEMO_MONTH, region_prefix=DEMO_COUNTY, actor=actor)
    console.print(result.message)
    from jingzhun.monitoring.exit.demo_data import add_demo_exits

    login_village = _busiest_village(DEMO_COUNTY)  # the village and township logins' (_create_logins)
    with console.status("精准退出：2020 年预退出名单（评议、核实、公示、销号）…"):
        console.print(add_demo_exits(actor, DEMO_COUNTY, seed, login_village=login_village.code))

    from jingzhun.monitoring.cases.demo_data import add_demo_cases

    with console.status(f"返贫预警：评估 {DEMO_MONTH} 并推进部分案件…"):
        console.print(add_demo_cases(actor, DEMO_MONTH, DEMO_COUNTY, login_township=login_village.parent.code))

    from jingzhun.cli.demo_roll import enrolled_roll
    from jingzhun.monitoring.crosscheck.demo_data import add_demo_crosscheck, rows_for
    from jingzhun.synth.departments import AS_OF

    with console.status("导入部门比对名单并比对（数据比对）…"):
        roll = enrolled_roll(DEMO_COUNTY, AS_OF, seed)  # the county's own 低保 households, not a random sample
        console.print(add_demo_crosscheck(actor, synth.households_path, seed, rows=rows_for(households), roll=roll))

    _demo_settlements(actor, synth.households_path, seed)
    _demo_jiaokou(actor, jiaokou_households(households), seed, var_dir / "demo-jiaokou")

    from jingzhun.projects.demo_data import build_demo_projects

    with console.status("入库排序、按序匹配、绩效考评…"):
        step = time.perf_counter()
        ranked = build_demo_projects(actor, DEMO_COUNTY, seed).message()
        console.print(f"{ranked}（用时 {time.perf_counter() - step:.1f} 秒）")
    from jingzhun.assistance.filial_demo import add_demo_support

    console.print(add_demo_support(actor, _busiest_village(DEMO_COUNTY).code, seed))
    from jingzhun.cli.dashboard import refresh_after_demo

    console.print(refresh_after_demo(actor))
    logins = _create_logins(DEMO_COUNTY)
    _print_logins(logins, var_dir)
    _issue_public_codes(actor)
    working = settings.WORKING_MONTH or "当前月份"
    console.print(f"工作月份：{working}（日期默认值按此月份；JINGZHUN_WORKING_MONTH，保存在 var/working-month）")
    console.print(f"演示数据已就绪，用时 {time.perf_counter() - started:.1f} 秒。")
    return logins
