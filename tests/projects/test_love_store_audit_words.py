"""爱心超市 in the audit search and the household's 修改记录: the activity a household earned points for reads
in words (群众讲政策), as every other coded value does, never as its code (policy_talk); the points earned and
spent are among the household's 修改记录."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.projects.models import POINT_ACTIVITY_NAMES

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world: dict[str, Any], login: Any) -> Any:
    """Victor (村干部) records two activities and one redemption on the village's form."""
    home = world["own"]
    victor = login("victor")
    for day, activity in (("2020-06-03", "policy_talk"), ("2020-06-09", "sanitation")):
        victor.post(f"/projects/points/{home.pk}/add/", {"day": day, "activity": activity})
    victor.post(
        f"/projects/points/{home.pk}/add/", {"day": "2020-06-12", "kind": "redeem", "points": "5", "goods": "食用油"}
    )
    return home


def table(html: str) -> str:
    return html[html.index("<table") :]


def test_the_audit_search_names_the_activity(recorded: Any, login: Any) -> None:
    page = table(login("audrey").get("/audit/", {"kind": "projects.earn_points"}).content.decode())
    assert page.count("爱心超市积分") == 2
    assert "活动：群众讲政策" in page and "活动：环境卫生联帮联治" in page
    for code in POINT_ACTIVITY_NAMES:
        assert code not in page


def test_the_households_changes_list_its_love_store_rows_in_words(recorded: Any, login: Any) -> None:
    page = table(login("alice").get(f"/households/{recorded.pk}/changes/").content.decode())
    assert "爱心超市积分" in page and "爱心超市兑换" in page and "食用油" in page
    assert "群众讲政策" in page and "环境卫生联帮联治" in page
    for code in POINT_ACTIVITY_NAMES:
        assert code not in page
