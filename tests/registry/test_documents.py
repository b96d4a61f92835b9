"""The POLICY.md §1 household document and the batch frames, built from the registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from jingzhun.core.actions import Actor
from jingzhun.registry import actions
from jingzhun.registry.documents import household_document, household_frames
from jingzhun.registry.models import Household

from .conftest import FAR_VILLAGE, VILLAGE, id_for

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def _person(relation: str, birth: dt.date, sex: str, **extra: Any) -> dict[str, Any]:
    base = {"id_number": id_for(birth, sex), "name": relation, "relation": relation}
    return {**base, "self_care": "full", "labour": "full", "student": "none", "capable_supporter": False, **extra}


@pytest.fixture
def family(villages: Any) -> dict[str, Any]:
    """H1 (registered, 4 members: the child has died), H2 closed by a merge, H3 in 交口县."""
    head = _person(
        "head",
        dt.date(1958, 3, 12),
        "M",
        disability_grade=2,
        disability_card_gen2=True,
        needs_long_term_care=True,
        labour="none",
        self_care="partial",
        incomes=[
            {"year": 2018, "wages_fen": 9_999_900},  # an older year: not counted
            {"year": 2019, "farming_fen": 320_000, "transfer_fen": 60_050},
            {"year": 2021, "wages_fen": 1_000},  # after the month's year: not counted in 2020
        ],
    )
    spouse = _person(
        "spouse", dt.date(1961, 8, 20), "F", serious_illness=True, incomes=[{"year": 2019, "transfer_fen": 12_000}]
    )
    child = _person("child", dt.date(1985, 1, 1), "M", incomes=[{"year": 2019, "wages_fen": 5_000_000}])
    grandchild = _person("grandchild", dt.date(2012, 9, 1), "F", student="compulsory", capable_supporter=True)
    fields = {"address": "一组", "area": "rural", "housing_grade": "B", "disqualified": ["vehicle"]}
    h1 = actions.create_household(
        SYSTEM,
        household_no="H1",
        village_code=VILLAGE,
        members=[head, spouse, child, grandchild],
        registered_year=2016,
        status="not_exited",
        **fields,
    )
    actions.record_death(SYSTEM, h1.persons.get(relation="child"), date=dt.date(2020, 1, 5))
    h2 = actions.create_household(
        SYSTEM, household_no="H2", village_code=VILLAGE, members=[_person("head", dt.date(1990, 1, 1), "M")], **fields
    )
    actions.merge_households(SYSTEM, h2, h1, date=dt.date(2020, 2, 1))
    h3 = actions.create_household(
        SYSTEM,
        household_no="H3",
        village_code=FAR_VILLAGE,
        members=[_person("head", dt.date(1940, 1, 1), "F", care_setting="institution")],
        address="x",
        area="urban",
        housing_grade="A",
    )
    return {"h1": h1, "h3": h3, "pk": {p.relation: str(p.pk) for p in h1.persons.all()}}


def _member(pk: str, birth: str, **facts: Any) -> dict[str, Any]:
    base = {
        "id": pk,
        "birth_date": birth,
        "disability_grade": None,
        "disability_card_gen2": False,
        "needs_long_term_care": False,
        "disabled_elder_certified": False,
        "self_care": "full",
        "labour": "full",
        "student": "none",
        "serious_illness": False,
        "late_stage_major_disease": False,
        "income_source": False,
        "capable_supporter": False,
        "care_setting": "home",
    }
    return {**base, **facts}


def test_document_matches_a_hand_built_household(family: dict[str, Any]) -> None:
    pk = family["pk"]
    moved_in = str(Household.objects.get(household_no="H1").persons.get(relation="other").pk)
    expected = {
        "id": "H1",
        "region": "141102",
        "area": "rural",
        "registered_poor": True,
        # 2019 is H1's latest year ≤ 2020: 3200 + 600.50 (head) + 120 (spouse); the dead son's 50 000 is out.
        "annual_income": "3920.50",
        "disqualified": ["vehicle"],
        "members": [
            _member(
                pk["head"],
                "1958-03-12",
                disability_grade=2,
                disability_card_gen2=True,
                needs_long_term_care=True,
                self_care="partial",
                labour="none",
                income_source=True,  # farming income in 2019
            ),
            _member(pk["spouse"], "1961-08-20", serious_illness=True),  # transfer income alone is no own source
            _member(pk["grandchild"], "2012-09-01", student="compulsory", capable_supporter=True),
            _member(moved_in, "1990-01-01"),  # merged in from H2, no income record
        ],
    }
    assert household_document("2020-06", region_prefix="141102") == {"households": [expected]}


def test_a_later_month_uses_the_later_income_year(family: dict[str, Any]) -> None:
    [h1] = household_document("2021-01", household_ids=[family["h1"].pk])["households"]
    assert h1["annual_income"] == "10.00"  # only the head has a 2021 record
    assert [m["income_source"] for m in h1["members"]] == [True, False, False, False]


def test_households_can_be_picked_as_objects(family: dict[str, Any]) -> None:
    [h3] = household_document("2020-06", households=[family["h3"]])["households"]
    assert (h3["id"], h3["region"], h3["area"], h3["registered_poor"], h3["annual_income"]) == (
        "H3",
        "141130",
        "urban",
        False,
        "0.00",
    )
    assert h3["members"][0]["care_setting"] == "institution"


def test_frames_have_the_batch_schema(family: dict[str, Any]) -> None:
    households, persons = household_frames("2020-06")
    assert households.schema == pl.Schema(
        {
            "id": pl.String,
            "region": pl.String,
            "area": pl.String,
            "registered_poor": pl.Boolean,
            "annual_income_fen": pl.Int64,
            "disqualified": pl.List(pl.String),
        }
    )
    assert persons.schema["birth_date"] == pl.Date and persons.schema["disability_grade"] == pl.Int8
    assert persons.columns[:2] == ["id", "household_id"]
    assert households["id"].to_list() == ["H1", "H3"]
    assert households.filter(pl.col("id") == "H1")["annual_income_fen"].item() == 392_050


def test_frames_and_document_agree(family: dict[str, Any]) -> None:
    households, persons = household_frames("2020-06")
    document = household_document("2020-06")["households"]
    assert [(h["id"], h["region"], h["area"], h["registered_poor"], h["disqualified"]) for h in document] == [
        (r["id"], r["region"], r["area"], r["registered_poor"], r["disqualified"])
        for r in households.iter_rows(named=True)
    ]
    assert [h["annual_income"] for h in document] == [
        f"{fen // 100}.{fen % 100:02d}" for fen in households["annual_income_fen"]
    ]
    from_frames = persons.with_columns(pl.col("birth_date").dt.to_string("%Y-%m-%d")).drop("household_id").to_dicts()
    assert [m for h in document for m in h["members"]] == from_frames


def test_a_region_prefix_limits_both(family: dict[str, Any]) -> None:
    households, persons = household_frames("2020-06", region_prefix="141130")
    assert households["id"].to_list() == ["H3"] and persons.height == 1
    assert household_document("2020-06", region_prefix="141130001")["households"][0]["id"] == "H3"


def test_a_bad_month_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="月份格式应为 YYYY-MM"):
        household_frames("2020-13")


def test_membership_is_that_of_the_first_day_of_the_month(family: dict[str, Any]) -> None:
    """The child died 2020-01-05 and H2 merged into H1 on 2020-02-01: earlier months see them as they were."""
    pk = family["pk"]
    moved_in = pk["other"]
    h3 = [str(p.pk) for p in family["h3"].persons.all()]

    def members(month: str) -> dict[str, list[str]]:
        households, persons = household_frames(month)
        return {h: persons.filter(pl.col("household_id") == h)["id"].to_list() for h in households["id"]}

    assert members("2020-01") == {
        "H1": [pk["head"], pk["spouse"], pk["child"], pk["grandchild"]],  # died on the 5th: a member on the 1st
        "H2": [moved_in],
        "H3": h3,
    }
    assert members("2020-02") == {
        "H1": [pk["head"], pk["spouse"], pk["grandchild"], moved_in],  # merged on the 1st: counts from February
        "H3": h3,
    }
    [january] = household_document("2020-01", household_ids=[family["h1"].pk])["households"]
    assert january["annual_income"] == "53920.50"  # the son's 2019 wages count while he is a member


def test_a_move_in_counts_from_the_month_whose_first_day_follows_it(family: dict[str, Any]) -> None:
    h3 = family["h3"]
    newcomer = actions.add_person(SYSTEM, h3, date=dt.date(2020, 3, 2), **_person("spouse", dt.date(1950, 1, 1), "M"))
    for month, expected in (("2020-03", False), ("2020-04", True)):
        [doc] = household_document(month, households=[h3])["households"]
        assert (str(newcomer.pk) in [m["id"] for m in doc["members"]]) is expected, month


def test_a_household_whose_last_member_moved_out_computes_until_then(family: dict[str, Any]) -> None:
    h3 = family["h3"]
    actions.record_move_out(SYSTEM, h3.persons.get(), date=dt.date(2020, 5, 20))
    h3.refresh_from_db()
    assert not h3.active
    assert [h["id"] for h in household_document("2020-05", households=[h3])["households"]] == ["H3"]
    assert household_document("2020-06", households=[h3])["households"] == []
