"""Department lists for the synthetic county (数据比对), with the truth of every row.

``department_lists(households, rows, seed)`` takes the registry file that :func:`generate_county` wrote
(one row per person: 户编号, 村代码, 姓名, 身份证号, 出生日期) and draws, for each department list of
POLICY.md §8 and issue #14 (:data:`SOURCES`), rows in the columns DESIGN.md names — 姓名, 身份证号
(may be blank), 出生日期, 村代码 — plus the list's own evidence columns. Each row is of one kind
(:data:`MIX`, [default] shares chosen so that about a fifth of the rows have no usable ID, as the
issue's benchmark says):

* ``exact`` — a registry person with their 18-digit ID (``x`` for ``X`` now and then), name as
  registered; ``exact_15`` — the same with the old 15-digit ID;
* ``noisy`` — a registry person **without ID**, with a name or date fault: ``clean`` (no fault, ID just
  missing), ``homophone`` (one character replaced by another common character of the same pinyin —
  pypinyin, GB 2312 level 1), ``traditional`` (written in traditional characters — OpenCC),
  ``dropped_char`` (a given-name character left out), ``day_month_swapped``; a fifth of the faulty rows
  have a second fault of the other sort (``homophone+day_month_swapped``, ``day_month_swapped+traditional``,
  …); and independently, a third of them a blank 村代码 (``+blank_village``);
* ``invalid_id`` — a registry person whose ID has a wrong check digit (a typo): not usable, so fuzzy;
* ``nonmatch`` — someone not in the registry (names and dates drawn like the registry's, an ID of
  another county — or none for some);
* ``namesake_township`` — hard negative: the name and birth date of a registry person, stated in a
  village of *another township*, no ID (a different person: POLICY.md §8's binding village);
* ``namesake_neighbour`` — hard negative: a registry person's name in their own village, born in
  another year, no ID.

Ages fit the list (deaths mostly old, dropouts 6–17, pensions 55+, …). The truth frame has ``source``,
``row`` (data row, header = 1), ``kind``, ``noise``, and the true person's ``id_number`` and
``household_no`` (null for none). Deterministic for a seed; vectorised (NumPy/Polars) except the
per-name edits of the noisy rows. :func:`write_department_lists` writes ``<source>.csv|xlsx`` and
``truth.csv`` into a directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.core.spreadsheet_text import csv_cell
from jingzhun.registry.idnumber import CHECK_CHARS
from jingzhun.synth.arrays import Int, pick, stream
from jingzhun.synth.writer import write_csv

AS_OF = dt.date(2020, 6, 30)
SOURCES = (
    "death", "vehicle", "business", "civil_servant", "housing", "deposit", "pension", "prison", "dibao_roll",
    "disability", "disaster", "dropout",
)  # fmt: skip
# Age range (years at AS_OF) of the persons on each list [default].
AGES: dict[str, tuple[int, int]] = {
    "death": (45, 100), "vehicle": (20, 70), "business": (22, 70), "civil_servant": (22, 60), "housing": (22, 80),
    "deposit": (18, 90), "pension": (55, 100), "prison": (18, 65), "dibao_roll": (0, 100), "disability": (0, 100),
    "disaster": (18, 90), "dropout": (6, 17),
}  # fmt: skip
KINDS = (
    "exact", "exact_15", "noisy", "invalid_id", "nonmatch", "nonmatch_no_id", "namesake_township",
    "namesake_neighbour",
)  # fmt: skip
MIX = (0.70, 0.03, 0.14, 0.01, 0.07, 0.03, 0.01, 0.01)  # [default]; the last five have no usable ID
NOISES = ("clean", "homophone", "traditional", "dropped_char", "day_month_swapped")
NOISE_MIX = (0.2, 0.25, 0.2, 0.15, 0.2)  # [default]
BLANK_VILLAGE = 1 / 3  # [default] share of noisy rows without 村代码
SECOND_FAULT = 0.2  # [default] share of faulty noisy rows with a second fault: a name fault and a swapped date
OTHER_REGIONS = ("140105", "140106", "140402", "141181", "142701", "610802")  # 太原, 长治, 孝义, 运城, 榆林
MATCHED = {"exact", "exact_15", "noisy", "invalid_id"}


@dataclass(frozen=True)
class DepartmentLists:
    lists: dict[str, pl.DataFrame]  # source → the list in its file columns
    truth: pl.DataFrame


def registry_persons(households: pl.DataFrame) -> pl.DataFrame:
    """The registry file's persons as :mod:`jingzhun.crosscheck`'s ``persons`` frame (id = ID number)."""
    village = households["村代码"].cast(pl.String)
    return pl.DataFrame(
        {
            "id": households["身份证号"].cast(pl.String),
            "household_no": households["户编号"].cast(pl.String),
            "name": households["姓名"].cast(pl.String),
            "id_number": households["身份证号"].cast(pl.String),
            "birth_date": households["出生日期"].cast(pl.String).str.strptime(pl.Date, "%Y-%m-%d"),
            "village": village,
            "township": village.str.slice(0, 9) + "000",
        }
    )


@cache
def _homophones() -> dict[str, tuple[str, ...]]:
    """Common characters (GB 2312 level 1) by tone-less pinyin of their first reading."""
    from pypinyin import Style, lazy_pinyin

    raw = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    chars = [c for c in raw.decode("gb2312", errors="replace") if c != "\ufffd"]
    by_sound: dict[str, list[str]] = {}
    for c in chars:
        by_sound.setdefault(lazy_pinyin(c, style=Style.NORMAL)[0], []).append(c)
    return {c: tuple(by_sound[s]) for s, group in by_sound.items() for c in group}


@cache
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def _homophone(name: str, r: float, r2: float) -> str | None:
    table = _homophones()
    positions = [i for i in range(1, len(name)) if len(table.get(name[i], ())) > 1] or [
        i for i in range(len(name)) if len(table.get(name[i], ())) > 1
    ]
    if not positions:
        return None
    i = positions[int(r * len(positions))]
    others = [c for c in table[name[i]] if c != name[i]]
    return name[:i] + others[int(r2 * len(others))] + name[i + 1 :]


def _traditional(name: str) -> str | None:
    out: str = _s2t().convert(name)  # type: ignore[attr-defined]
    return out if out != name else None


def _dropped(name: str, r: float) -> str | None:
    if len(name) < 3:
        return None
    i = 1 + int(r * (len(name) - 1))
    return name[:i] + name[i + 1 :]


def _noisy_names(
    names: list[str], births: list[dt.date], noise: Int, r: np.ndarray
) -> tuple[list[str], list[dt.date], list[str]]:
    """Apply each row's fault; a fault that cannot apply to a name or date leaves the row clean."""
    out_names, out_births, applied = [], [], []
    for name, birth, k, (r1, r2) in zip(names, births, noise.tolist(), r.tolist(), strict=True):
        kind = NOISES[k]
        new_name: str | None = name
        new_birth: dt.date | None = birth
        if kind == "homophone":
            new_name = _homophone(name, r1, r2)
        elif kind == "traditional":
            new_name = _traditional(name)
        elif kind == "dropped_char":
            new_name = _dropped(name, r1)
        elif kind == "day_month_swapped":
            new_birth = (
                dt.date(birth.year, birth.day, birth.month) if birth.day <= 12 and birth.day != birth.month else None
            )
        if new_name is None or new_birth is None:
            kind, new_name, new_birth = "clean", name, birth
        out_names.append(new_name)
        out_births.append(new_birth)
        applied.append(kind)
    return out_names, out_births, applied


