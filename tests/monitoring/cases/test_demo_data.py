"""The demo's 返贫预警 (walk8): a county's month as a visitor should see it on the working day — open cases
at every step, only some past their 15-day limit, some decided (纳入监测, 不纳入监测, 返贫), a 帮扶措施 on
each decided case, and the 2020 监测规模 kept under its limit. The demo used to flag every case 20 days back,
so every open case was overdue in red."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.monitoring.cases.demo_data import add_demo_cases
from jingzhun.monitoring.cases.queries import is_overdue, share_warning
from jingzhun.monitoring.models.cases import OPEN_STATES, Case, CaseStep
from jingzhun.registry.importer import import_file
from jingzhun.synth.generate import generate_county

pytestmark = pytest.mark.django_db


def test_the_demo_cases_look_like_a_county_at_work(tmp_path: Path, settings: object) -> None:
    settings.WORKING_MONTH = "2020-07"  # type: ignore[attr-defined]
    synth = generate_county("141102", 6000, 2018, tmp_path)
    actor = Actor.system("demo")
    for path in (synth.regions_path, synth.households_path):
        assert import_file(path, actor=actor).written
    said = add_demo_cases(actor, "2020-06", "141102", login_township="141102100000")
    today = workday.today()
    cases = list(Case.objects.all())
    states = Counter(c.state for c in cases)
    for state in ("identified", "verified", "in_notice", "township_approved", "decided", "closed"):
        assert states[state] > 0, (state, states, said)
    open_cases = [c for c in cases if c.state in {s.value for s in OPEN_STATES}]
    overdue = [c for c in open_cases if is_overdue(c, today)]
    assert 0 < len(overdue) < len(open_cases) / 2, (len(overdue), len(open_cases))
    decisions = Counter(c.decision for c in cases if c.decision)
    assert decisions["monitored"] and decisions["not_included"] and decisions["returned"], decisions
    assert all(c.measures.exists() for c in cases if c.state == "decided")
    # the login township's cases wait for every role: the township may review a 公示 of 5 days or more
    login = [c for c in open_cases if c.household.village.code.startswith("141102100")]
    assert {c.state for c in login} >= {"identified", "verified", "in_notice", "township_approved"}
    assert any(
        c.notice_start and c.notice_start <= today - dt.timedelta(days=5) for c in login if c.state == "in_notice"
    )
    assert max(CaseStep.objects.values_list("on", flat=True)) <= today
    assert not share_warning("141102", dt.date(2020, 6, 1)).warn, said
    assert "监测规模" in said and "超期" in said
    assert states["eliminated"] > 0, said  # 风险消除 after 就业帮扶 where the conditions hold
