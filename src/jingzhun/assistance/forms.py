"""Staff forms of the assistance workflow. They only parse what was typed; ``run`` hands it to the action.

Each step form knows its step (``StepName``), who may take it (the roles the action itself checks) and
the action it calls; the action decides whether the step may be taken now and refuses in Chinese.
Money is typed in yuan (two decimals at most) and handed to the actions as integer fen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms

from jingzhun.assistance import actions
from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import Application, ApplicationKind, ApplicationStep, StepName, TemporaryKind
from jingzhun.assistance.queries import first_of_month
from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.policy.money import decimal_to_fen
from jingzhun.policy.vocabulary import FAMILIES

YES_NO = [(True, "是"), (False, "否")]
KINDS = [(k, label) for k, label in ApplicationKind.choices if k != ApplicationKind.TEMPORARY]


def _bool(label: str, choices: list[tuple[bool, str]] = YES_NO) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect
    )


def _date(label: str, *, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=workday.today if today else None,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD", "required": "请填写日期"},
    )


def _yuan(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "max_decimal_places": "金额最多两位小数",
            "min_value": "金额不能为负数",
            "invalid": "请输入金额",
        },
    )


def _text(label: str, *, required: bool = True, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        # sized by app.css (form.stacked textarea): the Content-Security-Policy refuses inline styles
        widget=forms.Textarea(attrs={"rows": rows}),
    )


to_fen = decimal_to_fen  # the forms' name for policy.money.decimal_to_fen


class MonthField(forms.CharField):
    """``YYYY-MM`` (a month input) → the first of that month; blank → None (the action's default)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = (value or "").strip()
        if not text:
            return None
        try:
            return first_of_month(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ApplicationForm(forms.Form):
    """受理: the household by its 户编号, the family and, for 临时救助, what happened and how much is asked."""

    household_no = forms.CharField(label="户编号", max_length=32)
    family = forms.ChoiceField(label="救助类别", choices=list(FAMILIES.items()))
    kind = forms.ChoiceField(label="申请类型", choices=KINDS, help_text="临时救助自动按「临时救助」类型受理")
    submitted_on = _date("申请日期")
    statement = _text("申请理由", required=False, rows=3)
    temporary_kind = forms.ChoiceField(
        label="临时救助类型", required=False, choices=[("", "—"), *TemporaryKind.choices], help_text="仅临时救助填写"
    )
    amount_due = _yuan("申请救助金额（元）", required=False)
    event_date = _date("事由发生日期", required=False, today=False)

    def clean_household_no(self) -> str:
        return str(self.cleaned_data["household_no"]).strip()

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        temporary = data["family"] == "temporary"
        return {
            "family": data["family"],
            "kind": ApplicationKind.TEMPORARY if temporary else data["kind"],
            "statement": data["statement"].strip(),
            "on": data["submitted_on"],
            "temporary_kind": data["temporary_kind"] if temporary else "",
            "amount_due_fen": to_fen(data["amount_due"]) if temporary else None,
            "event_date": data["event_date"] if temporary else None,
        }


class EmergencyForm(forms.Form):
    """先行救助: the township pays an emergency at once (up to the cap) and the county reviews it afterwards."""

    household_no = forms.CharField(label="户编号", max_length=32)
    amount_due = _yuan("申请救助金额（元）")
    event_date = _date("事由发生日期")
    statement = _text("救助事由", rows=3)
    on = _date("办理日期")

    def clean_household_no(self) -> str:
        return str(self.cleaned_data["household_no"]).strip()


class StepForm(forms.Form):
    """One workflow step: ``run`` calls the action, which checks region, role and order itself."""

    step: ClassVar[str]
    roles: ClassVar[frozenset[str]] = wf.VILLAGE_WORK
    button: ClassVar[str] = "提交"
    blocked: str = ""  # why the button is disabled for now ("" when it is not); the action refuses too

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, prefix=self.step, **kwargs)
        self.application = application

    @property
    def label(self) -> str:
        return StepName(self.step).label

    def run(self, actor: Actor, application: Application) -> Any:
        raise NotImplementedError


class SurveyForm(StepForm):
    step = StepName.SURVEY
    button = "记录入户调查"
    on = _date("调查日期")
    annual_income = _yuan("核实的家庭年收入（元）")
    income_verified = _bool("收入已核实")
    assets_ok = _bool("财产核查通过（无车辆、经营、商品房、大额存款等）")
    surveyors = forms.CharField(label="调查人员", max_length=200, help_text="至少一人，多人用、分隔")
    note = _text("调查情况", required=False)

    def clean_surveyors(self) -> list[str]:
        text = self.cleaned_data["surveyors"]
        for sep in ",;，； ":
            text = text.replace(sep, "、")
        return [part.strip() for part in text.split("、") if part.strip()]

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.record_survey(
            actor,
            application,
            annual_income_fen=to_fen(d["annual_income"]),
            income_verified=d["income_verified"],
            assets_ok=d["assets_ok"],
            surveyors=d["surveyors"],
            note=d["note"],
            on=d["on"],
        )


class DemocraticReviewForm(StepForm):
    step = StepName.DEMOCRATIC_REVIEW
    button = "记录民主评议"
    held_on = _date("评议日期")
    attendees = forms.IntegerField(label="参会人数", min_value=1)
    votes_for = forms.IntegerField(label="赞成票", min_value=0)
    votes_against = forms.IntegerField(label="反对票", min_value=0)
    note = _text("评议情况", required=False)

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.record_democratic_review(
            actor,
            application,
            held_on=d["held_on"],
            attendees=d["attendees"],
            votes_for=d["votes_for"],
            votes_against=d["votes_against"],
            note=d["note"],
        )


class NoticeStartForm(StepForm):
    step = StepName.NOTICE_START
    button = "开始公示"
    start = _date("公示开始日期")
    place = forms.CharField(label="公示地点", max_length=100, required=False, initial="村务公开栏")

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.start_public_notice(actor, application, start=d["start"], place=d["place"])


class ObjectionForm(StepForm):
    step = StepName.OBJECTION
    button = "登记异议"
    content = _text("异议内容")
    raised_by = forms.CharField(label="异议人", max_length=64, required=False, help_text="可匿名")
    on = _date("收到日期")

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.record_objection(actor, application, content=d["content"], raised_by=d["raised_by"], on=d["on"])


def open_objections(application: Application) -> list[ApplicationStep]:
    """The 公示异议 of an application that no 异议处理 has answered yet."""
    steps = list(application.steps.filter(step__in=[StepName.OBJECTION, StepName.OBJECTION_RESOLVED]).order_by("id"))
    done = {s.data.get("objection") for s in steps if s.step == StepName.OBJECTION_RESOLVED}
    return [s for s in steps if s.step == StepName.OBJECTION and s.pk not in done]


class ResolveObjectionForm(StepForm):
    step = StepName.OBJECTION_RESOLVED
    button = "记录异议处理"
    objection = forms.TypedChoiceField(label="处理哪条异议", coerce=int)
    resolution = _text("核查与处理意见")
    upheld = _bool("异议成立", [(True, "成立"), (False, "不成立")])
    on = _date("处理日期")

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        self.fields["objection"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.data.get('date', '')} {o.data.get('content', '')[:40]}") for o in open_objections(application)
        ]

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        objection = application.steps.get(pk=d["objection"], step=StepName.OBJECTION)
        return actions.resolve_objection(
            actor, application, objection, resolution=d["resolution"], upheld=d["upheld"], on=d["on"]
        )