def _ages(births: pl.Series) -> np.ndarray:
    b = births.to_numpy()
    years = AS_OF.year - births.dt.year().to_numpy()
    before = (births.dt.month().to_numpy() * 100 + births.dt.day().to_numpy()) > AS_OF.month * 100 + AS_OF.day
    del b
    return np.asarray(years - before, dtype=np.int64)


def _evidence(source: str, rng: np.random.Generator, n: int) -> dict[str, pl.Series]:
    """The list's own columns, kept by the import as the row's evidence."""
    day0 = (AS_OF - dt.date(2014, 1, 1)).days
    dates = pl.Series((np.datetime64("2014-01-01") + rng.integers(0, day0, n)).astype("datetime64[D]")).cast(pl.Date)
    iso = dates.dt.strftime("%Y-%m-%d")
    if source == "death":
        return {
            "死亡日期": iso,
            "死亡原因": pl.Series(np.array(["疾病", "衰老", "意外"])[pick(rng, (0.7, 0.25, 0.05), n)]),
        }
    if source == "vehicle":
        kinds = np.array(["小型轿车", "小型越野客车", "轻型货车", "三轮汽车", "残疾人专用车"])
        plate = pl.Series(rng.integers(10000, 99999, n)).cast(pl.String)
        return {
            "号牌号码": "晋J" + plate,
            "车辆类型": pl.Series(kinds[pick(rng, (0.5, 0.15, 0.2, 0.12, 0.03), n)]),
            "购置价格": pl.Series((rng.lognormal(10.5, 0.6, n) // 100 * 100).astype(np.int64)),
            "登记日期": iso,
        }
    if source == "business":
        kinds = np.array(["个体工商户", "有限责任公司", "农民专业合作社"])
        return {
            "市场主体名称": pl.Series(
                np.array(["养殖场", "商贸有限公司", "种植专业合作社", "便民超市"])[rng.integers(0, 4, n)]
            ),
            "类型": pl.Series(kinds[pick(rng, (0.6, 0.25, 0.15), n)]),
            "注册资本（万元）": pl.Series(rng.integers(1, 500, n)),
            "成立日期": iso,
        }
    if source == "civil_servant":
        units = np.array(["区教育局", "区人民医院", "乡镇人民政府", "区财政局", "区公安分局"])
        return {"工作单位": pl.Series(units[rng.integers(0, len(units), n)]), "入职日期": iso}
    if source == "housing":
        return {
            "不动产坐落": pl.Series(
                np.array(["离石区滨河小区", "离石区龙凤小区", "城北安置小区"])[rng.integers(0, 3, n)]
            ),
            "建筑面积": pl.Series(rng.integers(45, 160, n)),
            "登记日期": iso,
        }
    if source == "deposit":
        return {
            "开户机构": pl.Series(
                np.array(["山西省农村信用社", "中国邮政储蓄银行", "中国农业银行"])[rng.integers(0, 3, n)]
            ),
            "余额（元）": pl.Series((rng.lognormal(9.5, 1.2, n)).astype(np.int64)),
        }
    if source == "pension":
        return {
            "险种": pl.Series(
                np.array(["城乡居民养老保险", "企业职工养老保险", "住房公积金"])[pick(rng, (0.8, 0.15, 0.05), n)]
            ),
            "月领取额（元）": pl.Series(rng.integers(103, 3500, n)),
        }
    if source == "prison":
        return {"监所": pl.Series(["山西省晋中监狱"] * n), "入监日期": iso}
    if source == "dibao_roll":
        return {
            "低保证号": "LB" + pl.Series(rng.integers(100000, 999999, n)).cast(pl.String),
            "保障人数": pl.Series(rng.integers(1, 6, n)),
            "月保障金（元）": pl.Series(rng.integers(100, 1500, n)),
        }
    if source == "disability":
        cats = np.array(["肢体", "视力", "听力", "言语", "智力", "精神", "多重"])
        return {
            "残疾类别": pl.Series(cats[rng.integers(0, 7, n)]),
            "残疾等级": pl.Series(rng.integers(1, 5, n)),
            "发证日期": iso,
        }
    if source == "disaster":
        return {
            "灾种": pl.Series(np.array(["暴雨洪涝", "冰雹", "干旱", "地质灾害"])[rng.integers(0, 4, n)]),
            "损失（元）": pl.Series(rng.integers(500, 50000, n)),
            "发生日期": iso,
        }
    if source == "dropout":
        return {"学校": pl.Series(["离石区第二中学"] * n), "年级": pl.Series(rng.integers(1, 10, n)), "辍学日期": iso}
    raise ValueError(f"未知的名单：{source}")


def _other_ids(rng: np.random.Generator, births: pl.Series) -> pl.Series:
    """Valid 18-digit numbers of other counties (persons not in this registry)."""
    from jingzhun.registry.idnumber import check_digit

    region = np.array(OTHER_REGIONS)[rng.integers(0, len(OTHER_REGIONS), births.len())]
    serial = rng.integers(0, 1000, births.len())
    first17 = [
        f"{r}{b:%Y%m%d}{s:03d}" for r, b, s in zip(region.tolist(), births.to_list(), serial.tolist(), strict=True)
    ]
    return pl.Series([f + check_digit(f) for f in first17], dtype=pl.String)


def _one_list(
    source: str, persons: pl.DataFrame, n: int, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    low, high = AGES[source]
    age = _ages(persons["birth_date"])
    pool = np.flatnonzero((age >= low) & (age <= high))
    if pool.size == 0:
        pool = np.arange(persons.height)
    kind = pick(rng, MIX, n)
    who = pool[rng.integers(0, pool.size, n)]
    p = persons[who]
    names = p["name"].to_list()
    births = p["birth_date"].to_list()
    ids = p["id_number"].to_list()
    villages = p["village"].to_list()
    township = [v[:9] for v in villages]
    all_villages = np.array(sorted(set(persons["village"].to_list())))
    noise = ["" for _ in range(n)]

    # noisy rows: one fault each, a third with a blank village
    noisy = np.flatnonzero(kind == 2)
    faults = pick(rng, NOISE_MIX, noisy.size)
    new_names, new_births, applied = _noisy_names(
        [names[i] for i in noisy], [births[i] for i in noisy], faults, rng.random((noisy.size, 2))
    )
    # a second fault of the other sort: a swapped date after a name fault, a name fault after a swapped date
    swap = NOISES.index("day_month_swapped")
    again = np.flatnonzero(
        (np.array([a != "clean" for a in applied], dtype=bool)) & (rng.random(noisy.size) < SECOND_FAULT)
    )
    second = np.where(faults[again] == swap, rng.integers(1, swap, again.size), swap)
    names2, births2, applied2 = _noisy_names(
        [new_names[j] for j in again], [new_births[j] for j in again], second, rng.random((again.size, 2))
    )
    for k, j in enumerate(again.tolist()):
        if applied2[k] != "clean":
            new_names[j], new_births[j], applied[j] = names2[k], births2[k], f"{applied[j]}+{applied2[k]}"
    blank = rng.random(noisy.size) < BLANK_VILLAGE
    for j, i in enumerate(noisy.tolist()):
        names[i], births[i], ids[i] = new_names[j], new_births[j], None
        noise[i] = applied[j] + ("+blank_village" if blank[j] else "")
        if blank[j]:
            villages[i] = None
    # exact rows: an X now and then written x; 15-digit old numbers
    for i in np.flatnonzero(kind == 0).tolist():
        if ids[i].endswith("X") and rng.random() < 0.3:
            ids[i], noise[i] = ids[i][:17] + "x", "lower_x"
    for i in np.flatnonzero(kind == 1).tolist():
        if births[i].year < 2000:
            ids[i], noise[i] = ids[i][:6] + ids[i][8:17], "id_15"
        else:
            kind[i] = 0
    for i in np.flatnonzero(kind == 3).tolist():
        wrong = [c for c in CHECK_CHARS if c != ids[i][17]]
        ids[i], noise[i] = ids[i][:17] + wrong[int(rng.integers(0, len(wrong)))], "bad_check_digit"
    # non-matches: names recombined from the registry's, dates within the list's ages
    outsiders = np.flatnonzero((kind == 4) | (kind == 5))
    if outsiders.size:
        donors = persons[pool[rng.integers(0, pool.size, (outsiders.size, 2))].ravel()]["name"].to_list()
        born = pl.Series(
            (np.datetime64(AS_OF) - rng.integers(low * 365 + 1, high * 365 + 300, outsiders.size)).astype(
                "datetime64[D]"
            )
        ).cast(pl.Date)
        other = _other_ids(rng, born)
        for j, i in enumerate(outsiders.tolist()):
            a, b = donors[2 * j], donors[2 * j + 1]
            names[i] = a[0] + (b[1:] if len(b) > 1 else b)
            births[i] = born[j]
            ids[i] = other[j] if kind[i] == 4 else None
            villages[i] = str(all_villages[rng.integers(0, all_villages.size)])
    # hard negatives
    townships = np.array([v[:9] for v in all_villages.tolist()])
    for i in np.flatnonzero(kind == 6).tolist():
        elsewhere = all_villages[townships != township[i]]
        ids[i] = None
        if elsewhere.size:
            villages[i] = str(elsewhere[rng.integers(0, elsewhere.size)])
        else:
            kind[i] = 7
    for i in np.flatnonzero(kind == 7).tolist():
        ids[i] = None
        years = int(rng.integers(1, 25)) * (1 if rng.random() < 0.5 else -1)
        b = births[i]
        year = b.year + years if 1920 <= b.year + years < AS_OF.year else b.year - years
        births[i] = dt.date(min(max(year, 1900), AS_OF.year - 1), b.month, min(b.day, 28))
        if births[i].year == b.year:  # nowhere to move within the years lived: a year earlier
            births[i] = dt.date(b.year - 1, b.month, min(b.day, 28))

    kinds = np.array(KINDS)[kind]
    matched = np.isin(kinds, list(MATCHED))
    rows = pl.DataFrame(
        {
            "姓名": pl.Series(names, dtype=pl.String),
            "身份证号": pl.Series(ids, dtype=pl.String),
            "出生日期": pl.Series(births, dtype=pl.Date).dt.strftime("%Y-%m-%d"),
            "村代码": pl.Series(villages, dtype=pl.String),
            **_evidence(source, rng, n),
        }
    )
    truth = pl.DataFrame(
        {
            "source": pl.Series([source] * n, dtype=pl.String),
            "row": pl.int_range(2, n + 2, dtype=pl.Int64, eager=True),
            "kind": pl.Series(kinds, dtype=pl.String),
            "noise": pl.Series(noise, dtype=pl.String),
            "id_number": p["id_number"],
            "household_no": p["household_no"],
        }
    ).with_columns(pl.when(pl.Series(matched)).then(pl.col(c)).alias(c) for c in ("id_number", "household_no"))
    return rows, truth


def department_lists(households: pl.DataFrame, rows: int | dict[str, int], seed: int) -> DepartmentLists:
    """Every list of :data:`SOURCES` (``rows`` each, or per source) drawn from the registry file's persons."""
    persons = registry_persons(households)
    counts = rows if isinstance(rows, dict) else dict.fromkeys(SOURCES, rows)
    lists: dict[str, pl.DataFrame] = {}
    truths = []
    for source, n in counts.items():
        if source not in SOURCES:
            raise ValueError(f"未知的名单：{source}（可选：{'、'.join(SOURCES)}）")
        table, truth = _one_list(source, persons, n, stream(seed, f"departments/{source}"))
        lists[source] = table
        truths.append(truth)
    return DepartmentLists(lists=lists, truth=pl.concat(truths))


def _read_households(path: Path) -> pl.DataFrame:
    """The registry file as strings (.csv or the first sheet of an .xlsx)."""
    if path.suffix != ".xlsx":
        return pl.read_csv(path, infer_schema_length=0)
    from python_calamine import CalamineWorkbook

    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = [str(h) for h in values[0]]
    body = [["" if v is None else str(v) for v in row] for row in values[1:]]
    return pl.DataFrame(body, schema=dict.fromkeys(header, pl.String), orient="row")


def _safe_text(table: pl.DataFrame) -> pl.DataFrame:
    """Text that a spreadsheet would run as a formula is written as text (core/spreadsheet_text.py)."""
    return table.with_columns(
        pl.col(c).map_elements(csv_cell, return_dtype=pl.String, skip_nulls=True)
        for c, t in table.schema.items()
        if t == pl.String
    )


def _write_xlsx(table: pl.DataFrame, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2020, 6, 30)})
    sheet = book.add_worksheet(path.stem)
    for j, header in enumerate(table.columns):
        sheet.write_string(0, j, header)
    for i, row in enumerate(table.iter_rows(), start=1):
        for j, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(i, j, value)  # never a formula, whatever the text
            elif value is not None:
                sheet.write_number(i, j, value)
    book.close()


def write_department_lists(
    households_path: Path, out_dir: Path, rows: int, seed: int, fmt: str = "csv"
) -> DepartmentLists:
    """Read the registry file, draw the lists, write ``<source>.csv|.xlsx`` and ``truth.csv`` into ``out_dir``."""
    result = department_lists(_read_households(households_path), rows, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for source, table in result.lists.items():
        if fmt == "xlsx":
            _write_xlsx(table, out_dir / f"{source}.xlsx")
        else:
            write_csv(_safe_text(table), out_dir / f"{source}.csv")
    write_csv(result.truth, out_dir / "truth.csv")
    return result
