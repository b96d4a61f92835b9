"""Benchmark: what the import limits cost on a county's file, and how fast hostile files are refused.

    uv run python bench/bench_import_limits.py [--households 100000] [--cache DIR]

Checks the benchmark county's households.xlsx (bench_import.py generates it; ``--cache`` reuses it) with
``registry.sheet_guard.check_workbook`` alone — the part of the import's read phase the limits add — and
times the refusal of the hostile files of tests/registry/hostile.py. Prints the figures and writes
``bench/results/import_limits.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, help="keep and reuse the generated county file in this directory")
    args = parser.parse_args()

    from tests.registry import hostile

    from bench.bench_import import _files
    from jingzhun.registry.sheet_guard import check_workbook
    from jingzhun.registry.sheets import SheetError, read_sheet

    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _, book, persons = _files(args.households, 2018, args.cache or work)
        unzipped = sum(i.file_size for i in zipfile.ZipFile(book).infolist())
        start, cpu = time.perf_counter(), time.process_time()
        check_workbook(book)
        out["county"] = {
            "households": args.households,
            "persons": persons,
            "xlsx_mb": round(book.stat().st_size / 2**20, 1),
            "unzipped_mb": round(unzipped / 2**20, 1),
            "check_wall_s": round(time.perf_counter() - start, 2),
            "check_cpu_s": round(time.process_time() - cpu, 2),
        }
        for name, make in (
            ("xfd1048576", hostile.far_cell),
            ("million_rows", hostile.million_rows),
            ("bomb", hostile.bomb),
        ):
            path = make(work / f"{name}.xlsx")
            start = time.perf_counter()
            try:
                read_sheet(path)
                refused = ""
            except SheetError as exc:
                refused = str(exc)
            out[name] = {
                "file_kb": round(path.stat().st_size / 1024, 1),
                "refused_in_s": round(time.perf_counter() - start, 3),
                "message": refused,
            }
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "import_limits.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
