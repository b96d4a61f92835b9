"""Every kind of bad row is reported as 第N行 [列] 消息 and nothing at all is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry.importer import ImportReport, import_file

from .conftest import FAR_VILLAGE, OTHER_VILLAGE, id_for, member, row, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(tmp_path: Path, villages: Any, counts: Callable[[], dict[str, int]]) -> Callable[..., ImportReport]:
    """Import rows; assert the import failed and no table changed; return the report."""

    def run(rows: list[dict[str, Any]], actor: Actor | None = None, path: Path | None = None) -> ImportReport:
        path = path or write_xlsx(tmp_path / "bad.xlsx", rows)
        before = counts()
        report = import_file(path, actor=actor or Actor.system("test"))
        assert report.errors and not report.written
        assert counts() == before
        return report

    return run


def message(report: ImportReport, row_number: int, header: str) -> str:
    """The message reported for that cell (fails listing all errors when there is none)."""
    found = [e.message for e in report.errors if (e.row, e.column) == (row_number, header)]
    assert found, f"no error at 第{row_number}行 [{header}]; got {report.error_lines()}"
    return found[0]


def test_wrong_check_digit_is_reported_with_the_right_digit(rejected: Callable[..., ImportReport]) -> None:
    good = id_for(dt.date(1962, 7, 9), "F")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    report = rejected([row("H1"), member("H1", 身份证号=wrong)])
    assert f"校验码错误（末位应为 {good[17]}）" in message(report, 3, "身份证号")
    assert str(report.errors[0]).startswith("第3行 [身份证号] ")


def test_birth_date_that_disagrees_with_the_id_number_is_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 出生日期="1958-03-13")])
    assert "与身份证号不一致（身份证号中为 1958-03-12）" in message(report, 2, "出生日期")


def test_sex_that_disagrees_with_the_id_number_is_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1"), member("H1", 性别="男")])
    assert "与身份证号不一致（身份证号中为 女）" in message(report, 3, "性别")


def test_an_id_number_twice_in_the_file_is_reported_on_the_later_row(rejected: Callable[..., ImportReport]) -> None:
    head = row("H1")
    report = rejected([head, member("H1"), row("H2", 身份证号=head["身份证号"])])
    assert "与第2行的身份证号重复" in message(report, 4, "身份证号")


def test_an_id_number_already_registered_is_reported(tmp_path: Path, rejected: Callable[..., ImportReport]) -> None:
    first = row("H1")
    assert import_file(write_xlsx(tmp_path / "first.xlsx", [first]), actor=Actor.system("test")).written
    report = rejected([row("H2", 身份证号=first["身份证号"])])
    assert "身份证号已登记在系统中（户编号 1411020010010001）" in message(report, 2, "身份证号")


def test_an_id_number_registered_outside_the_actors_region_does_not_name_the_household(
    tmp_path: Path, rejected: Callable[..., ImportReport], actors: dict[str, Actor]
) -> None:
    """A cadre may not learn where (which 户编号, so which village) a number outside their region is registered."""
    elsewhere = row("1411020010020001", 村代码=OTHER_VILLAGE)
    assert import_file(write_xlsx(tmp_path / "first.xlsx", [elsewhere]), actor=Actor.system("test")).written
    report = rejected([row("1411020010010009", 身份证号=elsewhere["身份证号"])], actor=actors["victor"])
    text = message(report, 2, "身份证号")
    assert "1411020010020001" not in text and "1411020010020001" not in "\n".join(report.error_lines())
    assert "身份证号已在其他地区登记" in text
    # inside the actor's region (the county officer's 离石区) the household is named, as it was for the system
    report = rejected([row("1411020010010009", 身份证号=elsewhere["身份证号"])], actor=actors["alice"])
    assert "身份证号已登记在系统中（户编号 1411020010020001）" in message(report, 2, "身份证号")


def test_a_household_number_already_registered_is_reported(
    tmp_path: Path, rejected: Callable[..., ImportReport]
) -> None:
    assert import_file(
        write_xlsx(tmp_path / "first.xlsx", [row("1411020010010101")]), actor=Actor.system("test")
    ).written
    report = rejected([row("1411020010010101")])
    assert "户编号 1411020010010101 已存在于系统中" in message(report, 2, "户编号")


def test_a_files_own_numbers_are_replaced_by_the_villages_next_ones(tmp_path: Path, villages: Any) -> None:
    """ "新-01" only groups the file's rows: the household gets the village's next 16-digit number."""
    from jingzhun.registry.models import Household

    kept = import_file(write_xlsx(tmp_path / "a.xlsx", [row("1411020010010041")]), actor=Actor.system("test"))
    assert kept.written and kept.assigned == {}  # a system number of its own village is kept
    report = import_file(
        write_xlsx(tmp_path / "b.xlsx", [row("新-01"), member("新-01"), row("新-02"), row("1411020020010001")]),
        actor=Actor.system("test"),
    )
    assert report.written
    assert report.assigned == {
        "新-01": "1411020010010042",
        "新-02": "1411020010010043",
        "1411020020010001": "1411020010010044",
    }
    first = Household.objects.get(household_no="1411020010010042")
    assert (first.import_no, first.persons.count()) == ("新-01", 2)
    assert not Household.objects.filter(household_no__in=["新-01", "新-02"]).exists()
    assert Household.objects.get(household_no="1411020010010041").import_no == ""


def test_an_unknown_village_code_is_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 村代码="141102009009")])
    assert "村代码 141102009009 不存在" in message(report, 2, "村代码")


def test_a_township_code_in_the_village_column_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "是乡镇代码" in message(rejected([row("H1", 村代码="141102001000")]), 2, "村代码")


def test_a_bad_choice_lists_the_allowed_values_with_the_key(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 城乡类别="乡下")])
    assert message(report, 2, "城乡类别") == "「乡下」不是允许的值，可选：农村、城镇 [area]"


def test_a_bad_value_in_a_multi_choice_column_names_only_the_bad_one(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 致贫原因="因病、懒惰")])
    assert message(report, 2, "致贫原因").startswith("「懒惰」不是允许的值")


def test_a_bad_yes_no_value_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "应为 是 或 否" in message(rejected([row("H1", 饮水安全="有")]), 2, "饮水安全")


def test_negative_income_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "不能为负数" in message(rejected([row("H1", 种养殖收入="-5")]), 2, "种养殖收入")


def test_non_numeric_income_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "「三千」不是数字" in message(rejected([row("H1"), member("H1", 工资性收入="三千")]), 3, "工资性收入")


def test_income_with_more_than_two_decimals_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "最多两位小数" in message(rejected([row("H1", 转移性收入="10.005")]), 2, "转移性收入")


def test_a_missing_person_field_is_reported_on_every_row(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1"), member("H1", 姓名=None)])
    assert message(report, 3, "姓名") == "必填 [name]"


def test_a_missing_household_field_is_reported_on_the_head_row(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 地址=None), member("H1")])
    assert message(report, 2, "地址") == "必填 [address]"
    assert all(e.row == 2 for e in report.errors)


def test_a_household_without_a_head_is_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected(
        [row("H1"), member("H2", 村代码="141102001001"), member("H2", "子女", birth=dt.date(1990, 1, 2), sex="M")]
    )
    assert "户编号 H2 没有户主" in message(report, 3, "与户主关系")


def test_a_household_with_two_heads_is_reported_on_the_second(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1"), member("H1", "户主")])
    assert "有 2 名户主" in message(report, 3, "与户主关系")


def test_a_member_row_that_contradicts_the_head_row_is_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1"), member("H1", 村代码=OTHER_VILLAGE, 城乡类别="城镇", 致贫原因="缺技术、因病")])
    assert f"与户主行不一致（户主行为「{row('H1')['村代码']}」）" in message(report, 3, "村代码")
    assert "户主行为「农村」" in message(report, 3, "城乡类别")
    assert not [e for e in report.errors if e.column == "致贫原因"]  # same causes in another order agree


def test_bad_dates_are_reported(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 状态日期="2016-02-30"), member("H1", 出生日期="去年")])
    assert "不是有效日期" in message(report, 2, "状态日期")
    assert "「去年」不是有效日期（应为 YYYY-MM-DD）" in message(report, 3, "出生日期")


def test_a_registered_household_without_status_is_reported(rejected: Callable[..., ImportReport]) -> None:
    assert "须填写户状态" in message(rejected([row("H1", 户状态=None)]), 2, "户状态")


def test_an_id_number_stored_as_an_excel_number_is_explained(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1", 身份证号=141102195803121234)])
    assert "存成了数字" in message(report, 2, "身份证号")


def test_a_missing_header_is_reported_on_row_one(tmp_path: Path, rejected: Callable[..., ImportReport]) -> None:
    from jingzhun.registry.columns import HEADERS

    path = write_xlsx(tmp_path / "short.xlsx", [row("H1")], headers=[h for h in HEADERS if h != "收入年度"])
    assert message(rejected([], path=path), 1, "收入年度") == "缺少列「收入年度」[income_year]"


def test_a_file_with_other_headers_is_one_line_saying_it_is_not_the_template(
    tmp_path: Path, rejected: Callable[..., ImportReport]
) -> None:
    from jingzhun.registry.columns import HEADERS

    headers = ["序号", "户主姓名", "身份证号码", "家庭住址", "联系电话", "姓名"]  # some other office's roster
    path = write_xlsx(tmp_path / "花名册.xlsx", [{"序号": 1, "户主姓名": "张建国", "姓名": "张建国"}], headers=headers)
    report = rejected([], path=path)
    assert len(report.errors) == 1, report.error_lines()
    line = report.error_lines()[0]
    assert line.startswith(f"[文件] 这不是户籍导入模板：第1行应为模板的 {len(HEADERS)} 个列名，本文件只有 1 个相符。")
    assert "户编号、村代码" in line and "jingzhun registry template" in line


def test_a_few_missing_headers_are_still_listed_one_by_one(
    tmp_path: Path, rejected: Callable[..., ImportReport]
) -> None:
    from jingzhun.registry.columns import HEADERS

    gone = {"收入年度", "饮水安全", "住房面积"}
    path = write_xlsx(tmp_path / "short.xlsx", [row("H1")], headers=[h for h in HEADERS if h not in gone])
    report = rejected([], path=path)
    assert sorted(e.column for e in report.errors) == sorted(gone)
    assert all(e.message.startswith("缺少列") for e in report.errors)


def test_an_unknown_header_is_reported_on_row_one(tmp_path: Path, rejected: Callable[..., ImportReport]) -> None:
    from jingzhun.registry.columns import HEADERS

    path = write_xlsx(tmp_path / "extra.xlsx", [row("H1")], headers=[*HEADERS, "备注"])
    assert "未知的列「备注」" in message(rejected([], path=path), 1, "备注")


def test_a_village_outside_the_cadres_own_is_refused_per_row(
    actors: dict[str, Any], rejected: Callable[..., ImportReport]
) -> None:
    report = rejected([row("H1"), row("H2", 村代码=OTHER_VILLAGE)], actor=actors["victor"])
    assert "超出本账号的工作区域" in message(report, 3, "村代码")
    assert not [e for e in report.errors if e.row == 2]


def test_another_countys_village_is_refused_for_a_county_officer(
    actors: dict[str, Any], rejected: Callable[..., ImportReport]
) -> None:
    report = rejected([row("H1", 村代码=FAR_VILLAGE)], actor=actors["alice"])
    assert "超出本账号的工作区域" in message(report, 2, "村代码")


def test_every_bad_cell_is_reported_in_row_order(rejected: Callable[..., ImportReport]) -> None:
    report = rejected(
        [row("H1", 城乡类别="乡下"), member("H1", 姓名=None), row("H2", 住房安全等级="E", 收入年度="明年")]
    )
    cells = [(e.row, e.column) for e in report.errors]
    assert cells == [(2, "城乡类别"), (3, "姓名"), (4, "住房安全等级"), (4, "收入年度")]


def test_blank_rows_do_not_shift_the_row_numbers(rejected: Callable[..., ImportReport]) -> None:
    report = rejected([row("H1"), {}, member("H1", 性别="男")])
    assert message(report, 4, "性别").startswith("与身份证号不一致")