class NoticeFinishForm(StepForm):
    step = StepName.NOTICE_FINISH
    button = "结束公示"
    on = _date("结束日期")

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        from jingzhun.assistance.notice_board import notice_period
        from jingzhun.core import workday
        from jingzhun.core.notice_sheet import countdown

        super().__init__(*args, application=application, **kwargs)
        period = notice_period(application)
        if period is not None and workday.today() <= period[1]:
            self.blocked = countdown(period[1], workday.today())

    def run(self, actor: Actor, application: Application) -> Any:
        return actions.finish_public_notice(actor, application, on=self.cleaned_data["on"])


class TownshipReviewForm(StepForm):
    step = StepName.TOWNSHIP_REVIEW
    roles = wf.TOWNSHIP
    button = "提交乡镇审核意见"
    agree = _bool("审核结论", [(True, "同意，报县级审批"), (False, "不同意（申请办结为未批准）")])
    opinion = _text("审核意见")
    on = _date("审核日期")

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.township_review(actor, application, agree=d["agree"], opinion=d["opinion"], on=d["on"])


class CountyDecisionForm(StepForm):
    step = StepName.COUNTY_DECISION
    roles = wf.COUNTY
    button = "提交审批决定"
    approve = _bool("审批决定", [(True, "批准"), (False, "不予批准")])
    reason = _text("理由", required=False)
    start_month = MonthField(
        label="享受起始月份",
        required=False,
        help_text="空 = 审批日期的下一个月；可填申请月份至审批日期的下一个月",
    )
    on = _date("审批日期")

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.county_decide(
            actor, application, approve=d["approve"], reason=d["reason"], start_month=d["start_month"], on=d["on"]
        )


class AfterReviewForm(StepForm):
    step = StepName.AFTER_REVIEW
    roles = wf.COUNTY
    button = "提交补办审核"
    confirmed = _bool("审核结论", [(True, "确认先行救助属实"), (False, "不予确认（此后不再计入发放）")])
    opinion = _text("审核意见")
    on = _date("审核日期")

    def run(self, actor: Actor, application: Application) -> Any:
        d = self.cleaned_data
        return actions.review_after_payment(
            actor, application, confirmed=d["confirmed"], opinion=d["opinion"], on=d["on"]
        )


STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (
        SurveyForm,
        DemocraticReviewForm,
        NoticeStartForm,
        ObjectionForm,
        ResolveObjectionForm,
        NoticeFinishForm,
        TownshipReviewForm,
        CountyDecisionForm,
        AfterReviewForm,
    )
}


def next_steps(application: Application) -> list[str]:
    """The steps the application's status allows now, in path order (none once it is closed)."""
    if application.paid_first:
        return [StepName.AFTER_REVIEW] if application.after_reviewed_at is None else []
    steps = [step for step, (needed, _) in wf.path_of(application).items() if needed == application.status]
    if StepName.OBJECTION_RESOLVED in steps and not open_objections(application):
        steps.remove(StepName.OBJECTION_RESOLVED)
    return steps


# what the month of each enrollment change means, and the action's default when it is left blank
CHANGE_MONTHS = {
    "suspend": ("暂停起始月份", "空 = 下个月起暂停；不能晚于下个月"),
    "resume": ("恢复发放月份", "空 = 下个月起恢复；不能晚于下个月"),
    "end": ("最后发放月份", "空 = 发放至本月（含）；不能晚于下个月"),
    "recompute": ("重新核算月份", "空 = 按下个月核算；不能晚于下个月"),
}


class EnrollmentChangeForm(forms.Form):
    """暂停 / 恢复 / 停止享受 / 情况变化复核 of an enrollment: a reason and the month it concerns."""

    reason = _text("理由")
    month = MonthField(required=False)

    def __init__(self, *args: Any, op: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=op, **kwargs)
        self.fields["month"].label, self.fields["month"].help_text = CHANGE_MONTHS[op]
