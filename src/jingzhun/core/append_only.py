"""Append-only rows (the ledger's payment lines, 住院结算's settlement records): a row is inserted once and never
updated or deleted, neither one at a time nor in bulk. A correction is a new row (冲正, 调整). The database
triggers of ``core/triggers.py`` enforce the same below the ORM where a table has them.

A model names what it holds in ``append_only_what`` (台账, 结算记录) for the Chinese refusal."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only row."""


def _refusal(model: Any, verb: str) -> str:
    return f"{getattr(model, 'append_only_what', '记录')}只能追加，不能{verb}（append-only）。"


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_refusal(self.model, "修改"))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(self.model, "删除"))


class AppendOnly(models.Model):
    append_only_what: ClassVar[str] = "记录"
    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_refusal(self, "修改"))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(self, "删除"))
