"""The synthetic county (合成县): registry files in the import format, deterministic for a seed.

``generate_county("141102", 20_000, 2018, Path("out"))`` writes ``out/regions.csv`` (townships and
villages) and ``out/households.csv`` (or ``.xlsx``): one row per person in the columns of
:mod:`jingzhun.registry.columns`, households sorted by village. Equal arguments give equal bytes.

The stages, each in its own module and each with its own random stream (so changing one leaves the
others' draws alone): ``regions`` (townships, villages, who lives where) → ``people`` (household
templates, relations, ages, names) → ``idnumbers`` → ``health`` (disability, illness, labour,
schooling) → ``selection`` (特困, 建档立卡, flags, income groups) → ``incomes`` → ``households``
(status, causes, housing, bank, cadre) → ``writer``. Every rate and its source — seed figure or
default with its reason — is listed in :mod:`jingzhun.synth.rates` and in the docstring of the
module that uses it. Everything is vectorised over households and persons (numpy, polars).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.policy.regions import NAMES as REGION_NAMES
from jingzhun.synth import rates
from jingzhun.synth.arrays import Bool, iso_dates, keep_where, labels, stream
from jingzhun.synth.counties import COUNTY_TOWNSHIPS, LISHI, rural_share
from jingzhun.synth.exit_facts import household_exit_facts, person_exit_facts, registered_gaps
from jingzhun.synth.health import CATEGORIES, LABOUR_LABELS, SELF_CARE_LABELS, STUDENT_LABELS, Health, draw_health
from jingzhun.synth.households import HouseholdFacts, household_facts
from jingzhun.synth.idnumbers import id_numbers
from jingzhun.synth.incomes import Incomes, draw_incomes
from jingzhun.synth.people import People, draw_people
from jingzhun.synth.regions import Places, place_households
from jingzhun.synth.selection import (
    BAND_2020,
    DISQUALIFIED_LABELS,
    LOW,
    NEAR,
    TEKUN,
    URBAN_LOW,
    Selection,
    select,
)
from jingzhun.synth.writer import frame, multi, write_csv, write_xlsx, yes_no, yuan

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class SynthResult:
    regions_path: Path
    households_path: Path
    townships: int
    villages: int
    households: int
    persons: int
    seconds: float
    summary: dict[str, int] = field(default_factory=dict)


def _scale(county: str, households: int) -> float:
    """Quota scale: 离石区's counts per 103 448 households, other counties per rural household."""
    return households / rates.LISHI_HOUSEHOLDS * rural_share(COUNTY_TOWNSHIPS[county]) / rural_share(LISHI)


