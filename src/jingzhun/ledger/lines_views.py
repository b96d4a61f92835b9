"""The 发放明细 page (``/ledger/lines/``): read-only, region scoped; 导出Excel of the same filter.

Who reads it: county, township and village staff and auditors, each within their region, and the
administrator. A 帮扶 cadre reads the 民生账本 of their own households instead (403 here). A region filter
outside the viewer's region is missing (404), like a household outside it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join

from jingzhun.core import list_export
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.ledger import lines as ledger_lines
from jingzhun.ledger.models import BankStatus
from jingzhun.ledger.queries import last_run_month
from jingzhun.policy.vocabulary import PROGRAM_NAMES
from jingzhun.registry.queries import region_choices

READ_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.AUDITOR, Role.ADMIN})


def _reader(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if actor.role not in READ_ROLES:
        raise PermissionDenied("发放明细由县、乡镇、村经办人员和审计人员查看；帮扶干部请在所帮扶户的民生账本中查看。")
    return actor


def _default_month(actor: Actor) -> dt.date:
    """The latest month run over the viewer's region, else the working month."""
    from jingzhun.core import workday

    return last_run_month(actor.scope) or workday.today().replace(day=1)


@login_required
def lines(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    default = _default_month(actor)
    try:
        f = ledger_lines.read_filter(actor, request.GET, default)
    except ledger_lines.FilterError as exc:
        f, error = ledger_lines.LineFilter(first=default, last=default), str(exc)
    else:
        error = ""
    if not error and list_export.wants_xlsx(request.GET):
        return list_export.response(actor, ledger_lines.export(actor, f))
    result = ledger_lines.page(actor, f)
    keep = request.GET.copy()
    for key in ("after", "format"):
        keep.pop(key, None)
    context = {
        "f": f,
        "error": error,
        "page": result,
        "words": "，".join(f.words()),
        "query": keep.urlencode(),
        "region_options": format_html_join(  # rendered here, as 户籍查询 does (a template loop is slow)
            "",
            '<option value="{}"{}>{}</option>',
            ((code, " selected" if code == f.region else "", name) for code, name in region_choices(actor, f.region)),
        ),
        "programs": list(PROGRAM_NAMES.items()),
        "statuses": list(BankStatus.choices),
        "max_months": ledger_lines.MAX_MONTHS,
        "page_size": ledger_lines.PAGE_SIZE,
    }
    return render(request, "ledger/lines.html", context)
