"""下载导入模板 on the import page: the template cadres fill in, with example rows in their own region; the
roles that may not import cannot download it either."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.registry import columns as c
from jingzhun.registry.template import DATA_SHEET

pytestmark = pytest.mark.django_db


def test_the_import_page_links_the_template_and_it_downloads_with_the_contract_columns(
    world: dict[str, Any], login: Any
) -> None:
    client = login("victor")
    page = client.get("/households/import/").content.decode()
    assert "下载导入模板" in page and "/households/import/template/" in page
    response = client.get("/households/import/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[DATA_SHEET]
    assert [cell.value for cell in sheet[1]] == list(c.HEADERS)
    examples = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert examples
    assert any("141102001001" in str(cell) for row in examples for cell in row)  # victor's own village


@pytest.mark.parametrize(("persona", "status"), [("carl", 403), ("audrey", 403)])
def test_roles_that_may_not_import_cannot_download_it(
    world: dict[str, Any], login: Any, persona: str, status: int
) -> None:
    assert login(persona).get("/households/import/template/").status_code == status