def generate_county(
    region: str,
    households: int,
    seed: int,
    out_dir: Path,
    fmt: str = "csv",
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    if fmt not in FORMATS:
        raise ValueError(f"未知的格式：{fmt}（可选：csv、xlsx）")
    if households < 1:
        raise ValueError("户数须为正整数")

    say("生成乡镇、村和社区…")
    places = place_households(region, households, stream(seed, "regions"))
    unit = places.household_unit
    urban = places.unit_urban[unit]
    poor_village = places.unit_poor[unit]

    say("生成家庭成员：关系、年龄、姓名、身份证号…")
    people = draw_people(stream(seed, "people"), urban)
    g = people.groups
    of = g.of
    ids = id_numbers(region, people.birth, people.male)
    township = places.unit_township[unit]
    county_name = REGION_NAMES[region]

    say("生成残疾、疾病、劳动能力和就学情况…")
    township_names = [t.name for t in places.townships]
    health = draw_health(stream(seed, "health"), people.age, urban[of], township[of], township_names, county_name)

    say("识别特困人员、建档立卡户和低收入户…")
    sel = select(stream(seed, "selection"), g, people.age, health, urban, poor_village, _scale(region, households))
    say("生成收入…")
    old_alone = (g.min(people.age) >= 60) & (g.size <= 2)
    inc = draw_incomes(stream(seed, "incomes"), g, people.age, health, urban, sel, old_alone)
    say("生成户信息：状态、致贫原因、住房、银行账户、帮扶责任人…")
    facts = household_facts(stream(seed, "households"), g, health, sel, urban, unit, poor_village)

    say("生成脱贫退出核查信息：搬迁安置、饮水、因病免学…")
    exit_household = household_exit_facts(stream(seed, "exit_facts"), unit, urban, facts.water, facts.relocated)
    uninsured = registered_gaps(stream(seed, "exit_gaps"), sel.registered[of], sel.tekun, people.age, health)
    exempt = person_exit_facts(people.age, health.dropout, health.serious, health.grade)

    say("组装导入表…")
    df = _assemble(places, people, ids, health, sel, inc, facts, urban, exit_household, exempt, uninsured)
    out_dir.mkdir(parents=True, exist_ok=True)
    regions_path = out_dir / "regions.csv"
    write_csv(places.regions_frame(), regions_path)
    households_path = out_dir / f"households.{fmt}"
    say(f"写出 {households_path.name}（{df.height} 行）…")
    if fmt == "csv":
        write_csv(df, households_path)
    else:
        write_xlsx(df, households_path, progress)

    group = sel.income_group
    summary = {
        "城镇户": int(urban.sum()),
        "建档立卡户": int(sel.registered.sum()),
        "人均收入低于3744元的农村户": int((group == LOW).sum()),
        "人均收入3744–4853元": int((group == BAND_2020).sum()),
        "人均收入4853–6000元": int((group == NEAR).sum()),
        "城镇低收入户": int((group == URBAN_LOW).sum()),
        "特困人员": int(sel.tekun.sum()),
        "特困户": int((group == TEKUN).sum()),
        "持证残疾人": int((health.grade > 0).sum()),
        "取消资格情形户": int((sel.disqualified != 0).sum()),
    }
    return SynthResult(
        regions_path=regions_path,
        households_path=households_path,
        townships=len(places.townships),
        villages=len(places.unit_code),
        households=households,
        persons=len(of),
        seconds=time.perf_counter() - started,
        summary=summary,
    )


def _assemble(
    places: Places,
    people: People,
    ids: pl.Series,
    health: Health,
    sel: Selection,
    inc: Incomes,
    facts: HouseholdFacts,
    urban: Bool,
    exit_household: dict[str, pl.Series],
    exempt: pl.Series,
    uninsured: Bool,
) -> pl.DataFrame:
    g = people.groups
    unit = places.household_unit
    rank = places.household_rank
    width = max(4, len(str(int(rank.max(initial=0)) + 1)))
    code = np.array([int(c) for c in places.unit_code], dtype=np.int64)[unit]
    township = [places.townships[t].name for t in places.unit_township.tolist()]
    place = [t + u for t, u in zip(township, places.unit_name, strict=True)]
    ranks = range(int(rank.max(initial=0)) + 1)
    rural_addr = [f"{r // 40 + 1}组{r % 40 + 1}号" for r in ranks]
    urban_addr = [f"{r // 24 + 1}号楼{r % 24 // 8 + 1}单元{(r % 8 // 2 + 1) * 100 + r % 2 + 1}室" for r in ranks]
    household = {
        "户编号": pl.Series(code * 10**width + rank + 1),
        "村代码": pl.Series(code),
        "地址": labels(place, unit) + labels(rural_addr + urban_addr, rank + np.where(urban, len(ranks), 0)),
        "城乡类别": labels(("农村", "城镇"), urban.astype(np.int64)),
        "建档立卡年份": facts.registered_year,
        "户状态": facts.status,
        "状态日期": facts.status_date,
        "致贫原因": facts.causes,
        "住房安全等级": facts.housing_grade,
        "住房面积": facts.housing_area,
        "饮水安全": facts.water_safe,
        # 边缘易致贫户: never registered, rural, income just above the line (the NEAR group; no random draw)
        "边缘易致贫户": yes_no(~sel.registered & (sel.income_group == NEAR) & ~urban),
        "监测对象": yes_no(facts.monitored),
        "开户银行": facts.bank_name,
        "银行账号": facts.bank_account,
        "帮扶责任人": facts.cadre_name,
        "帮扶人电话": facts.cadre_phone,
        "取消资格情形": multi(DISQUALIFIED_LABELS, sel.disqualified),
        **exit_household,
    }
    age = people.age
    disabled = health.grade > 0
    n = len(age)
    person = {
        "姓名": people.name,
        "身份证号": ids,
        "与户主关系": people.relation,
        "性别": labels(("女", "男"), people.male.astype(np.int64)),
        "出生日期": iso_dates(people.birth),
        "残疾等级": keep_where(pl.Series(health.grade), disabled),
        "残疾类别": labels(CATEGORIES, health.category),
        "第二代残疾证": yes_no(health.card_gen2, disabled),
        "需长期照护": yes_no(health.long_term_care, disabled),
        "失能认定": yes_no(health.certified_elder, age >= 60),
        "自理能力": labels(SELF_CARE_LABELS, health.self_care),
        "劳动能力": labels(LABOUR_LABELS, health.labour),
        "在校情况": labels(STUDENT_LABELS, health.student),
        "学校": health.school,
        "辍学": yes_no(health.dropout, (age >= 6) & (age < 18)),
        "因病免学": exempt,
        "重病": yes_no(health.serious),
        "慢性病": health.chronic_text,
        "重特大疾病晚期": yes_no(health.late_stage),
        "参加基本医保": yes_no((health.medical_insurance | sel.registered[g.of] | sel.tekun) & ~uninsured),
        "有赡养能力的法定义务人": yes_no(inc.capable_supporter),
        "供养方式": labels(("分散供养", "集中供养"), np.where(sel.tekun, sel.institution.astype(np.int64), -1)),
        "收入年度": pl.repeat(rates.INCOME_YEAR, n, dtype=pl.Int64, eager=True),
        "工资性收入": yuan(inc.wages),
        "种养殖收入": yuan(inc.farming),
        "经营性收入": yuan(inc.business),
        "财产性收入": yuan(inc.property_income),
        "转移性收入": yuan(inc.transfer),
    }
    return frame(household, person, g.of)
