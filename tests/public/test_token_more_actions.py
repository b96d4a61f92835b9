"""Issue #15: the destructive 一码清 actions (作废, 重新生成) sit behind a folded 更多操作 menu and each asks
for confirmation (data-confirm, read by app.js); with no valid code, 重新生成 / 生成二维码 stay in view."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.public.actions import issue_token, revoke_token

pytestmark = pytest.mark.django_db


def _menu(page: str) -> str:
    found = re.search(r'<details class="more-actions"><summary>更多操作</summary>(.*?)</details>', page, re.S)
    assert found, "no 更多操作 menu"
    return found.group(1)


def test_revoke_and_reissue_are_folded_into_more_actions_and_ask_first(world: dict[str, Any], login: Any) -> None:
    household = world["own"]
    issue_token(Actor.system("test"), household)
    page = login("alice").get(f"/households/{household.pk}/").content.decode()
    menu = _menu(page)
    assert 'data-confirm="确定作废本户的二维码' in menu and 'data-confirm="确定重新生成本户的二维码' in menu
    outside = page.replace(menu, "")
    assert "作废原因" not in outside and "重新生成原因" not in outside
    assert "<details open" not in page  # folded until opened


def test_after_a_revoke_the_new_code_is_offered_in_view(world: dict[str, Any], login: Any) -> None:
    household = world["own"]
    token = issue_token(Actor.system("test"), household)
    revoke_token(Actor.system("test"), token, reason="门牌丢失")
    page = login("alice").get(f"/households/{household.pk}/").content.decode()
    assert "more-actions" not in page and "重新生成原因" in page
