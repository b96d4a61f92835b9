"""代发文件 per bank: one file for each 代发银行 in that bank's own layout, zipped for the download.

Each bank's layout is a small YAML file in ``ledger/bank_layouts/`` (columns in the bank's order with
the bank's own headers, encoding, whether a 合计 row ends the file); a bank whose name matches none of them
gets ``default.yaml``. A county adds or corrects a bank by editing one of these files. The bank's file is
the only place a full ID number (身份证号) appears: the pages and the CLI's summary file mask it.

The rows are ``bankfiles.plan_bank_file``'s, with the references of their batch (``actions.batch_plan``);
cells pass ``core.spreadsheet_text`` so a name cannot become a formula in the bank's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from jingzhun.core.spreadsheet_text import csv_row
from jingzhun.ledger.bankfiles import BankFilePlan, BankRow
from jingzhun.policy.money import fen_to_str

LAYOUT_DIR = Path(__file__).resolve().parent / "bank_layouts"
FIELDS = frozenset({"number", "reference", "household_no", "bank", "account", "name", "id_number", "amount", "summary"})


@dataclass(frozen=True)
class Layout:
    key: str
    bank: str
    names: tuple[str, ...]
    encoding: str
    total_row: bool
    columns: tuple[tuple[str, str], ...]


@cache
def layouts() -> dict[str, Layout]:
    out: dict[str, Layout] = {}
    for path in sorted(LAYOUT_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        columns = tuple((str(header), str(field)) for header, field in raw["columns"])
        if unknown := {f for _, f in columns} - FIELDS:
            raise ValueError(f"{path.name}：未知字段 {sorted(unknown)}")
        out[path.stem] = Layout(
            path.stem, str(raw["bank"]), tuple(raw.get("names") or ()), str(raw.get("encoding", "utf-8-sig")),
            bool(raw.get("total_row", True)), columns,
        )  # fmt: skip
    return out


def layout_for(bank_name: str) -> Layout:
    """The layout whose bank (or one of its other names) the household's 开户银行 contains; else the default."""
    for layout in layouts().values():
        if layout.key != "default" and any(n and n in bank_name for n in (layout.bank, *layout.names)):
            return layout
    return layouts()["default"]


def _cell(row: BankRow, number: int, field: str) -> str | int:
    values: dict[str, str | int] = {
        "number": number,
        "reference": row.reference,
        "household_no": row.household_no,
        "bank": row.bank_name,
        "account": row.account,
        "name": row.name,
        "id_number": row.id_number,
        "amount": fen_to_str(row.amount_fen),
        "summary": row.summary,
    }
    return values[field]


def bank_files(plan: BankFilePlan, batch_id: int) -> list[tuple[str, bytes]]:
    """(file name, bytes) for each bank the plan's rows pay through, in that bank's layout."""
    groups: dict[str, list[BankRow]] = {}
    for row in plan.rows:
        groups.setdefault(layout_for(row.bank_name).key, []).append(row)
    out = []
    for key, rows in sorted(groups.items()):
        layout = layouts()[key]
        handle = io.StringIO()
        writer = csv.writer(handle)
        writer.writerow([header for header, _ in layout.columns])
        for number, row in enumerate(rows, start=1):
            writer.writerow(csv_row([_cell(row, number, field) for _, field in layout.columns]))
        if layout.total_row:
            total = {"amount": fen_to_str(sum(r.amount_fen for r in rows)), "number": "合计", "account": "合计"}
            first = layout.columns[0][1]
            cells = [total.get(f, "") if f in ("amount", first) else "" for _, f in layout.columns]
            cells[0] = cells[0] or "合计"
            writer.writerow(cells)
        name = f"代发-{layout.bank if key != 'default' else '其他银行'}-{plan.month:%Y-%m}-批次{batch_id}.csv"
        try:
            data = handle.getvalue().encode(layout.encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise ValueError(
                f"{layout.bank}的代发文件用 {layout.encoding} 编码，“{bad}”无法写入；请核对户名或修改该银行的模板编码"
            ) from None
        out.append((name, data))
    return out


def bank_zip(plan: BankFilePlan, batch_id: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bank_files(plan, batch_id):
            archive.writestr(name, data)
    return buffer.getvalue()
