"""数据比对 at province scale (issue #18): registry persons × department list rows on Spark local[2].

    uv run --group spark python bench/bench_crosscheck_spark.py [--persons 10000000] [--rows 10000000]
        [--fuzzy-rows 1000000] [--fuzzy-persons 1000000] [--engines spark,polars] [--parts exact,fuzzy]

Two workloads, each generated once by a vectorised NumPy/Polars generator (:func:`generate`) and kept as
Parquet under ``bench/results/crosscheck-spark-<persons>x<rows>[-fuzzy]/`` for re-runs:

* **exact** — ``--persons`` registry persons × ``--rows`` list rows, most with an ID number: clean, with
  spaces, written as the 15-digit old number, or with a wrong check digit (then the row has no usable ID);
  plus hard negatives — persons absent from the registry whose valid ID numbers differ from a registry
  person's only in the sequence digits, some of them namesakes born the same day. Exact matching only
  (``fuzzy_matching=False``).
* **fuzzy** — ``--fuzzy-rows`` list rows *without* an ID against ``--fuzzy-persons`` persons: names in
  traditional characters, homophones, a dropped character; day and month swapped, blank birth dates;
  blank villages; and namesakes of registry persons born the same day in another village or a few days
  apart (hard negatives). The whole linkage: training (DuckDB, on the driver), prediction and choosing.

Each engine runs in its own child process (``spark``: :func:`jingzhun.crosscheck.spark.link_frames` on
``local[2]`` reading the Parquet files; ``polars``: :func:`jingzhun.crosscheck.link` on one machine); the
parent polls the child's process tree — the JVM and Spark's Python workers included — for CPU seconds and
peak RSS (``bench_province.TreeWatch``). Printed: wall seconds and phases, rows/s, the blocking rules with
their comparison counts, and precision / recall per channel against the generator's truth (computed on
Spark for the Spark engine; only counts come back). Results go to bench/results/crosscheck_spark-<sizes>.json.
Not a timed test: the figures depend on the machine and its load (printed beside them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from bench_province import TreeWatch

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥建国建华建军志强志明文海波宁斌"
    "鹏飞宇浩然子涵欣怡梓萱晨辉亮成龙凤梅兰菊云霞春燕晓东小红金凤玉兰海燕丽华淑珍秀珍秀云桂兰凤英"
)
# traditional forms and homophones of some given-name characters (the noise a list's typist makes)
TRADITIONAL = {
    "华": "華",
    "国": "國",
    "军": "軍",
    "红": "紅",
    "东": "東",
    "兰": "蘭",
    "丽": "麗",
    "凤": "鳳",
    "龙": "龍",
    "伟": "偉",
}
HOMOPHONES = {
    "建": "健",
    "明": "鸣",
    "华": "化",
    "强": "墙",
    "芳": "方",
    "静": "敬",
    "军": "君",
    "平": "萍",
    "海": "还",
    "英": "鹰",
}
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK = np.array(list("10X98765432"))
EPOCH = np.datetime64("1930-01-01")
DAYS = 80 * 365


def _digits(values: np.ndarray, width: int) -> pl.Series:
    return pl.Series(values.astype(np.int64)).cast(pl.String).str.zfill(width)


def _id_numbers(region: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> pl.Series:
    """Valid 18-digit numbers (GB 11643 check digit) from region code, birth date and sequence, vectorised."""
    days = birth.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    number = (
        region.astype(np.int64) * 10**11 + years * 10**7 + months * 10**5 + dom * 10**3 + seq.astype(np.int64)
    )  # 17 digits fit in int64
    digits = (number[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))) % 10
    check = CHECK[(digits @ WEIGHTS) % 11]
    return pl.Series(number).cast(pl.String) + pl.Series(check)


def _names(rng: np.random.Generator, n: int) -> pl.Series:
    surnames = np.array(list(SURNAMES))
    given = np.array(list(GIVEN))
    p = np.linspace(3.0, 0.2, len(surnames))  # a few surnames are common, as in 吕梁
    first = surnames[rng.choice(len(surnames), n, p=p / p.sum())]
    second = given[rng.integers(0, len(given), n)]
    third = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], "")
    return pl.Series(np.char.add(np.char.add(first, second), third))


def _people(rng: np.random.Generator, n: int, villages: np.ndarray, seq_low: int, seq_high: int) -> pl.DataFrame:
    village = villages[rng.integers(0, len(villages), n)]
    birth = EPOCH + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    ids = _id_numbers(village // 10**6, birth, rng.integers(seq_low, seq_high, n))
    return pl.DataFrame(
        {
            "name": _names(rng, n),
            "id_number": ids,
            "birth_date": pl.Series(birth).cast(pl.Date),
            "village": _digits(village, 12),
        }
    )


def _villages(rng: np.random.Generator, persons: int) -> np.ndarray:
    """About 400 persons a village, in ~120 counties of 山西 (14xxyy), 10 townships a county."""
    n = max(10, persons // 400)
    county = 140000 + rng.integers(1, 12, n) * 100 + rng.integers(1, 30, n)
    return np.asarray(county * 10**6 + rng.integers(1, 11, n) * 1000 + rng.integers(1, 40, n), dtype=np.int64)


def _noisy_name(names: pl.Series, kind: np.ndarray) -> pl.Series:
    """kind 0 clean, 1 traditional, 2 homophone, 3 a character dropped (when three)."""
    trad = names.str.replace_many(list(TRADITIONAL), list(TRADITIONAL.values()))
    homo = names.str.replace_many(list(HOMOPHONES), list(HOMOPHONES.values()))
    dropped = pl.when(names.str.len_chars() == 3).then(names.str.slice(0, 2)).otherwise(names)
    frame = pl.DataFrame({"n": names, "k": kind, "t": trad, "h": homo}).with_columns(d=pl.select(dropped).to_series())
    k = pl.col("k")
    return frame.select(
        pl.when(k == 1).then("t").when(k == 2).then("h").when(k == 3).then("d").otherwise("n")
    ).to_series()


def generate(root: Path, persons: int, rows: int, seed: int, *, with_ids: bool) -> dict[str, Any]:
    """``root/persons.parquet``, ``root/rows.parquet`` (source, row, name, id_number, birth_date, village)
    and ``root/truth.parquet`` (source, row, person_id or null, kind, noise)."""
    rng = np.random.default_rng(seed)
    villages = _villages(rng, persons)
    registry = _people(rng, persons, villages, 0, 900)
    registry = registry.unique("id_number", keep="first", maintain_order=True)
    registry = registry.with_columns(
        id=pl.col("id_number"), household_no=pl.col("village") + _digits(np.arange(registry.height) // 3, 8)
    )
    n = registry.height
    n_ghost = rows // 8
    n_match = rows - n_ghost
    pick = rng.integers(0, n, n_match)
    matched = registry[pick].select("name", "id_number", "birth_date", "village", pl.col("id").alias("truth"))
    # hard negatives: half are namesakes of a registry person born the same day (another village, or, with
    # IDs, the same region and birth date with another sequence number); half random absent persons
    twin_of = registry[rng.integers(0, n, n_ghost // 2)]
    other_village = _digits(villages[rng.integers(0, len(villages), twin_of.height)], 12)
    birth = twin_of["birth_date"].to_numpy().astype("datetime64[D]")
    twins = twin_of.select(
        "name",
        id_number=_id_numbers(
            twin_of["village"].str.slice(0, 6).cast(pl.Int64).to_numpy(), birth, rng.integers(900, 1000, twin_of.height)
        ),
        birth_date=pl.col("birth_date")
        + pl.duration(days=pl.Series(rng.integers(0, 4, twin_of.height) * (0 if with_ids else 1))),
        village=other_village if not with_ids else pl.col("village"),
    )
    strangers = _people(rng, n_ghost - twins.height, villages, 900, 1000)
    ghosts = pl.concat([twins, strangers]).with_columns(truth=pl.lit(None, pl.String))
    table = pl.concat([matched, ghosts])
    kinds = np.array(["match"] * n_match + ["namesake"] * twins.height + ["absent"] * strangers.height)
    order = rng.permutation(table.height)
    table, kinds = table[order], kinds[order]
    m = table.height
    if with_ids:
        # ID noise: 0 clean, 1 spaces, 2 15-digit old number (19xx births), 3 wrong check digit
        id_noise = rng.choice(4, m, p=[0.90, 0.04, 0.04, 0.02])
        id_noise[(id_noise == 2) & (table["birth_date"].dt.year().to_numpy() >= 2000)] = 0
        ids = table["id_number"]
        old = ids.str.slice(0, 6) + ids.str.slice(8, 9)
        spaced = ids.str.slice(0, 6) + " " + ids.str.slice(6, 8) + " " + ids.str.slice(14)
        bad = ids.str.slice(0, 17) + pl.Series((ids.str.slice(17).replace("X", "10").cast(pl.Int64) + 1) % 10).cast(
            pl.String
        )
        frame = pl.DataFrame({"i": ids, "o": old, "s": spaced, "b": bad, "k": id_noise})
        id_col = frame.select(
            pl.when(pl.col("k") == 1)
            .then("s")
            .when(pl.col("k") == 2)
            .then("o")
            .when(pl.col("k") == 3)
            .then("b")
            .otherwise("i")
        ).to_series()
        name_noise = np.zeros(m, dtype=np.int64)
        birth_noise = np.zeros(m, dtype=np.int64)
        village_blank = np.zeros(m, dtype=bool)
        noise = pl.Series(id_noise).replace_strict(
            {0: "", 1: "id_spaces", 2: "id_15", 3: "id_bad_check"}, return_dtype=pl.String
        )
    else:
        id_col = pl.Series([None] * m, dtype=pl.String)
        name_noise = rng.choice(4, m, p=[0.80, 0.08, 0.07, 0.05])
        birth_noise = rng.choice(3, m, p=[0.93, 0.04, 0.03])  # 1 day/month swapped, 2 blank
        village_blank = rng.random(m) < 0.3
        labels = pl.DataFrame({"n": name_noise, "b": birth_noise, "v": village_blank}).select(
            pl.concat_str(
                pl.col("n").replace_strict({0: "", 1: "traditional ", 2: "homophone ", 3: "dropped_char "}),
                pl.col("b").replace_strict({0: "", 1: "swapped ", 2: "no_birth "}),
                pl.when("v").then(pl.lit("no_village")).otherwise(pl.lit("")),
            ).str.strip_chars()
        )
        noise = labels.to_series()
    b = table["birth_date"]
    swap_ok = (b.dt.day() <= 12) & (b.dt.day() != b.dt.month())
    swapped = pl.select(
        pl.when(swap_ok).then(pl.date(b.dt.year(), b.dt.day().clip(1, 12), b.dt.month())).otherwise(b)
    ).to_series()
    frame = pl.DataFrame({"b": b, "s": swapped, "k": birth_noise})
    birth_col = frame.select(
        pl.when(pl.col("k") == 1).then("s").when(pl.col("k") == 2).then(None).otherwise("b")
    ).to_series()
    village_col = pl.select(pl.when(pl.Series(village_blank)).then(None).otherwise(table["village"])).to_series()
    sources = np.array(["death", "vehicle", "business", "civil_servant", "housing", "pension"])
    source = pl.Series(sources[np.arange(m) % len(sources)])
    row = pl.Series(np.arange(m) // len(sources) + 2, dtype=pl.Int64)
    listed = pl.DataFrame(
        {
            "source": source,
            "row": row,
            "name": _noisy_name(table["name"], name_noise),
            "id_number": id_col,
            "birth_date": birth_col,
            "village": village_col,
        }
    )
    truth = pl.DataFrame({"source": source, "row": row, "person_id": table["truth"], "kind": kinds, "noise": noise})
    root.mkdir(parents=True, exist_ok=True)
    registry.select("id", "household_no", "name", "id_number", "birth_date", "village").write_parquet(
        root / "persons.parquet", row_group_size=1_000_000
    )
    listed.write_parquet(root / "rows.parquet", row_group_size=1_000_000)
    truth.write_parquet(root / "truth.parquet")
    return {"persons": n, "rows": m}


QUALITY_SQL = """
SELECT channel,
       count(*) AS rows,
       sum(CASE WHEN hit IS NOT NULL AND hit = truth THEN 1 ELSE 0 END) AS tp,
       sum(CASE WHEN hit IS NOT NULL AND (truth IS NULL OR hit <> truth) THEN 1 ELSE 0 END) AS fp,
       sum(CASE WHEN hit IS NULL AND truth IS NOT NULL THEN 1 ELSE 0 END) AS fn,
       sum(CASE WHEN hit IS NOT NULL AND truth IS NOT NULL AND hit <> truth THEN 1 ELSE 0 END) AS wrong,
       sum(CASE WHEN hit IS NULL AND truth IS NULL THEN 1 ELSE 0 END) AS tn
