"""`jingzhun synth`: write a synthetic county's regions and households files in the import format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_OUT = Path("var/synth")


def synth(
    region: Annotated[
        str, typer.Option("--region", help="县级区划代码（吕梁市 13 个县市区之一，默认离石区）")
    ] = "141102",
    households: Annotated[int, typer.Option("--households", help="户数")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：相同参数生成相同文件")] = 2018,
    out: Annotated[Path, typer.Option("--out", help="输出目录：regions.csv 与 households.csv/.xlsx")] = DEFAULT_OUT,
    fmt: Annotated[str, typer.Option("--format", help="输出文件格式 csv | xlsx")] = "csv",
    departments: Annotated[
        int, typer.Option("--departments", help="另写各部门比对名单（每份 N 行）及 truth.csv 到 OUT/departments/")
    ] = 0,
    province: Annotated[
        int,
        typer.Option(
            "--province",
            help=(
                "省级规模：只写批量计算的按县分区 Parquet（OUT/households、OUT/persons），共 N 户，"
                "分布于合成山西的 117 个县分区（吕梁 13 县为真实代码；其余 104 个为合成代码，"
                "各按吕梁一县的参数计算，见 rules_region 列）"
            ),
        ),
    ] = 0,
) -> None:
    """生成合成县：乡镇、村和一人一行的户籍导入文件。"""
    from rich.console import Console
    from rich.table import Table

    if province > 0:
        _province(out, province, seed)
        return

    from jingzhun.synth.generate import generate_county

    console = Console()
    with console.status("生成合成县…") as status:
        try:
            result = generate_county(region, households, seed, out, fmt, progress=status.update)
        except ValueError as exc:
            Console(stderr=True).print(f"[red]错误：{exc}")
            raise typer.Exit(code=2) from exc

    table = Table(title=f"合成县 {region}（种子 {seed}）")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    for label, value in (
        ("乡镇", result.townships),
        ("村和社区", result.villages),
        ("户", result.households),
        ("人", result.persons),
        *result.summary.items(),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    console.print(f"已写出 {result.regions_path} 和 {result.households_path}，用时 {result.seconds:.1f} 秒。")
    if departments > 0:
        from jingzhun.synth.departments import write_department_lists

        lists = write_department_lists(result.households_path, out / "departments", departments, seed, fmt)
        where = out / "departments"
        console.print(f"已写出 {len(lists.lists)} 份部门比对名单（每份 {departments} 行）和 truth.csv 到 {where}。")


def _province(out: Path, households: int, seed: int) -> None:
    """``--province N``: the batch engine's input at province scale, one county in memory at a time."""
    import time

    from rich.console import Console

    from jingzhun.synth.batch_frames import write_province

    console = Console()
    start = time.perf_counter()
    with console.status("生成省级规模数据…") as status:
        try:
            result = write_province(out, households, seed, progress=status.update)
        except ValueError as exc:
            Console(stderr=True).print(f"[red]错误：{exc}")
            raise typer.Exit(code=2) from exc
    console.print(
        f"已写出 {result.households:,} 户、{result.persons:,} 人（{result.counties} 个县分区）到 "
        f"{result.households_dir} 和 {result.persons_dir}，用时 {time.perf_counter() - start:.1f} 秒。"
    )
