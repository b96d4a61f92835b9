"""服刑 (serving a prison sentence) as a dated per-member registry fact, and which members it keeps out of a month.

POLICY.md §8 says a prisoners-list hit means "member does not share income". The reading chosen is the
caseworker's, as 民政's 低保 rules treat 在监狱服刑人员: while serving, the person is not a member of the
共同生活家庭 — not counted in the household's size and their income not counted in its income. The pure
engine's household document (POLICY.md §1, DESIGN.md) is unchanged: the exclusion happens where the registry
builds documents (:mod:`jingzhun.registry.documents`), which leaves such a member out of month M when they
are serving on the first day of M (POLICY.md §0, month of computation, like every membership fact):
``start`` ≤ 1st of M and (no ``end`` or ``end`` > 1st of M). ``end`` is the 刑满释放 date, the first day back
home: a sentence from 10 March 2020 still counts the member for March and leaves them out from April; a
release on 15 August leaves them out of August and counts them again from September.

A term is recorded by confirming a 服刑 疑点 of 数据比对 or by hand on the staff household page; it is
edited or ended (刑满释放) through :mod:`jingzhun.registry.custody_actions` — never deleted, every change
audited. It is never shown on public pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q

from jingzhun.core import nodelete, workday

NO_DELETE = "服刑记录不能删除：刑满释放请填写释放日期，记录会保留。"


class CustodyTerm(nodelete.NeverDeleted):
    """一段服刑: the member is out of the 共同生活家庭 from ``start`` until ``end`` (刑满释放), if known."""

    NO_DELETE = NO_DELETE

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="custody_terms", verbose_name="人员"
    )
    start = models.DateField("服刑起始日期")
    end = models.DateField("刑满释放日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200)
    recorded_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "服刑记录"
        verbose_name_plural = "服刑记录"
        ordering = ["person", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")), name="custody_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} 服刑 {self.start}–{self.end or ''}"

    def serving_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def serving_on(day: dt.date) -> Q:
    """The terms in which a member is serving on ``day`` (the module's rule), as a filter."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def custody_terms(persons: Iterable[Any]) -> list[CustodyTerm]:
    """The members' terms for the staff household page, each with ``serving_today`` set; one query."""
    today = workday.today()
    terms = list(CustodyTerm.objects.filter(person__in=list(persons)).select_related("person").order_by("start", "id"))
    for term in terms:
        term.serving_today = term.serving_on(today)  # type: ignore[attr-defined]
    return terms
