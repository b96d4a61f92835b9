"""Forms of the 户籍变动 pages (status, new member, death, move-out, merge, 帮扶 reassignment).

Like :mod:`jingzhun.registry.forms` they only parse and check what was typed, in Chinese (no English field
key on the page); the rules that keep the registry consistent (which status may follow which, a person leaves
once, a closed household takes no one) are the actions' and reach the form through ``apply_errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry import columns as c
from jingzhun.registry.actions import ID_NOT_REGISTRABLE, NEXT_STATUS
from jingzhun.registry.forms import PERSON_FIELDS, PersonForm
from jingzhun.registry.idnumber import IdNumberError, parse_id_number
from jingzhun.registry.models import Household, HouseholdStatus, Person, PersonEventKind, PersonStatus
from jingzhun.registry.validators import PlainName, validate_phone

User = get_user_model()


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="例如 2020-05-01",
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD，例如 2020-05-01"},
    )


def _note(label: str = "说明") -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _not_after_today(date: dt.date) -> dt.date:
    if date > workday.today():
        raise ValidationError(f"日期不能晚于今天（{workday.today()}）")
    return date


class StatusForm(forms.Form):
    """户状态变更: the new status, from when, and why (the reason goes to the history and the audit row)."""

    status = forms.ChoiceField(label="变更为", choices=HouseholdStatus.choices)
    date = _date("变更日期")
    note = _note("变更依据 / 说明")

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        self.household = household
        allowed = [s for s in HouseholdStatus.values if s in NEXT_STATUS.get(household.status, set())]
        super().__init__(*args, initial={"status": allowed[0] if allowed else "", "date": workday.today()}, **kwargs)
        labels = "、".join(HouseholdStatus(s).label for s in allowed) or "无"
        self.fields["status"].help_text = f"当前状态下可变更为：{labels}"
        self.allowed_labels = labels

    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        if status not in NEXT_STATUS.get(self.household.status, set()):
            current = self.household.get_status_display() or "无"
            raise ValidationError(f"户状态不能从「{current}」变为「{HouseholdStatus(status).label}」")
        return status

    def clean_date(self) -> dt.date:
        date = _not_after_today(self.cleaned_data["date"])
        since = self.household.status_date
        if since and date < since:
            raise ValidationError(f"变更日期不能早于当前状态的日期（{since}）")
        return date

    def clean(self) -> dict[str, Any]:
        if not self.household.active:
            raise ValidationError("该户已销户，不能变更户状态。")
        return super().clean() or {}


# One refusal for "registered and still 在册/已故" and "moved out under another name" inside the actor's region:
# a cadre typing ID numbers there learns no more than that the number is on file (uniqueness needs that much).
ON_FILE = "该身份证号已在户籍库中登记，不能重复登记；如为原迁出人员迁入，请核对姓名与身份证号"


class NewPersonForm(PersonForm):
    """新增成员: the member's facts (as on the edit form) with the ID number, plus the date they joined.

    出生日期 and 性别 are not typed: they are read from the ID number (GB 11643) by the action. A number on
    file outside the actor's region gets the same neutral refusal whatever its state (ID_NOT_REGISTRABLE),
    except a person who moved out there and whose name matches: that becomes a 迁入 request
    (``elsewhere``), confirmed by the staff of the region they left.
    """

    # No min/max length of its own: parse_id_number says "身份证号应为 18 位，实际 N 位".
    id_number = forms.CharField(label="身份证号", max_length=32)
    date = _date("迁入 / 登记日期")
    note = _note("说明（出生、婚入、迁入等）")

    def __init__(self, *args: Any, household: Household, actor: Actor, **kwargs: Any) -> None:
        self.household, self.actor = household, actor
        self.returning: Person | None = None
        self.elsewhere = False
        super().__init__(*args, person=None, full_id=True, **kwargs)
        self.fields["id_number"].help_text = "18 位，末位可为 X；出生日期和性别按身份证号自动登记"
        relation = self.fields["relation"]
        assert isinstance(relation, forms.ChoiceField)
        relation.choices = [("", "— 请选择 —"), *relation.choices]  # no silent default: 户主 is listed first
        self.initial["date"] = workday.today()

    def _refusal(self, person: Person) -> str:
        return ON_FILE if self.actor.can_see(person.household.village.code) else ID_NOT_REGISTRABLE

    def clean_id_number(self) -> str:
        try:
            number = parse_id_number(self.cleaned_data["id_number"]).number
        except IdNumberError as exc:
            raise ValidationError(str(exc)) from None
        existing = Person.objects.select_related("household__village").filter(id_number=number).first()
        if existing is not None and existing.status != PersonStatus.MOVED_OUT:
            raise ValidationError(self._refusal(existing))
        self.returning = existing  # 已迁出的人员再迁入：沿用原人员记录（actions.move_in_person）
        self.elsewhere = existing is not None and not self.actor.can_see(existing.household.village.code)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        returning = self.returning
        if returning is not None and data.get("name") and data["name"].strip() != returning.name:
            # The same words as for a person on file: the form must not confirm which name goes with an ID.
            self.add_error("id_number", self._refusal(returning))
        return data

    def clean_relation(self) -> str:
        relation: str = self.cleaned_data["relation"]
        heads = self.household.persons.filter(relation="head", status=PersonStatus.ACTIVE)
        if relation == "head" and heads.exists():
            raise ValidationError("该户已有在册户主，新增成员不能再登记为户主")
        return relation

    def clean_date(self) -> dt.date:
        return _not_after_today(self.cleaned_data["date"])

    def person_fields(self) -> dict[str, Any]:
        """The keyword arguments of ``actions.add_person`` (without ``date`` and ``note``)."""
        return {name: self.cleaned_data[name] for name in ("id_number", *PERSON_FIELDS)}


class HeadForm(forms.Form):
    """户主变更: which active member becomes 户主."""

    new_head = forms.TypedChoiceField(label="新户主", coerce=int)
    note = _note("变更原因")

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = household.persons.filter(status=PersonStatus.ACTIVE).exclude(relation="head").order_by("pk")
        field = self.fields["new_head"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— 请选择 —")] + [(p.pk, f"{p.name}（{p.get_relation_display()}）") for p in members]


LEAVE_LABELS = {PersonEventKind.DEATH: "死亡日期", PersonEventKind.MOVE_OUT: "迁出日期"}


class LeaveForm(forms.Form):
    """死亡登记 / 迁出登记 of one member: the date and a note (证明材料, 迁往何处)."""

    date = _date("日期")
    note = _note("说明（证明材料、迁往何处等）")

    def __init__(self, *args: Any, person: Person, kind: str, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, initial={"date": workday.today()}, **kwargs)
        self.fields["date"].label = LEAVE_LABELS[PersonEventKind(kind)]

    def clean_date(self) -> dt.date:
        date = _not_after_today(self.cleaned_data["date"])
        if date < self.person.birth_date:
            raise ValidationError(f"日期不能早于出生日期（{self.person.birth_date}）")
        return date


class MergeForm(forms.Form):
    """合户: which household (by 户编号, in the same village and the actor's scope) this one joins."""

    into = forms.CharField(label="并入户的户编号", max_length=32)
    date = _date("合户日期")
    note = _note("合户原因")

    def __init__(self, *args: Any, source: Household, households: QuerySet[Household], **kwargs: Any) -> None:
        self.source, self.households = source, households
        self.target: Household | None = None
        super().__init__(*args, initial={"date": workday.today()}, **kwargs)

    def clean_into(self) -> str:
        number = self.cleaned_data["into"].strip()
        if number == self.source.household_no:
            raise ValidationError("不能与本户合并，请填写要并入的另一户的户编号")
        target = self.households.select_related("village").filter(household_no=number).first()
        if target is None:
            raise ValidationError(f"未找到户编号 {number}（或该户不在您的工作范围内）")
        if target.village_id != self.source.village_id:
            raise ValidationError(f"只能并入同村的户：户 {number} 属于{target.village.name}")
        if not target.active:
            raise ValidationError(f"户 {number} 已销户，不能并入")
        self.target = target
        return number

    def clean_date(self) -> dt.date:
        return _not_after_today(self.cleaned_data["date"])


class BankForm(forms.Form):
    """银行账号变更: the bank and the account the next bank file pays (a change request)."""

    bank_name = forms.CharField(label="开户银行", max_length=64, required=False)
    bank_account = forms.RegexField(
        label="银行账号", regex=r"^\d{12,30}$", required=False, error_messages={"invalid": "银行账号应为 12–30 位数字"}
    )
    note = _note("变更原因")


class MoveInForm(forms.Form):
    """迁入 of a person who moved out of another region: relation in the receiving household and the date."""

    relation = forms.ChoiceField(label="与户主关系", choices=[(str(k), label) for label, k in c.RELATION.items()])
    date = _date("迁入日期")
    note = _note("说明")

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        self.household = household
        super().__init__(*args, **kwargs)

    def clean_relation(self) -> str:
        relation: str = self.cleaned_data["relation"]
        heads = self.household.persons.filter(relation="head", status=PersonStatus.ACTIVE)
        if relation == "head" and heads.exists():
            raise ValidationError("该户已有在册户主，迁入成员不能再登记为户主")
        return relation

    def clean_date(self) -> dt.date:
        return _not_after_today(self.cleaned_data["date"])


def cadres_for(household: Household) -> QuerySet[Any]:
    """帮扶干部 accounts whose work region contains the household's village (so they will see it)."""
    code = household.village.code
    covering = {code, f"{code[:9]}000", code[:6], f"{code[:4]}00", f"{code[:2]}0000"}
    return (
        User.objects.filter(is_active=True, staff__role=Role.ASSIGNED_CADRE, staff__region__code__in=covering)
        .select_related("staff__region")
        .order_by("username")
    )


def cadre_name(user: Any) -> str:
    """A Chinese name is written family name first, without a space."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


class CadreChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{cadre_name(obj)}（账号 {obj.get_username()} · {obj.staff.region.name}）"


class CadreForm(forms.Form):
    """帮扶责任人调整: the 帮扶 cadre account, and the name and phone shown to the household."""

    assigned_cadre = CadreChoice(
        label="帮扶干部账号",
        queryset=User.objects.none(),
        required=False,
        empty_label="— 不指定账号 —",
        error_messages={"invalid_choice": "所选账号不是本户所在区域的帮扶干部"},
    )
    cadre_name = forms.CharField(
        label="帮扶责任人",
        max_length=64,
        required=False,
        help_text="空 = 所选账号的姓名",
        validators=[PlainName("帮扶责任人")],
    )
    cadre_phone = forms.CharField(
        label="帮扶人电话",
        max_length=32,
        required=False,
        help_text="空 = 所选账号登记的电话",
        validators=[validate_phone],
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        initial = {"assigned_cadre": household.assigned_cadre_id}
        super().__init__(*args, initial=initial, **kwargs)
        field = self.fields["assigned_cadre"]
        assert isinstance(field, CadreChoice)
        field.queryset = cadres_for(household)

    def changes(self, household: Household) -> dict[str, Any]:
        """The household fields to change (only those that differ), for ``actions.update_household``."""
        user = self.cleaned_data["assigned_cadre"]
        wanted = {
            "assigned_cadre": user,
            "cadre_name": self.cleaned_data["cadre_name"].strip() or (cadre_name(user) if user else ""),
            "cadre_phone": self.cleaned_data["cadre_phone"].strip() or (user.staff.phone if user else ""),
        }
        return {k: v for k, v in wanted.items() if v != getattr(household, k)}


DISQUALIFIED_CODES = {
    "vehicle": "拥有机动车",
    "business": "注册公司/个体工商户",
    "civil_servant": "财政供养人员",
    "commercial_housing": "购买商品房",
    "large_deposit": "大额存款",
}


class DisqualifyForm(forms.Form):
    """不予保障情形 (POLICY.md §1 ``disqualified``), proposed when a 数据比对 疑点 is confirmed."""

    code = forms.ChoiceField(label="不予保障情形", choices=list(DISQUALIFIED_CODES.items()))
    note = _note("核实依据 / 说明")

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        self.household = household
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code in (self.household.disqualified or []):
            raise ValidationError(f"该户已登记「{DISQUALIFIED_CODES[code]}」")
        return code
