"""Playwright with Debian's chromium (never `playwright install`); screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The session's ``browser`` fixture is in tests/conftest.py: one Playwright for every test that needs it.


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def screenshot(page: object, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take


@pytest.fixture
def uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files in the test's own directory (the import walks)."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def seeded(transactional_db: None) -> None:
    """The 吕梁市 regions again: a transactional test empties every table, the migration's seed included."""
    from tests.staff import seed_regions

    seed_regions()


@pytest.fixture
def world(seeded: None, regions: Any, personas: Any) -> dict[str, Any]:
    """The staff web tests' households (tests/staff.py build_world), for the browser tests."""
    from tests.staff import build_world

    return build_world(regions, personas)
