"""Import a registry file (导入): the household template or a regions file, all or nothing.

``import_file`` reads the file (:mod:`.sheets`), recognises the template by its header row (a regions
file has 区域代码; anything else must be the household template, columns.HEADERS), validates every row
column-wise (:mod:`.validate`, :mod:`.regions_file`) and — only when there is no error at all and this is
not a dry run — writes everything through :func:`jingzhun.registry.actions.import_registry` in one
transaction with one audit row (file name, sha256, counts). Any error: nothing is written, and the report
lists every bad cell as ``第N行 [列] 消息``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError

from jingzhun.core.actions import Actor
from jingzhun.registry.actions import import_registry
from jingzhun.registry.numbering import NumbersExhausted
from jingzhun.registry.regions_file import is_regions_sheet, validate_regions
from jingzhun.registry.report import ImportReport, RowError
from jingzhun.registry.sheets import Sheet, SheetError, read_sheet
from jingzhun.registry.validate import validate_households

__all__ = ["ImportReport", "RowError", "import_file"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def file_error(path: Path, exc: OSError) -> str:
    """An OS error opening ``path`` in Chinese (the OS's own text is English: "No such file or directory")."""
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件：{path}"
    if isinstance(exc, IsADirectoryError):
        return f"不是文件，是目录：{path}"
    if isinstance(exc, PermissionError):
        return f"没有读取权限：{path}"
    return f"无法打开文件：{path}（错误码 {exc.errno}）"


def open_import(path: Path, text_columns: tuple[str, ...]) -> tuple[Sheet | None, str, list[RowError]]:
    """Every importer's first step: the file's SHA-256 and its sheet, or None with the one file-level
    error (cannot open, cannot read) in Chinese."""
    digest = ""
    try:
        digest = _sha256(path)
        return read_sheet(path, text_columns=text_columns), digest, []
    except OSError as exc:
        return None, digest, [RowError(0, "", file_error(path, exc))]
    except SheetError as exc:
        return None, digest, [RowError(0, "", str(exc))]


def import_file(
    path: Path,
    *,
    actor: Actor,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate ``path`` and, when it is clean and ``dry_run`` is false, write it. Never raises for bad data.

    ``progress(done, total)`` is called as the work advances: reading, checking and writing are a third
    each of ``total`` (three times the number of data rows). ``PermissionDenied`` is raised when the actor
    may not write at all (auditors) or a region in the file is outside the actor's scope at write time.
    """
    path = Path(path)
    report = ImportReport(file=path.name, dry_run=dry_run)
    tick = progress or (lambda _done, _total: None)
    sheet, report.sha256, report.errors = open_import(path, ("身份证号", "银行账号"))
    if sheet is None:
        return report
    rows = sheet.frame.height
    total = max(3 * rows, 1)
    tick(rows, total)
    if rows == 0:
        report.errors = [RowError(0, "", "文件只有表头，没有数据行")]
        return report

    registry, regions = None, []
    if is_regions_sheet(sheet.headers):
        report.template = "regions"
        regions, errors = validate_regions(sheet, actor=actor)
        report.regions = len(regions)
    else:
        report.template = "households"
        registry, errors = validate_households(sheet, actor=actor)
        report.households = registry.households.height
        report.persons = registry.persons.height
    tick(2 * rows, total)
    report.errors = errors
    if errors or dry_run:
        return report

    written = 0
    to_write = max(registry.households.height * 2 + registry.persons.height * 2 if registry else 1, 1)

    def wrote(n: int) -> None:
        nonlocal written
        written += n
        tick(2 * rows + min(rows, rows * written // to_write), total)

    try:
        import_registry(
            actor,
            registry=registry,
            regions=regions,
            file_name=path.name,
            sha256=report.sha256,
            progress=wrote,
            numbers=report.assigned,
        )
    except NumbersExhausted as exc:
        report.errors = [RowError(0, "户编号", f"{exc}，未写入任何数据")]
        return report
    except DatabaseError as exc:  # e.g. another user registered the same ID number meanwhile
        report.errors = [RowError(0, "", f"写入数据库失败，未写入任何数据：{exc}")]
        return report
    report.written = True
    tick(total, total)
    return report
