"""Forms of the 返贫预警 pages: one per case step, each naming its action; dates ISO, money in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.monitoring.cases import actions
from jingzhun.monitoring.models.cases import EVENT_KIND_ZH, Case, CaseDecision, CaseOrigin, CaseState, MeasureKind


def _on() -> forms.DateField:
    return forms.DateField(
        label="日期",
        initial=workday.today,
        widget=forms.DateInput(format="%Y-%m-%d"),  # ISO, as the help text says (the locale would show 2020/07/06)
        help_text="YYYY-MM-DD，不晚于今天",
    )


class StepForm(forms.Form):
    step = ""
    label = ""
    button = "提交"
    state = ""
    roles: frozenset[str] = frozenset()

    def run(self, actor: Actor, case: Case) -> Any:
        raise NotImplementedError


class VerifyForm(StepForm):
    step, label, button, state = "verify", "入户核实", "记录入户核实", CaseState.IDENTIFIED
    roles = actions.VERIFIERS
    on = _on()
    finding = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def run(self, actor: Actor, case: Case) -> Any:
        return actions.verify(actor, case, finding=self.cleaned_data["finding"], on=self.cleaned_data["on"])


class ReviewForm(StepForm):
    step, label, button, state = "review", "民主评议并公示", "记录评议、开始公示", CaseState.VERIFIED
    roles = actions.VILLAGE
    on = _on()
    result = forms.CharField(label="民主评议结果", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def run(self, actor: Actor, case: Case) -> Any:
        return actions.review_and_notice(actor, case, result=self.cleaned_data["result"], on=self.cleaned_data["on"])


class TownshipForm(StepForm):
    step, label, button, state = "township", "乡镇审核", "乡镇审核通过", CaseState.IN_NOTICE
    roles = actions.TOWNSHIP
    on = _on()
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def run(self, actor: Actor, case: Case) -> Any:
        return actions.township_review(actor, case, opinion=self.cleaned_data["opinion"], on=self.cleaned_data["on"])


class DecisionForm(StepForm):
    step, label, button, state = "decision", "县级认定", "作出认定", CaseState.TOWNSHIP_APPROVED
    roles = actions.COUNTY
    on = _on()
    decision = forms.ChoiceField(
        label="认定结果",
        choices=[("", "请选择认定结果"), *CaseDecision.choices],  # no outcome preselected (walk8)
        error_messages={"required": "请选择认定结果：纳入监测对象、认定返贫或不纳入监测。"},
    )
    reason = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def run(self, actor: Actor, case: Case) -> Any:
        d = self.cleaned_data
        return actions.county_decision(actor, case, decision=d["decision"], reason=d["reason"], on=d["on"])


class MeasureForm(StepForm):
    step, label, button, state = "measure", "登记帮扶措施", "登记措施", CaseState.DECIDED
    roles = actions.MEASURERS
    on = _on()
    kind = forms.ChoiceField(label="措施类型", choices=MeasureKind.choices)
    description = forms.CharField(label="措施内容", max_length=200)
    amount = forms.DecimalField(label="金额（元）", required=False, min_value=Decimal(0), decimal_places=2)
    application_id = forms.IntegerField(label="关联救助申请编号", required=False, min_value=1)

    def run(self, actor: Actor, case: Case) -> Any:
        d = self.cleaned_data
        amount = None if d["amount"] is None else int(d["amount"] * 100)
        return actions.add_measure(
            actor,
            case,
            kind=d["kind"],
            description=d["description"],
            amount_fen=amount,
            application_id=d["application_id"],
            on=d["on"],
        )


class EliminateForm(StepForm):
    step, label, button, state = "eliminate", "风险消除", "确认风险消除", CaseState.DECIDED
    roles = actions.ELIMINATORS
    on = _on()
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def run(self, actor: Actor, case: Case) -> Any:
        return actions.eliminate(actor, case, reason=self.cleaned_data["reason"], on=self.cleaned_data["on"])


STEP_FORMS: dict[str, type[StepForm]] = {
    f.step: f for f in (VerifyForm, ReviewForm, TownshipForm, DecisionForm, MeasureForm, EliminateForm)
}


class OpenCaseForm(forms.Form):
    household_no = forms.CharField(label="户编号", max_length=32)
    origin = forms.ChoiceField(
        label="来源", choices=[(CaseOrigin.SELF_REPORT, "农户自主申报"), (CaseOrigin.CADRE_CHECK, "干部排查")]
    )
    kind = forms.ChoiceField(label="风险事件", choices=list(EVENT_KIND_ZH.items()))
    date = forms.DateField(label="事件日期", help_text="YYYY-MM-DD；务工中断填停工之日，停工满规定月数方可登记")
    note = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_date(self) -> dt.date:
        d: dt.date = self.cleaned_data["date"]
        if d > workday.today():
            raise ValidationError("事件日期不能晚于今天。")
        return d


class RunForm(forms.Form):
    month = forms.RegexField(label="评估月份", regex=r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM，2020-01 起")
    region = forms.CharField(label="区域代码", required=False, help_text="空 = 您的全部区域")


RUN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})


class MarginalForm(forms.Form):
    marginal = forms.TypedChoiceField(
        label="边缘易致贫户", choices=[("1", "认定为边缘易致贫户"), ("0", "取消认定")], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label="理由", max_length=200)
