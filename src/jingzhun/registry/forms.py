"""Staff edit forms. They only parse what was typed; every write goes through ``registry.actions``.

Labels and messages are Chinese. An action's message ends with its field key in brackets (``[id_number]``,
for the CLI and the tests); :func:`apply_errors` shows it without that tag. Money is typed in yuan (two
decimals at most) and handed to the actions as integer fen.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from jingzhun.core.text import without_key
from jingzhun.policy.money import fen_to_decimal
from jingzhun.registry import columns as c
from jingzhun.registry.actions import INCOME_FIELDS
from jingzhun.registry.models import Household, IncomeRecord, Person
from jingzhun.registry.validators import PlainName, validate_phone

YES_NO = [(True, "是"), (False, "否")]
INCOME_LABELS = {
    "wages_fen": "工资性收入",
    "farming_fen": "种养殖收入",
    "business_fen": "经营性收入",
    "property_fen": "财产性收入",
    "transfer_fen": "转移性收入",
}


def _choices(mapping: dict[str, object]) -> list[tuple[str, str]]:
    return [(str(key), label) for label, key in mapping.items()]


def _bool(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect
    )


class HouseholdForm(forms.Form):
    address = forms.CharField(label="地址", max_length=200)
    area = forms.ChoiceField(label="城乡类别", choices=_choices(c.AREA))
    registered_year = forms.IntegerField(
        label="建档立卡年份", required=False, min_value=2000, max_value=2100, help_text="空 = 非建档立卡户"
    )
    poverty_causes = forms.MultipleChoiceField(
        label="致贫原因", required=False, choices=_choices(c.POVERTY_CAUSE), widget=forms.CheckboxSelectMultiple
    )
    housing_grade = forms.ChoiceField(label="住房安全等级", choices=_choices(c.HOUSING_GRADE), help_text="C、D 为危房")
    housing_area = forms.DecimalField(
        label="住房面积（平方米）", required=False, min_value=0, max_digits=8, decimal_places=2
    )
    water_safe = _bool("饮水安全")
    bank_name = forms.CharField(label="开户银行", max_length=64, required=False)
    bank_account = forms.RegexField(
        label="银行账号", regex=r"^\d{12,30}$", required=False, error_messages={"invalid": "银行账号应为 12–30 位数字"}
    )
    cadre_name = forms.CharField(
        label="帮扶责任人", max_length=64, required=False, validators=[PlainName("帮扶责任人")]
    )
    cadre_phone = forms.CharField(
        label="帮扶人电话", max_length=32, required=False, validators=[validate_phone], help_text="例如 13812345678"
    )
    phone = forms.CharField(
        label="户联系电话", max_length=32, required=False, validators=[validate_phone], help_text="帮扶干部可一键拨打"
    )
    disqualified = forms.MultipleChoiceField(
        label="取消资格情形", required=False, choices=_choices(c.DISQUALIFIED), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, household: Household, full_bank: bool = True, only_bank: bool = False, **kwargs: Any
    ) -> None:
        """``full_bank=False``: the account is not shown (only its last 4 digits, in the help text); a blank
        field keeps it. ``only_bank``: the bank fields alone (a 帮扶 cadre proposing a new account)."""
        initial = {name: getattr(household, name) for name in self.base_fields}
        self.full_bank = full_bank
        if not full_bank:
            initial["bank_account"] = ""
        super().__init__(*args, initial=initial, **kwargs)
        if not full_bank:
            account = household.bank_account
            shown = f"**** {account[-4:]}" if account else "未登记"
            self.fields[
                "bank_account"
            ].help_text = f"当前账号：{shown}。留空表示不变更；填写新账号将提交变更申请，经审批后生效"
        if only_bank:
            for name in list(self.fields):
                if name not in {"bank_name", "bank_account"}:
                    del self.fields[name]

    def changes(self, household: Household) -> dict[str, Any]:
        """Only the fields that differ, so the audit row shows what was really changed."""
        data = dict(self.cleaned_data)
        data["bank_account"] = data["bank_account"] or ("" if self.full_bank else household.bank_account)
        return {name: value for name, value in data.items() if _differs(getattr(household, name), value)}


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (old is None) != (new is None) or (old is not None and Decimal(old) != Decimal(new))
    if isinstance(old, list) and isinstance(new, list):
        return sorted(old) != sorted(new)
    return bool(old != new)


PERSON_FIELDS = (
    "name",
    "relation",
    "disability_grade",
    "disability_category",
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "self_care",
    "labour",
    "student",
    "school",
    "dropout",
    "serious_illness",
    "chronic_diseases",
    "late_stage_major_disease",
    "medical_insurance",
    "capable_supporter",
    "care_setting",
)


NEW_PERSON_DEFAULTS = {"relation": "", "self_care": "full", "labour": "full", "student": "none"}


class PersonForm(forms.Form):
    """A member's facts. The ID number is a field only for those who may see it whole (county, admin)."""

    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    name = forms.CharField(label="姓名", max_length=64, validators=[PlainName("姓名")])
    relation = forms.ChoiceField(label="与户主关系", choices=_choices(c.RELATION))
    disability_grade = forms.TypedChoiceField(
        label="残疾等级",
        required=False,
        choices=[("", "无残疾"), *[(str(g), f"{g} 级") for g in (1, 2, 3, 4)]],
        coerce=int,
        empty_value=None,
    )
    disability_category = forms.ChoiceField(
        label="残疾类别", required=False, choices=[("", "—"), *_choices(c.DISABILITY_CATEGORY)]
    )
    disability_card_gen2 = _bool("第二代残疾证")
    needs_long_term_care = _bool("需长期照护")
    disabled_elder_certified = _bool("失能认定（医院鉴定）")
    self_care = forms.ChoiceField(label="自理能力", choices=_choices(c.SELF_CARE))
    labour = forms.ChoiceField(label="劳动能力", choices=_choices(c.LABOUR))
    student = forms.ChoiceField(label="在校情况", choices=_choices(c.STUDENT))
    school = forms.CharField(label="学校", max_length=100, required=False)
    dropout = _bool("辍学")
    serious_illness = _bool("重病")
    chronic_diseases = forms.CharField(label="慢性病", required=False, help_text="病名，用、分隔")
    late_stage_major_disease = _bool("重特大疾病晚期")
    medical_insurance = _bool("参加基本医保")
    capable_supporter = _bool("有赡养能力的法定义务人")
    care_setting = forms.ChoiceField(label="供养方式", choices=_choices(c.CARE_SETTING))

    def __init__(self, *args: Any, person: Person | None, full_id: bool, **kwargs: Any) -> None:
        """``person=None``: a new member (新增成员), with the defaults of a person without any special facts."""
        person = person or Person(**NEW_PERSON_DEFAULTS)
        initial: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial["chronic_diseases"] = "、".join(person.chronic_diseases or [])
        initial["id_number"] = person.id_number if full_id else ""
        super().__init__(*args, initial=initial, **kwargs)
        if not full_id:
            del self.fields["id_number"]

    def clean_chronic_diseases(self) -> list[str]:
        text = self.cleaned_data["chronic_diseases"]
        for sep in ",;，；":
            text = text.replace(sep, "、")
        return [part.strip() for part in text.split("、") if part.strip()]

    def changes(self, person: Person) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "id_number" in data:
            data["id_number"] = data["id_number"].strip().upper()
            if data["id_number"] != person.id_number:
                from jingzhun.registry.idnumber import IdNumberError, parse_id_number

                try:
                    decoded = parse_id_number(data["id_number"])
                except IdNumberError as exc:
                    raise ValidationError({"id_number": str(exc)}) from None
                # 出生日期 and 性别 follow the corrected number (the action checks they agree).
                data["birth_date"], data["sex"] = decoded.birth_date, decoded.sex
        return {name: value for name, value in data.items() if _differs(getattr(person, name), value)}