FROM judged GROUP BY channel ORDER BY channel
"""


def _quality(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for r in rows:
        q = {k: int(r[k]) for k in ("rows", "tp", "fp", "fn", "tn", "wrong")}
        hits = q["tp"] + q["fp"]
        truths = q["tp"] + q["fn"] + q["wrong"]  # a wrong person is a false positive and a miss
        q["precision"] = round(q["tp"] / hits, 5) if hits else None
        q["recall"] = round(q["tp"] / truths, 5) if truths else None
        out[str(r["channel"])] = q
    return out


def child_spark(root: Path, part: str, master: str) -> dict[str, Any]:
    from pyspark.sql import functions as F

    from jingzhun.crosscheck.spark import link_frames
    from jingzhun.scale.spark_month import session

    t0 = time.perf_counter()
    spark = session(master, app="bench-crosscheck")
    phases = {"session": time.perf_counter() - t0}
    persons = spark.read.parquet(str(root / "persons.parquet"))
    rows = spark.read.parquet(str(root / "rows.parquet"))
    t = time.perf_counter()
    linked = link_frames(spark, persons, rows, fuzzy_matching=part == "fuzzy")
    phases["link"] = time.perf_counter() - t
    t = time.perf_counter()
    out = RESULTS / f"crosscheck-hits-spark-{part}"
    linked.hits.write.mode("overwrite").parquet(str(out))
    phases["write_hits"] = time.perf_counter() - t
    t = time.perf_counter()
    truth = spark.read.parquet(str(root / "truth.parquet"))
    channel = F.when(F.col("id18").isNotNull(), "exact").otherwise("fuzzy")
    judged = (
        linked.prepared_rows.select("source", "row", channel.alias("channel"))
        .join(truth.select("source", "row", "person_id"), on=["source", "row"])
        .join(
            spark.read.parquet(str(out)).select("source", "row", F.col("person_id").alias("hit")),
            ["source", "row"],
            "left",
        )
        .withColumnRenamed("person_id", "truth")
    )
    judged.createOrReplaceTempView("judged")
    quality = _quality([r.asDict() for r in spark.sql(QUALITY_SQL).collect()])
    phases["quality"] = time.perf_counter() - t
    spark.stop()
    return {"stats": _plain(linked.stats), "phases": phases, "quality": quality}


def child_polars(root: Path, part: str) -> dict[str, Any]:
    from jingzhun.crosscheck import link
    from jingzhun.crosscheck.frames import prepare_rows

    t = time.perf_counter()
    persons = pl.read_parquet(root / "persons.parquet")
    rows = pl.read_parquet(root / "rows.parquet")
    phases = {"read": time.perf_counter() - t}
    t = time.perf_counter()
    linked = link(persons, rows, fuzzy_matching=part == "fuzzy")
    phases["link"] = time.perf_counter() - t
    t = time.perf_counter()
    truth = pl.read_parquet(root / "truth.parquet")
    channel = prepare_rows(rows, names=False).select(
        "source",
        "row",
        pl.when(pl.col("id18").is_not_null()).then(pl.lit("exact")).otherwise(pl.lit("fuzzy")).alias("channel"),
    )
    judged = channel.join(truth.select("source", "row", pl.col("person_id").alias("truth")), on=["source", "row"]).join(
        linked.hits.select("source", "row", pl.col("person_id").alias("hit")), on=["source", "row"], how="left"
    )
    q = pl.SQLContext(judged=judged).execute(QUALITY_SQL, eager=True)
    phases["quality"] = time.perf_counter() - t
    return {"stats": _plain(linked.stats), "phases": phases, "quality": _quality(q.to_dicts())}


def _plain(stats: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(stats, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--fuzzy-persons", type=int, default=1_000_000)
    parser.add_argument("--fuzzy-rows", type=int, default=1_000_000)
    parser.add_argument("--engines", default="spark")
    parser.add_argument("--parts", default="exact,fuzzy")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--master", default=os.environ.get("BENCH_SPARK_MASTER", "local[2]"))
    parser.add_argument("--child", default="")
    parser.add_argument("--part", default="")
    parser.add_argument("--data", default="")
    options = parser.parse_args()
    if options.child:
        root = Path(options.data)
        if options.child == "spark":
            result = child_spark(root, options.part, options.master)
        else:
            result = child_polars(root, options.part)
        print(json.dumps(result))
        return
    figures = []
    for part in options.parts.split(","):
        persons, rows = (
            (options.persons, options.rows) if part == "exact" else (options.fuzzy_persons, options.fuzzy_rows)
        )
        root = RESULTS / f"crosscheck-spark-{persons}x{rows}-{part}"
        if not (root / "truth.parquet").exists():
            t = time.perf_counter()
            made = generate(root, persons, rows, options.seed, with_ids=part == "exact")
            print(
                f"[{part}] wrote {made['persons']:,} persons × {made['rows']:,} list rows "
                f"in {time.perf_counter() - t:.1f} s → {root.relative_to(REPO)}"
            )
        for engine in options.engines.split(","):
            load_before = os.getloadavg()
            proc = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    engine,
                    "--part",
                    part,
                    "--data",
                    str(root),
                    "--master",
                    options.master,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            watch = TreeWatch(proc.pid)
            started = time.perf_counter()
            stdout, stderr = proc.communicate()
            wall = time.perf_counter() - started
            peak_mib, cpu = watch.stop()
            if proc.returncode:
                print(stderr[-4000:])
                raise SystemExit(proc.returncode)
            row = json.loads(stdout.strip().splitlines()[-1])
            s = row["stats"]
            row |= {
                "engine": engine,
                "part": part,
                "wall": round(wall, 1),
                "peak_rss_mib": round(peak_mib),
                "cpu_seconds": round(cpu, 1),
                "rows_per_second": round(s["rows"] / wall),
                "load_before": [round(x, 1) for x in load_before],
                "load_after": [round(x, 1) for x in os.getloadavg()],
                "cores": os.cpu_count(),
            }
            figures.append(row)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in row["phases"].items())
            inner = ", ".join(f"{k} {v:.1f} s" for k, v in s["seconds"].items())
            print(
                f"[{part}] {engine} ({options.master if engine == 'spark' else 'one machine'}): "
                f"{s['persons']:,} persons × {s['rows']:,} rows ({s['rows_with_usable_id']:,} with a usable ID) "
                f"in {wall:.1f} s wall ({row['rows_per_second']:,} rows/s), CPU {row['cpu_seconds']} s, "
                f"peak RSS {row['peak_rss_mib']:,} MiB (process tree incl. JVM and workers); "
                f"load {row['load_before'][0]} → {row['load_after'][0]} on {row['cores']} cores"
            )
            print(f"    phases: {phases}; inside the linkage: {inner}")
            print(f"    hits: {s['exact_hits']:,} exact, {s['fuzzy_hits']:,} fuzzy, {s['ties']:,} ties flagged")
            if "comparisons_by_rule" in s:
                print("    blocking rules (each AND the row's stated village, when it states one) → comparisons:")
                for rule, count in s["comparisons_by_rule"].items():
                    print(f"      {count:>12,}  {rule}")
            for channel, q in row["quality"].items():
                print(
                    f"    {channel:>5}: rows {q['rows']:,}  tp {q['tp']:,}  fp {q['fp']:,}  fn {q['fn']:,}  "
                    f"tn {q['tn']:,}  precision {q['precision']}  recall {q['recall']}"
                )
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"crosscheck_spark-{options.persons}x{options.rows}-fuzzy-{options.fuzzy_persons}x{options.fuzzy_rows}.json"
    (RESULTS / name).write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
