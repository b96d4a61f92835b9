"""The county-scale settlement path against the reference, byte for byte.

``jingzhun medical settle --format json`` reads and settles columns (policy/medical/fast.py); the
reference (settle.py + render.py) settles one stay object at a time. Both must write the same text for any
document — both regional orders, both cap periods, several stays per person and year, every line's
boundaries — and a document the column reader does not take must go the reference parser's way.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingzhun.policy.medical import fast, render
from jingzhun.policy.medical.settle import RulesCache, settle
from jingzhun.policy.medical.stays import parse_csv, parse_stays
from jingzhun.policy.params import load_parameters

CACHE = RulesCache(load_parameters())
FIELDS = ("id", "person", "registered_poor", "dibao_or_tekun", "region", "level")
FIELDS += ("admitted", "discharged", "total", "in_catalogue")
# 兴县 (136 before 医疗救助), 离石, 方山; and amounts around every threshold: deductibles 200–1200, the 5 000
# of 大病保险, the 136 caps 1 000 / 3 000 / 6 000, the 20 000 yearly 医疗救助 cap
REGIONS = ("141123", "141102", "141128")
LEVELS = ("county", "city", "province", "outside")
AMOUNTS = st.one_of(
    st.integers(0, 300_000),  # fen: up to 3 000 yuan
    st.sampled_from(range(7, 30_000_000, 13_331)),  # up to 300 000 yuan, spread evenly (integers() favours small)
    st.sampled_from([0, 1, 20_000, 20_001, 40_000, 60_000, 500_000, 500_001, 2_000_000, 10_000_000]),
)


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@st.composite
def documents(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 14))
    # one region for the whole document half of the time: a person-year in one order, settled by the closed
    # forms; mixed regions (兴县 and another) send person-years through the loop
    only = draw(st.sampled_from([None, *REGIONS]))
    stays = []
    for n in range(count):
        catalogue = draw(AMOUNTS)
        total = catalogue + draw(st.sampled_from([0, 0, 1, 50_000, draw(AMOUNTS)]))
        total = max(total, 1)
        discharged = dt.date(draw(st.sampled_from([2018, 2019])), 1, 1) + dt.timedelta(draw(st.integers(0, 364)))
        stays.append(
            {
                "id": draw(st.sampled_from([f"S{n}", f"s{n:03d}", f"住院{n}", f'S"{n}\\'])),
                "person": draw(st.sampled_from(["P1", "P2", "P3"])),
                "registered_poor": draw(st.booleans()),
                "dibao_or_tekun": draw(st.booleans()),
                "region": only or draw(st.sampled_from(REGIONS)),
                "level": draw(st.sampled_from(LEVELS)),
                "admitted": (discharged - dt.timedelta(draw(st.integers(0, 20)))).isoformat(),
                "discharged": discharged.isoformat(),
                "total": yuan(total),
                "in_catalogue": yuan(catalogue),
            }
        )
    ids = [s["id"] for s in stays]
    for n, s in enumerate(stays):  # unique ids, some with characters JSON must escape
        if ids.count(s["id"]) > 1:
            s["id"] = f"{s['id']}#{n}"
    return stays


def reference(stays: list[dict[str, Any]], cap_period: str) -> str:
    out = io.StringIO()
    render.write_json(settle(parse_stays({"stays": stays}), cap_period, cache=CACHE), out)
    return out.getvalue()


def columns(frame: Any, cap_period: str) -> str:
    result = fast.settle_frame(frame, cap_period, CACHE)
    assert result is not None
    out = io.StringIO()
    fast.write_json(*result, cap_period, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["year", "stay"]))
def test_the_column_path_writes_exactly_what_the_reference_writes(stays: list[dict[str, Any]], period: str) -> None:
    expected = reference(stays, period)
    frame = fast.frame_from_records(stays)
    assert frame is not None, "every generated stay is well formed"
    assert columns(frame, period) == expected
    assert columns(fast.frame_from_stays(parse_stays({"stays": stays})), period) == expected


@settings(max_examples=30, deadline=None)
@given(documents())
def test_csv_columns_give_the_same_text(stays: list[dict[str, Any]]) -> None:
    def cell(v: Any) -> str:
        return str(v).lower() if isinstance(v, bool) else str(v)

    rows = [",".join(FIELDS)] + [",".join(cell(s[f]) for f in FIELDS) for s in stays if '"' not in s["id"]]
    if len(rows) == 1:
        return
    text = "\n".join(rows) + "\n"
    frame = fast.frame_from_csv(text)
    assert frame is not None
    out = io.StringIO()
    render.write_json(settle(parse_csv(text), cache=CACHE), out)
    assert columns(frame, "year") == out.getvalue()


def test_a_person_over_the_yearly_assistance_cap_and_the_136_cap_at_two_levels() -> None:
    # the carried amounts the loop keeps: 20 000 of 医疗救助 a year, the year's highest-level 136 cap
    base = {
        "person": "P1",
        "registered_poor": True,
        "dibao_or_tekun": True,
        "region": "141102",
        "admitted": "2019-01-01",
    }
    stays = [
        base | {"id": "A", "level": "county", "discharged": "2019-02-01", "total": "300000", "in_catalogue": "300000"},
        base | {"id": "B", "level": "province", "discharged": "2019-03-01", "total": "8000", "in_catalogue": "8000"},
        base | {"id": "C", "level": "city", "discharged": "2019-04-01", "total": "90000", "in_catalogue": "90000"},
        base | {"id": "D", "level": "county", "discharged": "2020-01-05", "total": "9000", "in_catalogue": "9000"},
    ]
    for region in ("141102", "141123"):
        for period in ("year", "stay"):
            doc = [s | {"region": region} for s in stays]
            frame = fast.frame_from_records(doc)
            assert columns(frame, period) == reference(doc, period)
    assert json.loads(reference(stays, "year"))["stays"][2]["lines"]["assistance"] != "0.00"


FANGSHAN = {
    "id": "S1",
    "person": "P1",
    "registered_poor": True,
    "dibao_or_tekun": False,
    "region": "141128",
    "level": "county",
    "admitted": "2018-04-02",
    "discharged": "2018-04-12",
    "total": "10500",
    "in_catalogue": "10000",
}


@pytest.mark.parametrize(
    "change",
    [
        {"total": 10500.5},  # a float
        {"total": "10500.001"},
        {"total": "-1"},
        {"total": "１０５００"},  # full-width digits: the reference reads them; the column path leaves them to it
        {"total": "0"},
        {"in_catalogue": "20000"},
        {"admitted": "2018-04-13"},
        {"admitted": "0000-01-01"},  # a year 0 Polars would parse and Python's date refuses
        {"discharged": "2018-02-30"},
        {"discharged": "2018-4-12"},
        {"discharged": dt.datetime(2018, 4, 12)},
        {"level": "clinic"},
        {"region": ["141128"]},  # unhashable
        {"region": 141128},
        {"registered_poor": "true"},
        {"id": " "},
        {"person": 7},
        {"colour": "red"},
        {"total": 10**15},
    ],
)
def test_anything_unusual_is_left_to_the_reference_parser(change: dict[str, Any]) -> None:
    assert fast.frame_from_records([FANGSHAN, FANGSHAN | {"id": "S2"} | change]) is None


def test_two_stays_with_one_id_are_left_to_the_reference_parser() -> None:
    assert fast.frame_from_records([FANGSHAN, FANGSHAN]) is None
    assert fast.frame_from_records([FANGSHAN, {k: v for k, v in FANGSHAN.items() if k != "total"}]) is None


def test_integer_money_and_yaml_dates_are_read_as_the_reference_reads_them() -> None:
    doc = [
        FANGSHAN | {"total": 10500, "in_catalogue": 10000},
        FANGSHAN | {"id": "S2", "discharged": dt.date(2018, 5, 1)},
    ]
    doc[1]["admitted"] = dt.date(2018, 4, 20)
    frame = fast.frame_from_records(doc)
    assert frame is not None
    out = io.StringIO()
    render.write_json(settle(parse_stays({"stays": doc}), cache=CACHE), out)
    assert columns(frame, "year") == out.getvalue()


def test_a_stay_without_parameters_sends_the_document_to_the_reference() -> None:
    frame = fast.frame_from_records([FANGSHAN | {"admitted": "2015-01-01", "discharged": "2015-12-31"}])
    assert frame is not None
    assert fast.settle_frame(frame, "year", CACHE) is None
