"""Medical tests: the assistance fixtures (households in each place, actors) and hospitals of each level."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assistance.conftest import actor, county, household  # noqa: F401


@pytest.fixture
def hospitals(db: None) -> dict[str, Any]:
    from jingzhun.medical.models import Hospital

    return {
        level: Hospital.objects.create(name=f"{name}", level=level, county=code)
        for level, name, code in (
            ("county", "离石区人民医院", "141102"),
            ("city", "吕梁市人民医院", "141100"),
            ("province", "山西省人民医院", "140100"),
            ("outside", "北京协和医院", ""),
        )
    }
