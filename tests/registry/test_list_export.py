"""Issue #15: 户籍查询's 导出Excel — the filtered households of every page, the filter in the title, ID numbers
masked as the list shows them, the scope applied, the download audited, a cap with a message."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from tests.staff import make_household
from tests.xlsx import opened

pytestmark = pytest.mark.django_db


def test_the_list_offers_an_export_of_its_filter(world: dict[str, Any], login: Any) -> None:
    page = login("alice").get("/households/", {"region": "141102001001"}).content.decode()
    assert '<a class="export-link" href="?region=141102001001&amp;format=xlsx"' in page and "导出Excel" in page


def test_a_village_filter_exports_that_villages_households_across_pages(
    world: dict[str, Any], regions: dict[str, Any], login: Any
) -> None:
    for n in range(3, 8):  # more than one page of 2 below
        make_household(regions["v11"], f"141102001001{n:04d}", f"成员{n}")
    client = login("alice")
    shown = client.get("/households/", {"region": "141102001001", "limit": 2}).content.decode()
    assert "下一页" in shown
    book = opened(client.get("/households/", {"region": "141102001001", "limit": 2, "format": "xlsx"}))
    assert "户籍查询" in book.title and "信义村" in book.title and "户籍状态：在册" in book.title
    expected = sorted(f"141102001001{n:04d}" for n in range(1, 8))
    assert book.column("户编号") == expected
    assert "共 7 条" in book.count_line
    assert all("*" in id_text for id_text in book.column("身份证号"))  # masked, as on the list
    audit = AuditEvent.objects.get(action="core.export_list")
    assert audit.object_id == "户籍查询" and audit.after["rows"] == 7 and "信义村" in audit.after["filter"]


def test_a_name_search_exports_only_the_matching_household(world: dict[str, Any], login: Any) -> None:
    book = opened(login("alice").get("/households/", {"q": "孙有福", "format": "xlsx"}))
    assert book.column("户主") == ["孙有福"] and "孙有福" in book.title


def test_a_cadre_exports_only_the_households_assigned_to_them(world: dict[str, Any], login: Any) -> None:
    book = opened(login("carl").get("/households/", {"format": "xlsx"}))
    assert book.column("户编号") == [world["own"].household_no]
    assert book.title == "户籍查询（筛选条件：户籍状态：在册）"


def test_a_filter_beyond_the_cap_exports_the_first_rows_and_says_so(
    world: dict[str, Any], login: Any, monkeypatch: Any
) -> None:
    from jingzhun.core import list_export

    monkeypatch.setattr(list_export, "EXPORT_CAP", 2)
    book = opened(login("alice").get("/households/", {"format": "xlsx"}))
    assert len(book.rows) == 2 and "超过单次导出上限 2 条" in book.count_line and "共 4 条" in book.count_line


def test_a_count_that_stops_early_still_says_the_file_is_cut(
    world: dict[str, Any], login: Any, monkeypatch: Any
) -> None:
    from jingzhun.core import list_export
    from jingzhun.registry import queries

    monkeypatch.setattr(list_export, "EXPORT_CAP", 2)
    real_filtered = queries.filtered

    def counted_to_two(actor: Any, s: Any) -> Any:  # as a very common name's count stops at COUNT_CAP
        found = real_filtered(actor, s)
        found.count, found.capped = 2, True
        return found

    monkeypatch.setattr(queries, "filtered", counted_to_two)
    book = opened(login("alice").get("/households/", {"format": "xlsx"}))
    assert len(book.rows) == 2 and book.count_line.startswith("超过 2 条，超过单次导出上限 2 条")
