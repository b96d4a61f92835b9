"""`jingzhun exit check` and `jingzhun monitor assess` end to end on 100 000 households each.

Deterministic synthetic documents (seeded; 1–6 members per exit household, 0–3 events per monitored one)
are written as JSON to a temporary directory; the timed part is the whole command in a real subprocess —
start-up, parsing, validation, the checks and the JSON output to a file. Prints wall seconds (median of
3), households/s, the command's CPU seconds and the load average (the machine is shared), and writes
bench/results/exit_monitor.json. Targets: exit check < 10 s; the assessment is reported alongside.
"""

from __future__ import annotations

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
from pathlib import Path
from typing import Any

HOUSEHOLDS = 100_000
SEED = 2019
RUNS = 3
COUNTIES = ("141102", "141123", "141128", "141130")
KINDS = ("severe_disability", "labour_lost", "disaster", "accident_death", "dropout", "work_interrupted")


def _money(rng: random.Random, high_yuan: int) -> str:
    fen = rng.randrange(high_yuan * 100)
    return f"{fen // 100}.{fen % 100:02d}"


def _date(rng: random.Random, start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=rng.randrange(days))).isoformat()


def exit_document(n: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    households = []
    for h in range(n):
        members = [
            {
                "id": f"E{h}-{m}",
                "birth_date": _date(rng, dt.date(1940, 1, 1), 28_000),
                "in_school": rng.random() < 0.97,
                "school_exempt_health": rng.random() < 0.01,
                "medical_insured": rng.random() < 0.98,
            }
            for m in range(rng.randint(1, 6))
        ]
        water = {
            "litres_per_day": str(rng.randint(15, 80)),
            "fetch_minutes": rng.randint(0, 30),
            "days_without_water": rng.randint(0, 40),
            "quality_ok": rng.random() < 0.97,
            "dry_area": rng.random() < 0.2,
        }
        households.append(
            {
                "id": f"E{h}",
                "region": rng.choice(COUNTIES),
                "annual_income": _money(rng, 6000 * len(members)),
                "housing_grade": rng.choice("AABBBCD"),
                "relocated_keys": rng.random() < 0.1,
                "water": water,
                "members": members,
            }
        )
    return {"households": households}


def monitoring_document(n: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    households = []
    for h in range(n):
        size = rng.randint(1, 6)
        events = [
            {"kind": rng.choice(KINDS), "date": _date(rng, dt.date(2019, 1, 1), 540)} for _ in range(rng.randint(0, 3))
        ]
        households.append(
            {
                "id": f"K{h}",
                "category": rng.choice(("exited", "exited", "marginal", "registered", "other")),
                "size": size,
                "income_12m": _money(rng, 9000 * size),
                "income_prev_year": _money(rng, 9000 * size),
                "rigid_costs_12m": _money(rng, 20000),
                "hospital_oop_12m": _money(rng, 15000),
                "labour_capacity": rng.random() < 0.8,
                "checks": {k: rng.random() < 0.97 for k in ("schooling", "medical", "housing", "water")},
                "events": events,
            }
        )
    return {"households": households}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(args: list[str], output: Path) -> tuple[float, float]:
    timings: list[float] = []
    cpu: list[float] = []
    for _ in range(RUNS):
        start, before = time.perf_counter(), _children_cpu()
        with output.open("w", encoding="utf-8") as out:
            subprocess.run(args, stdout=out, stderr=subprocess.PIPE, check=True)
        timings.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - before)
    return statistics.median(timings), statistics.median(cpu)


def main() -> None:
    command = str(Path(sys.executable).parent / "jingzhun")
    result: dict[str, Any] = {"benchmark": "jingzhun exit check / monitor assess (JSON, subprocess)"}
    with tempfile.TemporaryDirectory() as tmp:
        runs = (
            ("exit_check", exit_document, ["exit", "check"], ["--year", "2019"], 10.0),
            ("monitor_assess", monitoring_document, ["monitor", "assess"], ["--month", "2020-06"], 10.0),
        )
        for name, make, sub, option, target in runs:
            source, output = Path(tmp) / f"{name}.json", Path(tmp) / f"{name}.out.json"
            source.write_text(json.dumps(make(HOUSEHOLDS, SEED), ensure_ascii=False), encoding="utf-8")
            seconds, cpu = _time([command, *sub, str(source), *option], output)
            households = json.loads(output.read_text(encoding="utf-8"))["households"]
            if name == "exit_check":
                outcome = f"{sum(h['exit_ok'] for h in households):,} may exit"
            else:
                outcome = f"{sum(h['level'] is not None for h in households):,} flagged"
            result[name] = {
                "households": len(households),
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu, 3),
                "households_per_second": round(len(households) / seconds),
                "target_seconds": target,
            }
            print(
                f"jingzhun {' '.join(sub)}: {len(households):,} households ({outcome}) in {seconds:.2f} s = "
                f"{len(households) / seconds:,.0f} households/s (CPU {cpu:.2f} s; target < {target:.0f} s)"
            )
    result["load_average_1min"] = round(os.getloadavg()[0], 1)
    out_path = Path(__file__).resolve().parent / "results" / "exit_monitor.json"
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"load average {result['load_average_1min']}; written {out_path.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
