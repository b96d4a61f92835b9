"""脱贫退出核查 on the staff household page (core/panels.py): the check of the assessment year, criterion by
criterion, with what the registry does not know yet and the link to fill it in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES, Role
from jingzhun.monitoring.exit.check import check_household_db
from jingzhun.monitoring.exit.queries import panel_year
from jingzhun.registry.exit_actions import CLOSE_ROLES
from jingzhun.registry.models import HouseholdStatus


def exit_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    if household.registered_year is None:
        return ""
    year = panel_year(household)
    result = check_household_db(household, year)
    criteria = []
    if result.result is not None:
        for criterion in result.result.criteria():
            missing = result.missing.get(criterion.code)
            ok = criterion.ok and not missing
            sentence = f"未填写：{'、'.join(missing)}" if missing else criterion.sentence
            criteria.append({"ok": ok, "sentence": sentence})
    can_edit = actor.role not in READ_ONLY_ROLES and actor.role != Role.ASSIGNED_CADRE and household.active
    context = {
        "household": household,
        "year": year,
        "result": result,
        "criteria": criteria,
        "income_year": result.income_year,
        "can_edit": can_edit,
        "can_close": actor.role in CLOSE_ROLES
        and household.active
        and household.status == HouseholdStatus.EXITED_SUPPORTED,
        "today": workday.today().isoformat(),
    }
    return render_to_string("monitoring/exit/_exit_panel.html", context, request=request)
