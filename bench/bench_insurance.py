"""一保通: a year's synthetic 交口县 portfolio of 27 000 households with its claims, timed and printed.

Times :func:`jingzhun.synth.insurance.synth_portfolio` at scale 1 — drawing the households, the premiums
of the 19 covers, the engine's 脱贫返贫保险 in December for every household, the other ruled covers'
rules, the other covers' claims and the portfolio summary — and prints the portfolio's totals next to the
reported 交口 2018 figures. Target: < 10 s. Writes bench/results/insurance.json.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from jingzhun.policy import insurance
from jingzhun.synth.insurance import synth_portfolio


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    start, cpu = time.perf_counter(), _cpu()
    portfolio = synth_portfolio(scale=1.0, seed=2018, year=2018)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    total = insurance.totals(portfolio.table, 2018)
    result = {
        "benchmark": "一保通 portfolio, 交口 2018, 27 000 households with claims",
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "stages": {k: round(v, 3) for k, v in portfolio.seconds.items()},
        "households_insured": total["households_insured"],
        "premiums": f"{total['premiums_fen'] // 100}.{total['premiums_fen'] % 100:02d}",
        "claims": f"{total['claims_fen'] // 100}.{total['claims_fen'] % 100:02d}",
        "loss_ratio": total["loss_ratio"],
        "households_paid": total["households_paid"],
        "reported": {"households": 27_000, "premiums": 13_000_000, "claims": "12 000 000+", "loss_ratio": "0.93",
                     "households_paid": 10_987},
        "load_average_1min": round(os.getloadavg()[0], 1),
        "targets": {"seconds": 10.0},
    }  # fmt: skip
    out = Path(__file__).resolve().parent / "results" / "insurance.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"一保通 交口 2018: {total['households_insured']:,} households, premiums {result['premiums']}, claims "
        f"{result['claims']}, loss ratio {total['loss_ratio']}, {total['households_paid']:,} households paid — "
        f"{seconds:.2f} s (CPU {cpu:.2f} s; stages {result['stages']}); load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
