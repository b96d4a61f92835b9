"""吕梁市 and its 13 counties (GB/T 2260), seeded by migration."""

from typing import Any

PROVINCE = ("140000", "山西省")
CITY = ("141100", "吕梁市")
COUNTIES: tuple[tuple[str, str], ...] = (
    ("141102", "离石区"),
    ("141121", "文水县"),
    ("141122", "交城县"),
    ("141123", "兴县"),
    ("141124", "临县"),
    ("141125", "柳林县"),
    ("141126", "石楼县"),
    ("141127", "岚县"),
    ("141128", "方山县"),
    ("141129", "中阳县"),
    ("141130", "交口县"),
    ("141181", "孝义市"),
    ("141182", "汾阳市"),
)


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
