"""An action's refusal shown in the 未办理 box reads as Chinese: no trailing English field key
(``registry.forms.action_refusal``, for the 申请 and the 返贫预警 steps alike)."""

from django import forms
from django.core.exceptions import ValidationError

from jingzhun.registry.forms import action_refusal


class _Form(forms.Form):
    note = forms.CharField(required=False)


def test_a_refusal_not_about_a_form_field_loses_its_key() -> None:
    text = action_refusal(_Form({}), ValidationError(["该异议已处理，不能重复处理 [objection]", "须填写理由 [reason]"]))
    assert text == "该异议已处理，不能重复处理；须填写理由"


def test_a_refusal_about_a_form_field_goes_under_the_field_without_its_key() -> None:
    form = _Form({})
    assert form.is_valid()
    assert action_refusal(form, ValidationError({"note": "说明过长 [note]"})) == ""
    assert form.errors["note"] == ["说明过长"]
