"""The document's fast path for plainly valid members and incomes accepts exactly what the checked path
accepts: same values when valid, and every single-field corruption still reaches the checked path (and its
named error)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from jingzhun.policy.document import DocumentError, parse_document

MEMBER: dict[str, Any] = {
    "id": "P1",
    "birth_date": "1950-02-28",
    "disability_grade": 2,
    "disability_card_gen2": True,
    "needs_long_term_care": False,
    "disabled_elder_certified": False,
    "self_care": "partial",
    "labour": "none",
    "student": "none",
    "serious_illness": False,
    "late_stage_major_disease": True,
    "income_source": False,
    "capable_supporter": False,
    "care_setting": "institution",
}
HOUSEHOLD: dict[str, Any] = {
    "id": "H1",
    "region": "141102",
    "area": "rural",
    "registered_poor": True,
    "annual_income": "1234.5",
    "disqualified": [],
    "members": [MEMBER],
}
CORRUPTIONS: list[tuple[str, Any, str]] = [
    ("birth_date", "1950-02-30", "birth_date"),
    ("birth_date", "1950-2-28", "birth_date"),
    ("birth_date", "１９５０-02-28", "birth_date"),
    ("birth_date", "1899-12-31", "birth_date"),
    ("birth_date", "2020-07-01", "birth_date"),
    ("birth_date", 19500228, "birth_date"),
    ("disability_grade", 5, "disability_grade"),
    ("disability_grade", True, "disability_grade"),
    ("disability_grade", 1.0, "disability_grade"),
    ("income_source", 1, "income_source"),
    ("labour", "NONE", "labour"),
    ("labour", ["none"], "labour"),
    ("care_setting", None, "care_setting"),
    ("id", " ", "id"),
    ("id", "P" * 65, "id"),
]


def _doc(member: dict[str, Any] | None = None, income: Any = "1234.5") -> dict[str, Any]:
    household = copy.deepcopy(HOUSEHOLD) | {"annual_income": income}
    household["members"] = [member or dict(MEMBER)]
    return {"households": [household]}


def test_a_plain_member_and_income_read_as_the_checked_path_reads_them() -> None:
    doc = parse_document(_doc(), dt.date(2020, 6, 30))
    member = doc.households[0].members[0]
    assert (member.birth_date, member.disability_grade, member.labour) == (dt.date(1950, 2, 28), 2, "none")
    assert doc.households[0].annual_income * 100 == 123450
    with_date = parse_document(_doc(dict(MEMBER, birth_date=dt.date(1950, 2, 28))), dt.date(2020, 6, 30))
    assert with_date.households[0].members[0] == member


@pytest.mark.parametrize(("key", "value", "named"), CORRUPTIONS)
def test_every_corrupted_member_field_is_still_refused_by_name(key: str, value: Any, named: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(_doc(dict(MEMBER, **{key: value})), dt.date(2020, 6, 30))
    assert any(f"[{named}]" in error for error in caught.value.errors), caught.value.errors


@pytest.mark.parametrize("income", ["-1", "1.234", "１２", "1e3", "12.", ".5", 12.5, True])
def test_incomes_the_fast_path_does_not_take_are_checked(income: Any) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(_doc(income=income), dt.date(2020, 6, 30))
    assert any("[annual_income]" in error for error in caught.value.errors), caught.value.errors


def test_a_duplicate_member_id_is_refused_on_the_fast_path_too() -> None:
    doc = _doc()
    doc["households"][0]["members"] = [dict(MEMBER), dict(MEMBER)]
    with pytest.raises(DocumentError, match="成员编号重复"):
        parse_document(doc, dt.date(2020, 6, 30))
