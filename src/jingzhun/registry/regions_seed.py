"""吕梁市 and its 13 counties, seeded by migration; the one county list is ``policy/regions.py``."""

from typing import Any

from jingzhun.policy import regions

PROVINCE = (regions.PROVINCE, regions.NAMES[regions.PROVINCE])
CITY = (regions.CITY, regions.NAMES[regions.CITY])
COUNTIES: tuple[tuple[str, str], ...] = tuple((code, regions.NAMES[code]) for code in regions.COUNTIES)


def seed(region_model: Any) -> None:
    """Create 山西省, 吕梁市 and its counties if missing (used by the migration and by the demo reset)."""
    province, _ = region_model.objects.get_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": "province"}
    )
    city, _ = region_model.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": "city", "parent": province}
    )
    for code, name in COUNTIES:
        region_model.objects.get_or_create(code=code, defaults={"name": name, "level": "county", "parent": city})
