"""Parameter units in the staff explanation: a count of working days is not an age."""

from jingzhun.policy.explain_words import parameter_rows
from jingzhun.policy.params import load_parameters


def test_review_working_days_read_as_working_days() -> None:
    assert load_parameters().get("temporary_assistance.review_working_days").unit == "workday"
    [row] = parameter_rows(
        [{"name": "temporary_assistance.review_working_days", "value": "5", "since": "2015-01-01", "region": "141100"}]
    )
    assert row.value == "5 个工作日"


def test_ages_still_read_in_years_of_age() -> None:
    [row] = parameter_rows(
        [{"name": "allowances.elderly.min_age", "value": "80", "since": "2015-01-01", "region": "141100"}]
    )
    assert row.value == "80 周岁"
