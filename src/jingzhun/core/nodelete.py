"""Records that stay on file: a model whose rows are never deleted, singly or in bulk.

Households, persons, projects and 帮扶记录 are corrected by events and actions, never removed: the delete
is refused with the model's own Chinese ``NO_DELETE`` message, from the instance, the queryset and the
admin alike. (The ledger goes further — append-only, no update either — in ``ledger.models``.)
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models


class NeverDeletedQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(self.model.NO_DELETE)


class NeverDeleted(models.Model):
    """Abstract base: set ``NO_DELETE`` to the sentence a user sees when a delete is refused."""

    NO_DELETE: ClassVar[str] = "该记录不能删除：记录会保留，更正请用相应的操作登记。"
    objects = NeverDeletedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(self.NO_DELETE)
