import pytest

from jingzhun.public.masking import mask_name
from jingzhun.public.templatetags.public_tags import yuan


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("张三", "张*"),
        ("欧阳小明", "欧*明"),
        ("阿依古丽·买买提", "阿*提"),
        ("王", "*"),
        ("", ""),
        (" 李四芳 ", "李*芳"),
    ],
)
def test_a_name_keeps_only_its_first_and_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_long_name_is_masked_with_one_star_so_its_length_does_not_show() -> None:
    assert mask_name("欧阳小明") == mask_name("欧阳明") == "欧*明"


@pytest.mark.parametrize(
    ("fen", "shown"),
    [(0, "0.00"), (5, "0.05"), (201000, "2,010.00"), (123456789, "1,234,567.89"), (-4420, "-44.20")],
)
def test_fen_are_shown_as_yuan_with_two_decimals(fen: int, shown: str) -> None:
    assert yuan(fen) == shown
