"""Messages on the staff pages are Chinese only: the English field key an action or the importer appends
(``… [id_number]``, kept for the CLI and the audit) is not shown on a page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.text import without_key
from tests.registry.importfiles import bad_rows, write_csv
from tests.registry.test_change_views_add_person import new_person

pytestmark = pytest.mark.django_db

KEY_TAG = re.compile(r"\[[a-z][a-z0-9_]*\]")


def shown_keys(html: str) -> list[str]:
    return KEY_TAG.findall(html)


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("身份证号应为 18 位，实际 3 位 [id_number]", "身份证号应为 18 位，实际 3 位"),
        ("日期不能晚于今天（2026-11-28）[date]", "日期不能晚于今天（2026-11-28）"),
        ("第2行 [身份证号] 校验码错误 [id_number]", "第2行 [身份证号] 校验码错误"),
        ("第1行 [户编号] 列名重复", "第1行 [户编号] 列名重复"),  # a Chinese column tag stays
        ("计算月份 [month] 应为 YYYY-MM", "计算月份 [month] 应为 YYYY-MM"),  # only a trailing tag goes
        ("没有标签", "没有标签"),
    ],
)
def test_without_key_drops_only_the_trailing_english_key(message: str, shown: str) -> None:
    assert without_key(message) == shown


def test_the_status_page_refusal_has_no_key(login: Any, world: Any) -> None:
    data = {"status": "exited_supported", "date": "2020-05-01", "note": "x"}
    page = login("victor").post(f"/households/{world['own'].pk}/status/", data).content.decode()
    assert "户状态不再直接修改" in page and shown_keys(page) == []


def test_an_unknown_merge_target_has_no_key(login: Any, world: Any) -> None:
    data = {"into": "1411020010019999", "date": "2020-06-01", "note": "合户"}
    page = login("tom").post(f"/households/{world['own_other'].pk}/merge/", data).content.decode()
    assert "未找到户编号 1411020010019999" in page and shown_keys(page) == []


def test_a_bad_id_number_of_a_new_member_has_no_key(login: Any, world: Any) -> None:
    client = login("victor")
    page = client.post(f"/households/{world['own'].pk}/persons/new/", new_person(id_number="141")).content.decode()
    assert "身份证号应为 18 位" in page and shown_keys(page) == []


def test_the_import_job_page_lists_row_errors_without_keys(
    login: Any, regions: Any, personas: Any, tmp_path: Path
) -> None:
    from jingzhun.core.models import BackgroundJob

    client = login("victor")
    with write_csv(tmp_path / "有错.csv", bad_rows()).open("rb") as f:
        page = client.post("/households/import/", {"file": f}, follow=True).content.decode()
    assert "第2行 [城乡类别]" in page and "第4行 [身份证号]" in page
    assert shown_keys(page) == []
    # the job keeps the full text (as the CLI prints it) for the record
    assert "[area]" in BackgroundJob.objects.get().result["errors"][0]["text"]


def test_a_bad_month_on_the_household_page_is_told_in_chinese_without_the_key(login: Any, world: Any) -> None:
    page = login("victor").get(f"/households/{world['own'].pk}/", {"month": "2020-13"}).content.decode()
    assert "月份应为 YYYY-MM（例如 2020-06），得到「2020-13」" in page
    assert "[month]" not in page