class IncomeForm(forms.Form):
    """One year's income of every active member, in yuan: five sources per member; blank means 0."""

    def __init__(self, *args: Any, persons: list[Person], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons, self.year = persons, year
        existing = {r.person_id: r for r in IncomeRecord.objects.filter(person__in=persons, year=year)}
        for person in persons:
            record = existing.get(person.pk)
            for name in INCOME_FIELDS:
                fen = getattr(record, name) if record else 0
                self.fields[f"p{person.pk}_{name}"] = forms.DecimalField(
                    label=f"{person.name} {INCOME_LABELS[name]}",
                    required=False,  # a blank cell is 0, as in the import template
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=fen_to_decimal(fen),
                    error_messages={"max_decimal_places": "金额最多两位小数", "min_value": "金额不能为负数"},
                )

    def rows(self) -> list[tuple[Person, list[forms.BoundField]]]:
        return [(p, [self[f"p{p.pk}_{name}"] for name in INCOME_FIELDS]) for p in self.persons]

    def fen_by_person(self) -> dict[Person, dict[str, int]]:
        return {
            p: {name: int((self.cleaned_data[f"p{p.pk}_{name}"] or 0) * 100) for name in INCOME_FIELDS}
            for p in self.persons
        }


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: under its field when the form has it, else on top.

    Each message is shown without its trailing ``[field_key]`` tag (Chinese only on the page)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, _shown(e.messages))
    else:
        form.add_error(None, _shown(error.messages))


def action_refusal(form: forms.Form, error: ValidationError) -> str:
    """An action's refusal of a posted form: under the form's field when it names one (the form is shown
    again with it; "" returned), else the text of the page's "未办理" notice."""
    if hasattr(error, "error_dict") and any(key in form.fields for key in error.error_dict):
        apply_errors(form, error)
        return ""
    return _shown(error.messages)


def _shown(messages: list[str]) -> str:
    return "；".join(without_key(m) for m in messages)
