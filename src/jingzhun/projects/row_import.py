"""What the 光伏 and 爱心超市 imports share: each row goes through the same action a form uses (its checks,
its audit row) inside one transaction for the whole file, and any error — or a dry run — rolls all of it
back, so a file is written whole or not at all and reports every bad row (``第N行 [列] 消息``).

Running the actions themselves, rather than checking apart from them, means the file is held to exactly
the form's rules, including those that need the rows before it (a station created three rows up, the
points balance after earlier rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.policy.money import yuan_to_fen
from jingzhun.registry.importer import open_import
from jingzhun.registry.report import RowError
from jingzhun.registry.sheets import ROW, Sheet

_KEY = re.compile(r"\[([a-z_]+)\]")


class CellError(ValueError):
    """A cell that does not parse: its column and a Chinese message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def read(
    path: Path, headers: tuple[str, ...], text_columns: tuple[str, ...]
) -> tuple[Sheet | None, str, list[RowError]]:
    """The sheet, its SHA-256, and the file-level errors (unreadable, no rows, columns missing or unknown)."""
    sheet, sha256, errors = open_import(Path(path), text_columns)
    if sheet is None:
        return None, sha256, errors
    errors = [RowError(1, h, f"缺少列「{h}」") for h in headers if h not in sheet.headers]
    errors += [RowError(1, h, f"未知的列「{h}」，请使用导入模板的列名") for h in sheet.headers if h not in headers]
    if not errors and sheet.frame.height == 0:
        errors = [RowError(0, "", "文件只有表头，没有数据行")]
    return (None if errors else sheet), sha256, errors


def rows(sheet: Sheet) -> Iterable[dict[str, Any]]:
    return sheet.frame.iter_rows(named=True)


def run(
    items: Iterable[dict[str, Any]],
    apply: Callable[[dict[str, Any]], None],
    columns: dict[str, str],
    *,
    dry_run: bool,
    default_column: str,
) -> list[RowError]:
    """``apply(row)`` for each row in one transaction, each in a savepoint; its CellError, ValidationError
    or PermissionDenied become the row's errors (a message's ``[key]`` names the column through
    ``columns``). Rolled back whole on any error or a dry run."""
    errors: list[RowError] = []
    with transaction.atomic():
        for row in items:
            n = int(row[ROW])
            try:
                with transaction.atomic():
                    apply(row)
            except CellError as exc:
                errors.append(RowError(n, exc.column, str(exc)))
            except ValidationError as exc:
                for message in exc.messages:
                    found = _KEY.search(message)
                    column = columns.get(found[1], default_column) if found else default_column
                    errors.append(RowError(n, column, message))
            except PermissionDenied as exc:
                errors.append(RowError(n, default_column, str(exc) or "无权办理"))
        if errors or dry_run:
            transaction.set_rollback(True)
    return errors


def text(row: dict[str, Any], column: str, *, required: bool = True) -> str:
    value = str(row.get(column) or "").strip()
    if required and not value:
        raise CellError(column, "必填")
    return value


def whole(row: dict[str, Any], column: str, *, required: bool = True) -> int | None:
    value = text(row, column, required=required)
    if not value:
        return None
    if value.endswith(".0"):  # a number cell saved through a CSV
        value = value[:-2]
    if not value.isdigit():
        raise CellError(column, f"「{value}」应为不小于 0 的整数")
    return int(value)


def decimal(row: dict[str, Any], column: str, *, required: bool = True) -> Decimal | None:
    value = text(row, column, required=required)
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(column, f"「{value}」不是数字") from None
    if not number.is_finite():
        raise CellError(column, f"「{value}」不是数字")
    return number


def fen(row: dict[str, Any], column: str, *, required: bool = True) -> int | None:
    value = text(row, column, required=required)
    if not value:
        return None
    try:
        return yuan_to_fen(value)
    except ValueError as exc:
        raise CellError(column, str(exc)) from None
