"""The registry's to-do on the 工作台: 信息变更申请 waiting for my decision (待审批变更)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jingzhun.core.actions import Actor
from jingzhun.core.todos import Todo
from jingzhun.registry import change_actions

LIMIT = 200  # as the 待审批变更 page lists them


def change_todos(actor: Actor, today: dt.date) -> list[Todo]:
    if actor.role not in change_actions.LEVEL or change_actions.LEVEL[actor.role] < change_actions.TOWNSHIP:
        return []
    waiting = len(change_actions.to_decide(actor, limit=LIMIT))
    return [Todo("待审批变更", waiting, reverse("registry:changes"), "由我审批的信息变更申请（最多列 200 件）")]
