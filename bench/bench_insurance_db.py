"""Benchmark: a year's 一保通 portfolio of 交口县 through the database — 27 000 households with claims (target < 10 s).

    uv run python bench/bench_insurance_db.py [--households 27000] [--seed 2018]

Untimed preparation: the synthetic 交口县 (``synth.generate.generate_county``) imported through the registry
importer into a fresh SQLite file. Timed (``insurance.demo_data.build_portfolio``, the demo's own path):
drawing the units and other claims, issuing the policies (19 covers, premiums), 脱贫返贫保险 by the engine
in December, 慢性病门诊补充 / 食用菌 / 小额信贷, the insurer's settled list, and the portfolio report (premiums,
claims, loss ratio by cover, households paid). Prints the figures and the seconds of each part.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=27_000)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        from jingzhun.cli.djsetup import setup

        setup()
        from django.core.management import call_command

        from jingzhun.core.actions import Actor
        from jingzhun.insurance.demo_data import COUNTY, build_portfolio, calibrate_incomes
        from jingzhun.policy.money import fen_to_str
        from jingzhun.registry.importer import import_file
        from jingzhun.synth.generate import generate_county

        call_command("migrate", verbosity=0)
        actor = Actor.system("bench")
        started = time.perf_counter()
        synth = generate_county(COUNTY, args.households, args.seed, Path(tmp) / "synth")
        calibrate_incomes(synth.households_path, args.seed)  # 交口's incomes, as the demo's
        for path in (synth.regions_path, synth.households_path):
            report = import_file(path, actor=actor)
            assert not report.errors, report.errors[:5]
        print(f"prepared (untimed): {args.households} households in {time.perf_counter() - started:.1f} s")
        timings: dict[str, float] = {}
        started, cpu = time.perf_counter(), time.process_time()
        made = build_portfolio(actor, args.seed, timings)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"portfolio {COUNTY}: insured {made.households}, premiums {fen_to_str(made.premiums_fen)}, "
            f"claims {fen_to_str(made.claims_fen)}, loss ratio {made.loss_ratio}, "
            f"households paid {made.households_paid}"
        )
        print("seconds by part: " + ", ".join(f"{k} {v}" for k, v in timings.items()))
        print(
            f"total {seconds:.1f} s wall, {cpu:.1f} s CPU of this process (target < {TARGET_SECONDS:.0f} s): "
            f"{'OK' if seconds < TARGET_SECONDS else 'SLOW'}; load average {os.getloadavg()[0]:.1f} "
            f"(2 cores shared: wall time is inflated by the load)"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
