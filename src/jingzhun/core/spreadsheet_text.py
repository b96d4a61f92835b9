"""Text we write into a spreadsheet (.xlsx, .csv) is shown as text, never run as a formula.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
leading tab or carriage return hides such a start); a name typed as ``=HYPERLINK("http://x","点我")``
in the registry would become a live link in the bank's payout file, and ``-2+3+cmd|' /C calc'!A0``
runs a program in older Excel (CSV injection, OWASP). Every writer in jingzhun passes its cells
through one of these two functions:

* :func:`csv_cell` — for CSV: text that could start a formula gets a leading ``'`` (Excel shows the
  rest as text, the usual defence); a plain number written as text (``-12.00``, ``515.30``) stays as
  it is, so amounts remain numbers when the file is opened;
* :func:`text_cells` — for an openpyxl sheet once it is filled: every cell openpyxl took for a
  formula becomes a string cell (``data_type = "s"``: Excel shows exactly the original text), and
  every formula-like string gets Excel's quote prefix, so editing the cell later does not turn it
  into a formula either. Numbers stay numbers.

Numbers, dates, ``None`` and booleans pass untouched. Pure: no Django.
"""

from __future__ import annotations

import re
from typing import Any

# What a spreadsheet may read as the start of a formula (OWASP "CSV injection"), and the full-width
# forms a program may fold to them.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would take as a formula (a plain number is not)."""
    if not isinstance(value, str) or not value:
        return False
    return value[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value)


def csv_cell(value: object) -> object:
    """``value`` as a CSV cell: formula-like text prefixed with ``'``; anything else unchanged."""
    return "'" + value if isinstance(value, str) and formula_like(value) else value


def csv_row(values: list[object] | tuple[object, ...]) -> list[object]:
    return [csv_cell(value) for value in values]


def text_cells(sheet: Any) -> None:
    """Make every formula-like cell of an openpyxl worksheet a text cell (see the module doc).

    jingzhun writes no formulas: whatever openpyxl took for one came from data (a name, a reason)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
