"""Open a downloaded 导出Excel (core.list_export) as rows: title, count line, headers, data rows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


@dataclass
class Download:
    title: str
    count_line: str
    headers: list[Any]
    rows: list[list[Any]]
    sheet: Any

    def column(self, header: str) -> list[Any]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


def opened(response: Any) -> Download:
    """The workbook of an export response (asserting it is one: 200, an .xlsx attachment)."""
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headers = [h for h in rows[2] if h is not None]
    data = [row[: len(headers)] for row in rows[3:]]
    return Download(str(rows[0][0]), str(rows[1][0]), headers, data, sheet)
