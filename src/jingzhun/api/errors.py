"""The API's error answers in Chinese (django-ninja's own are English: "Unauthorized", "Not Found",
pydantic's "Input should be a valid integer…").

Every error body has ``detail``, one Chinese sentence. A 422 (a parameter missing or malformed) also
lists ``errors``: per parameter its key (``field``), where it was sent (``loc``), pydantic's ``type`` for
programs, and the Chinese message ``msg`` naming the parameter, with its key in brackets (STYLE.md).
A 404 is the same text whether the id does not exist or lies outside the caller's region.
"""

from __future__ import annotations

from typing import Any

UNAUTHORIZED = "未登录或登录已过期，请先登录。"
NOT_FOUND = "未找到（不存在，或不在您的工作范围内）。"

LABELS = {
    "q": "查询词",
    "region": "区域代码",
    "status": "户状态",
    "family": "救助类别",
    "active": "在册状态",
    "after": "下一页位置",
    "before": "上一页位置",
    "limit": "每页户数",
    "household_id": "户ID",
    "month": "月份",
}
FORMATS = {"month": "YYYY-MM，例如 2020-06"}  # what a pattern-checked parameter should look like
_PLACES = {"query", "path", "body", "form", "header", "cookie", "file"}


def _problem(error: dict[str, Any], key: str = "") -> str:
    kind = str(error.get("type", ""))
    if kind == "string_pattern_mismatch":
        return f"格式不对，应为 {FORMATS[key]}" if key in FORMATS else "格式不对"
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "为必填项"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return "应为数字"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return "应为日期（YYYY-MM-DD）"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字符"
    if kind in ("literal_error", "enum"):
        return f"应为以下之一：{ctx.get('expected')}"
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return "请求内容不是合规的 JSON 对象"
    if kind in ("string_type", "string_unicode"):
        return "应为文本"
    return "取值不合规范"


def field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error (as django-ninja reports it) with its Chinese message."""
    loc = [str(part) for part in error.get("loc", ())]
    names = [part for part in loc if part not in _PLACES]
    key = names[-1] if names else ""
    label = LABELS.get(key, key) if key else "请求"
    msg = f"{label}{_problem(error, key)}" + (f" [{key}]" if key else "")
    return {"field": key, "loc": loc, "type": str(error.get("type", "")), "msg": msg}


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    listed = [field_error(e) for e in errors]
    return {"detail": "参数有误：" + "；".join(e["msg"] for e in listed) + "。", "errors": listed}
