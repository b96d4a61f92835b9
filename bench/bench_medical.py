"""`jingzhun medical settle` end to end: 100 000 stays of 30 000 persons through a real subprocess.

A seeded synthetic year (2019): every person has 1–6 stays (3.3 on average), across the 13 counties and
four hospital levels, ~60 % registered poor and ~15 % 低保/特困, totals lognormal around 8 000 yuan. The
document is written once as JSON and once as CSV; the timed part is the whole command — start-up,
parsing, validation, settlement with explanations, JSON written to a file. Prints wall seconds (median
of 3), stays/s, the command's CPU seconds and the load average (the machine is shared: CPU time is the
steadier figure), and writes bench/results/medical.json. Target: < 5 s.

Bytecode: this machine sets ``PYTHONDONTWRITEBYTECODE=1`` and the venv holds no ``.pyc``, so every start
compiles Polars' and Typer's Python sources again (~0.6 s of CPU). An installed command has its bytecode;
the timed runs give the child a private ``PYTHONPYCACHEPREFIX`` (warmed by one untimed run) and the
figure "cold" is one run as this machine starts it, without bytecode.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

STAYS = 100_000
PERSONS = 30_000
SEED = 2019
RUNS = 3
COUNTIES = ("141102", "141121", "141122", "141123", "141124", "141125", "141126")
COUNTIES += ("141127", "141128", "141129", "141130", "141181", "141182")
LEVELS = ("county", "county", "county", "city", "city", "province", "outside")
FIELDS = ("id", "person", "registered_poor", "dibao_or_tekun", "region", "level")
FIELDS += ("admitted", "discharged", "total", "in_catalogue")


def synthetic_stays(n: int = STAYS, persons: int = PERSONS, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    counts = [1] * persons
    for _ in range(n - persons):  # the remaining stays go to random persons: several stays each
        counts[rng.randrange(persons)] += 1
    stays = []
    start = dt.date(2019, 1, 1)
    for p, count in enumerate(counts):
        poor, dibao, region = rng.random() < 0.6, rng.random() < 0.15, rng.choice(COUNTIES)
        for _ in range(count):
            admitted = start + dt.timedelta(days=rng.randrange(350))
            total = max(100, int(rng.lognormvariate(8.9, 0.8) * 100))  # fen
            catalogue = total * rng.randrange(70, 101) // 100
            stays.append(
                {
                    "id": f"S{len(stays):06d}",
                    "person": f"P{p:05d}",
                    "registered_poor": poor,
                    "dibao_or_tekun": dibao,
                    "region": region,
                    "level": rng.choice(LEVELS),
                    "admitted": admitted.isoformat(),
                    "discharged": (admitted + dt.timedelta(days=rng.randrange(1, 15))).isoformat(),
                    "total": f"{total // 100}.{total % 100:02d}",
                    "in_catalogue": f"{catalogue // 100}.{catalogue % 100:02d}",
                }
            )
    rng.shuffle(stays)
    return stays


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(command: list[str], output: Path, env: dict[str, str] | None = None, runs: int = RUNS) -> tuple[float, float]:
    timings, cpu = [], []
    for _ in range(runs):
        start, before = time.perf_counter(), _children_cpu()
        with output.open("w", encoding="utf-8") as out:
            subprocess.run(command, stdout=out, stderr=subprocess.PIPE, check=True, env=env)
        timings.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - before)
    return statistics.median(timings), statistics.median(cpu)


def main() -> None:
    stays = synthetic_stays()
    command = [str(Path(sys.executable).parent / "jingzhun"), "medical", "settle"]
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        as_json, as_csv, output = Path(tmp) / "stays.json", Path(tmp) / "stays.csv", Path(tmp) / "out.json"
        as_json.write_text(json.dumps({"stays": stays}), encoding="utf-8")
        with as_csv.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(FIELDS)
            for s in stays:
                writer.writerow([str(s[k]).lower() if isinstance(s[k], bool) else s[k] for k in FIELDS])
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        seconds, cpu = _time([*command, str(as_json)], output, runs=1)  # cold, and warms nothing
        figures["json_cold"] = {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}
        _time([*command, str(as_json)], output, cached, runs=1)  # writes the bytecode
        for name, source in (("json", as_json), ("csv", as_csv)):
            seconds, cpu = _time([*command, str(source)], output, cached)
            figures[name] = {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}
        settled = json.loads(output.read_text(encoding="utf-8"))["stays"]
        size_mib = output.stat().st_size / 2**20
    assert [r["id"] for r in settled] == [s["id"] for s in stays], "output must keep the input order"
    ratios = [
        Decimal(r["ratio"])
        for s, r in zip(stays, settled, strict=True)
        if s["registered_poor"] and s["level"] != "outside"
    ]
    result = {
        "benchmark": "jingzhun medical settle (subprocess, end to end)",
        "stays": STAYS,
        "persons": PERSONS,
        "output_mib": round(size_mib, 1),
        **figures,
        "stays_per_second_json": round(STAYS / figures["json"]["seconds"]),
        "registered_poor_in_province_mean_ratio": str(round(sum(ratios) / len(ratios), 4)),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "targets": {"seconds": 5.0},
    }
    out_path = Path(__file__).resolve().parent / "results" / "medical.json"
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"jingzhun medical settle: {STAYS:,} stays / {PERSONS:,} persons ({size_mib:.1f} MiB JSON out): "
        f"JSON in {figures['json']['seconds']:.2f} s (CPU {figures['json']['cpu_seconds']:.2f} s), "
        f"CSV in {figures['csv']['seconds']:.2f} s (CPU {figures['csv']['cpu_seconds']:.2f} s); "
        f"JSON cold (no bytecode) {figures['json_cold']['seconds']:.2f} s "
        f"(CPU {figures['json_cold']['cpu_seconds']:.2f} s); "
        f"load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
