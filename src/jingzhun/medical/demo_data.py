"""The demo's settlements: the synthetic county's stays of the demo year, recorded and settled.

:func:`build_demo_settlements` takes the registry file the demo imported (``households.csv``), draws the
year's stays with :func:`jingzhun.synth.stays.generate_stays` (calibrated on 兴县 2019; the 方山 worked
case among them), registers four hospitals (one per level), and records every stay through
:func:`jingzhun.medical.actions.record_stays` — the same action as an import: settled in POLICY.md §7's
order into the append-only records, 医疗救助 and "136" into the ledger. Returns the figures the demo prints.
With ``until`` (the demo's working day), only the stays discharged by then: a demo working in 2020-07 shows
no settlement or 医疗救助 payment dated after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from jingzhun.core.actions import Actor
from jingzhun.medical.actions import StayInput, add_hospital, record_stays
from jingzhun.medical.models import Hospital, StaySource
from jingzhun.medical.queries import build_report
from jingzhun.registry.models import Person
from jingzhun.synth.stays import generate_stays

HOSPITALS = {
    "county": ("离石区人民医院", "141102"),
    "city": ("吕梁市人民医院", "141100"),
    "province": ("山西医科大学第一医院", "140105"),
    "outside": ("北京协和医院", ""),
}


@dataclass(frozen=True)
class DemoSettlements:
    stays: int
    settlements: int
    assistance_fen: int
    cap136_fen: int
    poor_in_province: int
    average_ratio: Decimal | None


def build_demo_settlements(
    actor: Actor, households_csv: Path, year: int, seed: int, *, until: dt.date | None = None
) -> DemoSettlements:
    rows = pl.read_csv(households_csv, infer_schema=False)
    try:
        stays = generate_stays(rows, year=year, seed=seed, until=until)
    except ValueError:  # a county too small to hold the 方山 worked case (a few hundred households): no stays
        return DemoSettlements(0, 0, 0, 0, 0, None)
    # the synthetic person id is 户编号-n, n = the person's place in the household's rows: map it to the ID number
    ids = rows.select(
        (pl.col("户编号") + "-" + (pl.int_range(pl.len()).over("户编号") + 1).cast(pl.String)).alias("person"),
        pl.col("身份证号").alias("id_number"),
    )
    stays = stays.join(ids, on="person", how="inner")
    persons = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in=stays.get_column("id_number").to_list()).select_related(
            "household__village"
        )
    }
    hospitals = {
        level: Hospital.objects.filter(name=name).first() or add_hospital(actor, name=name, level=level, county=county)
        for level, (name, county) in HOSPITALS.items()
    }
    inputs = [
        StayInput(
            stay_no=s["id"],
            person=persons[s["id_number"]],
            hospital=hospitals[s["level"]],
            admitted=s["admitted"],
            discharged=s["discharged"],
            total_fen=s["total"],
            in_catalogue_fen=s["in_catalogue"],
            dibao_or_tekun=s["dibao_or_tekun"],
        )
        for s in stays.iter_rows(named=True)
        if s["id_number"] in persons
    ]
    result = record_stays(actor, inputs, source=StaySource.IMPORT, label=f"演示数据：{year} 年住院")
    report = build_report(actor, year).year_total
    return DemoSettlements(
        stays=result.recorded,
        settlements=result.settlements,
        assistance_fen=report.lines["assistance"].amount_fen,
        cap136_fen=report.lines["cap136"].amount_fen,
        poor_in_province=report.poor_in_province,
        average_ratio=report.average_ratio,
    )
