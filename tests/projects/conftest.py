"""Project-library fixtures: the suite's regions and personas as actors, and a project factory.

Regions (tests/conftest.py): 离石区 141102 → 信义镇 t1 (信义村 v11, 歧道村 v12), 吴城镇 t2 (吴城村 v21);
交口县 141130 → 水头镇 t9 (水头村 v91).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jingzhun.core.actions import Actor


@pytest.fixture
def actors(personas: dict[str, Any]) -> dict[str, Actor]:
    """alice county 离石区, tom township 信义镇, victor village 信义村, audrey auditor, zoe county 交口县."""
    return {name: Actor.for_user(user) for name, user in personas.items()}


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


@pytest.fixture
def make_project(regions: dict[str, Any], system: Actor) -> Callable[..., Any]:
    """``make_project("P1", "141102001001", 金额={"central": 100_000})``: a project through the actions."""
    from jingzhun.projects.actions import add_allocation, create_project

    def make(code: str, region: str, *, funds: dict[str, int] | None = None, **fields: Any) -> Any:
        values = {"name": f"{code}项目", "kind": "pv", "year": 2019, "beneficiary_households": 10, **fields}
        project = create_project(system, code=code, region=region, **values)
        for source, fen in (funds or {}).items():
            add_allocation(system, project, source=source, amount_fen=fen)
        return project

    return make
