"""``{% load plain_text %}``: ``{{ message|without_key }}`` shows a message without its ``[field_key]`` tag."""

from __future__ import annotations

from django import template

from jingzhun.core.text import without_key as _without_key

register = template.Library()


@register.filter
def without_key(value: object) -> str:
    return _without_key(str(value))
