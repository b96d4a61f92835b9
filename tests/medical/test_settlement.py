"""DB settlement: records agree to the fen with `jingzhun medical settle` on the same stays (the shared
cases, 方山 included); a late-recorded earlier stay re-settles later ones as adjustments; the ledger lines."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor
from jingzhun.medical import actions
from jingzhun.medical.models import AppendOnlyError, Settlement, Stay
from jingzhun.policy.money import fen_to_str

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 12, 31)


def _record(actor: Any, person: Any, hospital: Any, stay_no: str, admitted: str, discharged: str, total: str,
            in_catalogue: str, dibao: bool = False) -> Stay:  # fmt: skip
    return actions.record_stay(
        actor,
        actions.StayInput(
            stay_no=stay_no,
            person=person,
            hospital=hospital,
            admitted=dt.date.fromisoformat(admitted),
            discharged=dt.date.fromisoformat(discharged),
            total_fen=int(Decimal(total) * 100),
            in_catalogue_fen=int(Decimal(in_catalogue) * 100),
            dibao_or_tekun=dibao,
            diagnosis="肺炎",
        ),
        today=TODAY,
    )


def _current(stay: Stay) -> dict[str, str]:
    s = stay.settlements.order_by("-seq").first()
    assert s is not None
    out = {line: fen_to_str(fen) for line, fen in s.amounts().items()}
    return {**out, "oop": fen_to_str(s.oop_fen), "ratio": s.ratio}


def _command(stays: list[dict[str, Any]], tmp_path: Path) -> dict[str, dict[str, str]]:
    path = tmp_path / "stays.yaml"
    path.write_text(yaml.safe_dump({"stays": stays}, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jingzhun", "medical", "settle", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {s["id"]: {**s["lines"], "oop": s["oop"], "ratio": s["ratio"]} for s in json.loads(done.stdout)["stays"]}


def test_the_shared_cases_settle_in_the_database_exactly_as_the_command_and_the_cases_say(
    shared_dir: Path, household: Any, hospitals: dict[str, Any], county: Actor, tmp_path: Path
) -> None:
    cases = yaml.safe_load((shared_dir / "cases" / "medical" / "settlements.yaml").read_text(encoding="utf-8"))
    for case in cases["cases"]:
        people: dict[str, Any] = {}
        documents = []
        for raw in case["stays"]:
            if raw["person"] not in people:
                people[raw["person"]] = household("v11", registered_year=2014 if raw["registered_poor"] else None)
            person = people[raw["person"]].persons.get()
            stay = _record(county, person, hospitals[raw["level"]], f"{case['name'][:8]}-{raw['id']}",
                           str(raw["admitted"]), str(raw["discharged"]), raw["total"], raw["in_catalogue"],
                           raw["dibao_or_tekun"])  # fmt: skip
            # the command on what the database recorded (its region and flags), the same stay
            documents.append({**raw, "id": stay.stay_no, "person": str(person.pk), "region": stay.region,
                              "registered_poor": stay.registered_poor, "admitted": str(raw["admitted"]),
                              "discharged": str(raw["discharged"])})  # fmt: skip
        by_command = _command(documents, tmp_path)
        for raw, document in zip(case["stays"], documents, strict=True):
            stay = Stay.objects.get(stay_no=document["id"])
            assert _current(stay) == by_command[document["id"]] == case["expect"][raw["id"]], case["name"]


def test_fangshan_worked_case_slip_figures_and_explanations(
    household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    person = household("v11", registered_year=2014).persons.get()
    stay = _record(county, person, hospitals["county"], "FS-2018-1", "2018-04-02", "2018-04-12", "10500", "10000")
    s = stay.settlements.get()
    assert (s.basic_fen, s.supplementary_fen, s.oop_fen, s.ratio) == (882000, 94400, 73600, "0.9299")
    assert s.explain["lines"]["basic"] == "基本医保 = (10000.00 − 200.00) × 90% = 8820.00 元"
    values = {p["name"]: p["value"] for p in s.parameters}
    assert values["medical.basic_rate_poor.county"] == "0.9" and values["medical.order.cap136_first"] == "否"
    with pytest.raises(AppendOnlyError, match="结算记录只能追加，不能修改"):
        s.save()
    with pytest.raises(AppendOnlyError, match="结算记录只能追加，不能修改"):
        Settlement.objects.filter(pk=s.pk).update(oop_fen=0)


def test_a_late_recorded_earlier_stay_resettles_the_later_one_as_an_adjustment_and_adjusts_the_ledger(
    household: Any, hospitals: dict[str, Any], county: Actor, tmp_path: Path
) -> None:
    from jingzhun.ledger.models import PaymentLine

    person = household("v11", registered_year=2014).persons.get()
    # the June stay is recorded first: alone in its year, its 136 B is 0 → 432.80 left, under the 1000 cap
    later = _record(county, person, hospitals["county"], "S4b", "2019-05-20", "2019-06-01", "40000", "40000")
    first = later.settlements.get()
    assert (first.serious_fen, first.cap136_fen, first.oop_fen) == (0, 0, 83600)
    assert not PaymentLine.objects.filter(program="cap136").exists()
    # then the March stay turns up: the June stay now reaches 大病保险 and "136" (the shared case S4b)
    earlier = _record(county, person, hospitals["county"], "S4a", "2019-02-20", "2019-03-01", "40000", "40000")
    assert earlier.settlements.get().kind == "settlement"
    rows = list(later.settlements.order_by("seq"))
    assert [(r.seq, r.kind) for r in rows] == [(1, "settlement"), (2, "adjustment")]
    assert rows[0].oop_fen == 83600  # the first record kept as it was
    expect = {"basic": "35820.00", "serious": "2016.00", "supplementary": "1731.20", "assistance": "0.00"}
    assert _current(later) == {**expect, "cap136": "268.80", "oop": "164.00", "ratio": "0.9959"}
    line = PaymentLine.objects.get(program="cap136")
    assert (line.kind, line.amount_fen, line.month, line.person_id) == (
        "adjustment",
        26880,
        dt.date(2019, 6, 1),
        person.pk,
    )
    # settling the year again writes nothing (idempotent)
    from django.db import transaction

    with transaction.atomic():
        assert actions.resettle(county, {(person.pk, 2019)}, reason="再次结算") == []
    assert Settlement.objects.count() == 3 and PaymentLine.objects.count() == 1


def test_assistance_and_136_go_to_the_ledger_as_their_own_programs(
    household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.ledger.queries import month_nets

    person = household("v11", registered_year=2014).persons.get()
    _record(county, person, hospitals["city"], "S2", "2019-02-01", "2019-02-20", "30000", "28000", dibao=True)
    other = household("v12", registered_year=2016).persons.get()
    # R3 = 2214.40 after 基本医保 179820.00, 大病 9108.00, 补充 8857.60; not 低保 → 136 pays 2214.40 − 1000
    _record(county, other, hospitals["county"], "S5", "2019-03-01", "2019-03-20", "200000", "200000")
    lines = {(pl.explain_key, pl.program, pl.kind): pl.amount_fen for pl in PaymentLine.objects.all()}
    assert lines[("medical:S2#1", "medical_assistance", "payment")] == 75152  # the shared case S2's 751.52
    s5 = Stay.objects.get(stay_no="S5").settlements.get()
    assert s5.cap136_fen == 121440 == lines[("medical:S5#1", "cap136", "payment")]
    assert len(lines) == 2  # nothing for the lines that paid 0
    # a month run does not see them (it would adjust them away)
    assert month_nets(dt.date(2019, 2, 1)).is_empty()


def test_refusals_by_role_and_region(
    household: Any, hospitals: dict[str, Any], personas: dict[str, Any], actor: Any
) -> None:
    person = household("v11", registered_year=2014).persons.get()
    for name in ("tom", "victor", "audrey", "zoe", "carl"):
        with pytest.raises(PermissionDenied):
            _record(
                actor(personas[name]),
                person,
                hospitals["county"],
                f"X-{name}",
                "2019-01-01",
                "2019-01-05",
                "100",
                "100",
            )
    assert not Stay.objects.exists()
    _record(actor(personas["alice"]), person, hospitals["county"], "OK-1", "2019-01-01", "2019-01-05", "100", "100")
    _record(actor(personas["root"]), person, hospitals["county"], "OK-2", "2019-02-01", "2019-02-05", "100", "100")
    assert Stay.objects.count() == 2


def test_bad_input_is_refused_with_every_field_named_and_nothing_written(
    household: Any, hospitals: dict[str, Any], county: Actor
) -> None:
    person = household("v11").persons.get()
    with pytest.raises(actions.StayInputError) as caught:
        _record(county, person, hospitals["county"], " ", "2019-03-05", "2019-03-01", "100", "200")
    assert set(caught.value.errors) == {"stay_no", "discharged", "in_catalogue"}
    with pytest.raises(actions.StayInputError) as caught:
        _record(county, person, hospitals["county"], "OLD", "2015-12-01", "2015-12-20", "100", "50")
    assert "2016-01-01" in caught.value.errors["discharged"]
    _record(county, person, hospitals["county"], "DUP", "2019-03-01", "2019-03-05", "100", "50")
    with pytest.raises(actions.StayInputError) as caught:
        _record(county, person, hospitals["county"], "DUP", "2019-04-01", "2019-04-05", "100", "50")
    assert "已登记" in caught.value.errors["stay_no"]
    assert Stay.objects.count() == 1 and Settlement.objects.count() == 1
