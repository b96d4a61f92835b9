import pytest

from jingzhun.core.scope import county_of, region_level, region_prefix


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("140000", "province", "14"),
        ("141100", "city", "1411"),
        ("141102", "county", "141102"),
        ("141102001000", "township", "141102001"),
        ("141102001002", "village", "141102001002"),
    ],
)
def test_region_level_and_prefix_follow_the_code(code: str, level: str, prefix: str) -> None:
    assert region_level(code) == level
    assert region_prefix(code) == prefix


def test_a_village_is_inside_its_township_and_county_but_not_a_neighbour() -> None:
    village = "141102001002"
    assert village.startswith(region_prefix("141102001000"))
    assert village.startswith(region_prefix("141102"))
    assert not village.startswith(region_prefix("141102002000"))
    assert county_of(village) == "141102"


def test_malformed_code_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="区域代码格式错误"):
        region_level("14110")
