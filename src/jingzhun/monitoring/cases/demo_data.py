"""`make demo`'s 返贫预警 step: assess the demo month over the demo county and take some of the cases a few
steps along, so the pages show flagged households, open cases at every step, overdue ones in red, a
返贫 decision and 帮扶措施.

The run is dated 20 days back (demo data: the cases still at 识别 are past their 15-day limit); each later
step is dated a day or more after the one before, the township review 5 days after the 公示 began. Steps
are taken by the demo system actor through the same actions as the pages. The summary ends with the
2020 监测规模 after the walk (the synth's 监测对象 marks plus the cases decided 纳入监测 here): at the default
20 000 households, seed 2018, 77 of 1 768 registered persons (4.4 %), under the 5 % limit."""

from __future__ import annotations

import datetime as dt

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.monitoring.cases import actions
from jingzhun.monitoring.cases.assess import run_assessment
from jingzhun.monitoring.cases.queries import share_warning
from jingzhun.monitoring.models.cases import Case


def add_demo_cases(actor: Actor, month: str, county: str) -> str:
    """Run the month's assessment for the county and walk some cases; return a one-line summary."""
    today = workday.today()
    start = today - dt.timedelta(days=20)
    result = run_assessment(dt.date.fromisoformat(f"{month}-01"), actor=actor, region_prefix=county, on=start)
    cases = list(Case.objects.filter(first_flag_on=start, state="identified").order_by("id")[:400])
    walked = {"verified": 0, "in_notice": 0, "township": 0, "decided": 0}
    for i, case in enumerate(cases[:120]):
        d = start + dt.timedelta(days=1)
        actions.verify(actor, case, finding="入户核实：家庭情况与预警信息相符（演示数据）", on=d)
        walked["verified"] += 1
        if i % 3 == 0:
            continue
        d += dt.timedelta(days=1)
        actions.review_and_notice(actor, case, result="民主评议同意纳入监测，村内公示（演示数据）", on=d)
        walked["in_notice"] += 1
        if i % 3 == 1:
            continue
        d += dt.timedelta(days=5)
        actions.township_review(actor, case, opinion="乡镇审核同意（演示数据）", on=d)
        walked["township"] += 1
        if i % 2 == 0:
            continue
        d += dt.timedelta(days=2)
        decision = "returned" if i % 10 == 5 else "monitored"
        actions.county_decision(actor, case, decision=decision, reason="县级认定（演示数据）", on=d)
        actions.add_measure(
            actor, case, kind="temporary_aid", description="临时救助（演示数据）", amount_fen=300_000, on=d
        )
        walked["decided"] += 1
    share = share_warning(county, dt.date.fromisoformat(f"{month}-01"))
    return (
        f"{result.message} 演示推进：入户核实 {walked['verified']} 件，评议公示 {walked['in_notice']} 件，"
        f"乡镇审核 {walked['township']} 件，县级认定 {walked['decided']} 件。监测规模：{share.message}"
    )
