"""Template filters for the public pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def yuan(fen: int) -> str:
    """Integer fen → yuan with two decimals and thousands separators: 123456 → "1,234.56"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"
