"""An action's refusal shown in the 未办理 box reads as Chinese: no trailing English field key."""

from django import forms
from django.core.exceptions import ValidationError

from jingzhun.assistance.views import _refuse


class _Form(forms.Form):
    note = forms.CharField(required=False)


def test_a_refusal_not_about_a_form_field_loses_its_key() -> None:
    text = _refuse(_Form({}), ValidationError(["该异议已处理，不能重复处理 [objection]", "须填写理由 [reason]"]))
    assert text == "该异议已处理，不能重复处理；须填写理由"


def test_a_refusal_about_a_form_field_goes_under_the_field_without_its_key() -> None:
    form = _Form({})
    assert form.is_valid()
    assert _refuse(form, ValidationError({"note": "说明过长 [note]"})) == ""
    assert form.errors["note"] == ["说明过长"]
