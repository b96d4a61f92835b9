"""Yuan ↔ fen (元 ↔ 分). The database stores integer fen; people read and type yuan with two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def yuan_to_fen(text: str | int | Decimal) -> int:
    """``"1200.5"`` → 120050. Refuses negatives, floats' noise and more than two decimals (ValueError, Chinese)."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"「{text}」不是金额") from None
    if not value.is_finite():
        raise ValueError(f"「{text}」不是金额")
    if value < 0:
        raise ValueError(f"金额「{text}」不能为负数")
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError(f"金额「{text}」最多两位小数")
    return int(value * 100)


def fen_to_yuan(fen: int) -> str:
    """120050 → ``"1200.50"`` (money in documents and JSON is a two-decimal string, POLICY.md §0)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"
