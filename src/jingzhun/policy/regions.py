"""吕梁市 and its counties (GB/T 2260) and the county → city → province → national chain.

Kept here, not imported from the registry app, because ``policy`` is pure and must run without Django.
"""

from __future__ import annotations

NATIONAL = "000000"
PROVINCE = "140000"
CITY = "141100"

NAMES: dict[str, str] = {
    NATIONAL: "全国",
    PROVINCE: "山西省",
    CITY: "吕梁市",
    "141102": "离石区",
    "141121": "文水县",
    "141122": "交城县",
    "141123": "兴县",
    "141124": "临县",
    "141125": "柳林县",
    "141126": "石楼县",
    "141127": "岚县",
    "141128": "方山县",
    "141129": "中阳县",
    "141130": "交口县",
    "141181": "孝义市",
    "141182": "汾阳市",
}

COUNTIES: tuple[str, ...] = tuple(code for code in NAMES if code not in (NATIONAL, PROVINCE, CITY))

LEVELS: dict[str, str] = {NATIONAL: "national", PROVINCE: "province", CITY: "city"}


def level_of(code: str) -> str:
    """``county``, ``city``, ``province`` or ``national``."""
    return LEVELS.get(code, "county")


def chain(code: str) -> tuple[str, ...]:
    """The codes a parameter is looked up in, most local first (POLICY.md §0)."""
    if code == NATIONAL:
        return (NATIONAL,)
    if code.endswith("0000"):
        return (code, NATIONAL)
    city = code[:4] + "00"
    province = code[:2] + "0000"
    if code == city:
        return (code, province, NATIONAL)
    return (code, city, province, NATIONAL)


def label(code: str) -> str:
    """``141102 离石区``."""
    return f"{code} {NAMES.get(code, '')}".strip()
