"""``jingzhun entitle``'s JSON is built column by column (``policy/document_text.py``) without the line
path's objects: it must be, byte for byte, ``json.dumps`` of the line path's ``household_json`` — on
seeded counties with every program, CPI, history, 临时救助 events, 赡养费 records, 0.00 低保 notes and
missing parameters, and on hand-made households with odd ids."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import pytest

from jingzhun.policy.document import parse_document
from jingzhun.policy.document_text import households_json_reference, households_text
from jingzhun.policy.engine import compute_document, month_end, parse_month
from jingzhun.policy.frames import frames_to_document
from jingzhun.policy.params import load_parameters
from jingzhun.policy.render import entitlements_json
from tests.policy.test_cli import MEMBER, document
from tests.policy.test_output_stable import MONTHS, county, side_data


def both(raw: dict[str, Any], month: str) -> tuple[list[str], list[str]]:
    params = load_parameters()
    doc = parse_document(raw, month_end(parse_month(month)))
    texts, _ = households_text(doc, doc.households, parse_month(month), params)
    reference = households_json_reference(compute_document(doc, month, params=params).households)
    return texts, reference


@pytest.mark.parametrize("seed", [13, 7])
@pytest.mark.parametrize("month", MONTHS)
def test_same_text_as_the_line_path(seed: int, month: str) -> None:
    households, persons = county(300, seed)
    raw = frames_to_document(households, persons) | side_data(persons)
    raw = json.loads(json.dumps(raw, default=dt.date.isoformat))
    texts, reference = both(raw, month)
    assert len(texts) == 300
    for text, expected in zip(texts, reference, strict=True):
        assert text == expected
    assert any('"sentence"' in t or '"errors"' in t for t in texts)


def test_odd_ids_and_zero_lines() -> None:
    raw = document(annual_income="1200")
    raw["households"][0]["id"] = 'H"1\\ 户\u2028'
    raw["households"][0]["members"][0]["id"] = "成员\t1"
    raw["households"].append({**raw["households"][0], "id": "rich", "annual_income": "9999999", "members": [MEMBER]})
    texts, reference = both(raw, "2020-06")
    assert texts == reference
    assert '"program": "dibao"' in texts[0] and '"program": "dibao"' not in texts[1]


def test_entitlements_json_is_the_line_path_document() -> None:
    households, persons = county(120, 3)
    raw = json.loads(json.dumps(frames_to_document(households, persons) | side_data(persons), default=str))
    params = load_parameters()
    doc = parse_document(raw, month_end(parse_month("2020-06")))
    text, failed = entitlements_json(doc, "2020-06", params)
    result = compute_document(doc, "2020-06", params=params)
    households_part = json.dumps(households_json_reference(result.households), ensure_ascii=False)
    assert json.loads(text)["households"] == [json.loads(t) for t in json.loads(households_part)]
    assert failed == [(h.id, h.errors) for h in result.households if h.errors]


@pytest.mark.parametrize(
    "series",
    [
        pl.Series("s", [{"num": 1, "den": 2}, None, {"num": None, "den": 3}, {"num": 1, "den": 2}]),
        pl.Series("l", [["a", "b"], None, [], ["a", "b"]]),
        pl.Series("n", [[{"x": 1}], None, [{"x": 1}]]),
        pl.Series("b", [True, None, False, True]),
        pl.Series("d", [dt.date(2020, 1, 2), None, dt.date(2020, 1, 2)]),
    ],
)
def test_markers_give_back_each_rows_value(series: pl.Series) -> None:
    from jingzhun.policy.document_text import _markers

    markers, value_of = _markers(series)
    assert [value_of(marker) for marker in markers] == series.to_list()
    assert len(set(markers)) < len(markers)


def test_a_program_without_parameters_or_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program naming no parameter and no input still gets its line ("parameters": [], "inputs": {})."""
    from jingzhun.policy.programs import disability_care

    monkeypatch.setattr(disability_care, "PARAMETERS", ())
    monkeypatch.setattr(disability_care, "INPUTS", {})
    raw = document(annual_income="1200")
    raw["households"][0]["members"][0] |= {"disability_grade": 1, "needs_long_term_care": True}
    texts, reference = both(raw, "2020-06")
    assert texts == reference
    assert '"program": "disability_care"' in texts[0] and '"parameters": [], "rule"' in texts[0]
