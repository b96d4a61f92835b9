"""Forms of the exit part: the household's exit facts, and each step of a village's exit list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from jingzhun.core import workday
from jingzhun.registry.models import Household

UNKNOWN_YES_NO = [("", "未填写"), ("true", "是"), ("false", "否")]
DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD，例如 2020-05-01", "required": "请填写日期"}


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=UNKNOWN_YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        help_text=help_text,
    )


def date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages=DATE_ERRORS,
    )


class ExitFactsForm(forms.Form):
    """住房与饮水 (household) and 因病免学 (the members who are exempt)."""

    relocated_keys = _yes_no("已交付搬迁安置房", "易地扶贫搬迁安置房已交付（C、D 级危房户搬迁后视为住房安全）")
    water_litres_per_day = forms.DecimalField(
        label="每人每日可用水量（升）",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        error_messages={"invalid": "请输入数字，例如 40 或 42.5", "max_decimal_places": "最多两位小数"},
    )
    water_fetch_minutes = forms.IntegerField(label="往返取水时间（分钟）", required=False, min_value=0, max_value=1440)
    water_days_without = forms.IntegerField(label="年缺水天数", required=False, min_value=0, max_value=366)
    water_quality_ok = _yes_no("水质达标")
    water_dry_area = _yes_no("干旱缺水地区", "干旱缺水地区每人每日 20 升即达标")
    exempt = forms.MultipleChoiceField(
        label="因病免学的成员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="6–15 周岁因病不能上学、经认定免学的成员",
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        members = list(household.persons.filter(status="active").order_by("id"))
        initial = {
            "relocated_keys": _initial_bool(household.relocated_keys),
            "water_litres_per_day": household.water_litres_per_day,
            "water_fetch_minutes": household.water_fetch_minutes,
            "water_days_without": household.water_days_without,
            "water_quality_ok": _initial_bool(household.water_quality_ok),
            "water_dry_area": _initial_bool(household.water_dry_area),
            "exempt": [str(p.pk) for p in members if p.school_exempt_health],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["exempt"].choices = [(str(p.pk), f"{p.name}（{p.birth_date:%Y-%m-%d}）") for p in members]

    def action_kwargs(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        exempt = frozenset(int(pk) for pk in d.pop("exempt"))
        return {"exempt_persons": exempt, **d}


def _initial_bool(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def not_in_future(value: dt.date) -> None:
    if value > workday.today():
        raise forms.ValidationError(f"日期不能晚于今天（{workday.today().isoformat()}）")
