"""What an import tells the cadre: every bad row with its row number and column, or what was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Template = Literal["households", "regions", "unknown"]


class RowError(NamedTuple):
    """One problem in the file. ``row`` is the spreadsheet row (header = 1); 0 means the file as a whole."""

    row: int
    column: str  # the Chinese column header as written in row 1
    message: str  # Chinese, with the English field key in brackets where there is one

    def __str__(self) -> str:
        if self.row == 0:
            return f"[文件] {self.message}"
        return f"第{self.row}行 [{self.column}] {self.message}"


class AllOrNothingReport:
    """What every all-or-nothing import tells the cadre: ``ok``, the error lines and one Chinese sentence.

    For dataclasses with ``errors: list[RowError]`` and ``dry_run: bool`` that say what they count.
    """

    errors: list[RowError]
    dry_run: bool

    def counts(self) -> str:
        raise NotImplementedError

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def summary(self) -> str:
        """One Chinese sentence for the CLI and the web page."""
        if self.errors:
            return f"导入失败：发现 {len(self.errors)} 处错误，未写入任何数据。"
        if self.dry_run:
            return f"检查通过（试运行，未写入）：{self.counts()}。"
        return f"导入成功：{self.counts()}。"


@dataclass
class ImportReport(AllOrNothingReport):
    """The outcome of :func:`jingzhun.registry.importer.import_file`.

    ``errors`` empty and ``written`` true: everything was written in one transaction. Any error: nothing
    was written. A dry run validates everything and writes nothing; the counts say what it would write.
    """

    file: str
    sha256: str = ""
    template: Template = "unknown"
    errors: list[RowError] = field(default_factory=list)
    regions: int = 0
    households: int = 0
    persons: int = 0
    written: bool = False
    dry_run: bool = False
    assigned: dict[str, str] = field(default_factory=dict)  # file's 户编号 → the one the system assigned

    def counts(self) -> str:
        text = f"区域 {self.regions} 个，户 {self.households} 户，人员 {self.persons} 人"
        if self.assigned:
            text += f"，系统分配户编号 {len(self.assigned)} 户"
        return text

    def assigned_lines(self, limit: int = 50) -> list[str]:
        """ "新-01 → 1411020010010007" for the first ``limit`` households the system numbered."""
        lines = [f"{old} → {new}" for old, new in list(self.assigned.items())[:limit]]
        if len(self.assigned) > limit:
            lines.append(f"……共 {len(self.assigned)} 户")
        return lines
