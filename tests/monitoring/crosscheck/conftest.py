"""数据比对 fixtures: the staff web ``world`` (households in 信义村, 歧道村, 吴城村, 水头村) and list files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import (  # noqa: F401  (fixtures re-exported for this package)
    _tasks_run_in_the_request,
    _uploads_in_tmp,
    build_world,
    login,
)

HEADERS = ("姓名", "身份证号", "出生日期", "村代码")


def write_list(path: Path, rows: Iterable[Mapping[str, Any]], headers: Iterable[str] = HEADERS) -> Path:
    columns = list(headers)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return path


@pytest.fixture
def world(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    return build_world(regions, personas)


def head(household: Any) -> Any:
    return household.persons.order_by("id").first()
