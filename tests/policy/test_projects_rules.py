"""The project-and-fund rules (issue #17): 入库排序, 按序匹配, 绩效考评, 光伏收益, 护林员 wages, 爱心超市 points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.policy.projects_rules import (
    Allocation,
    Fund,
    Indicator,
    PerformanceRules,
    PointsEntry,
    ProjectCandidate,
    ProjectRuleError,
    PvPlanLine,
    PvRevenue,
    RankingRules,
    activity_points,
    check_pv_distribution,
    evaluate_performance,
    match_fund,
    points_statement,
    post_wage_fen,
    ranger_month_wage,
    rank_projects,
)

JUNE_2020 = dt.date(2020, 6, 1)
LISHI, XINGXIAN = "141102", "141123"
TREE = load_parameters()
RANKING = RankingRules.from_tree(TREE, LISHI, JUNE_2020)
PERFORMANCE = PerformanceRules.from_tree(TREE, LISHI, JUNE_2020)


def project(code: str, **kw: object) -> ProjectCandidate:
    values: dict[str, object] = {
        "county": LISHI,
        "year": 2020,
        "budget_fen": 400_000_00,
        "households": 80,
        "poor_households": 60,
        "readiness": "approved",
        "registered_on": dt.date(2020, 3, 1),
    }
    values.update(kw)
    return ProjectCandidate(code=code, **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- 入库排序


def test_score_adds_the_four_criteria_from_the_parameter_file() -> None:
    # 80 of 100 households → 24 of 30; 60/80 poor → 22.5 of 30; 5 000 yuan a household → 25 of 25; approved → 15.
    (ranked,) = rank_projects([project("P1")], RANKING)
    assert ranked.parts == {"households": 24, "poor_share": Fraction(45, 2), "cost": 25, "readiness": 15}
    assert ranked.score_text == Decimal("86.50")


def test_cost_per_household_scores_linearly_between_the_two_marks() -> None:
    # 27 500 yuan a household is halfway from 5 000 (full) to 50 000 (none): 12.5 of 25.
    half = rank_projects([project("P1", budget_fen=2_200_000_00)], RANKING)[0]
    assert half.parts["cost"] == Fraction(25, 2)
    none = rank_projects([project("P1", budget_fen=4_000_000_00)], RANKING)[0]
    assert none.parts["cost"] == 0


def test_a_project_without_households_scores_only_its_readiness() -> None:
    (ranked,) = rank_projects([project("P1", households=0, poor_households=0, readiness="design")], RANKING)
    assert ranked.score == Fraction(15, 2)


def test_higher_score_ranks_first_and_ties_go_to_the_earlier_entry_then_the_code() -> None:
    ranked = rank_projects(
        [
            project("P1", registered_on=dt.date(2020, 3, 2)),  # entered a day later: after P2 and P3
            project("P3"),
            project("P2"),
            project("P5", readiness="idea"),
        ],
        RANKING,
    )
    assert [(r.rank, r.project.code) for r in ranked] == [(1, "P2"), (2, "P3"), (3, "P1"), (4, "P5")]
    assert ranked[0].score == ranked[2].score


def test_ranks_start_again_for_each_county_and_year() -> None:
    ranked = rank_projects([project("A"), project("B", year=2019), project("C", county=XINGXIAN)], RANKING)
    assert {r.project.code: r.rank for r in ranked} == {"A": 1, "B": 1, "C": 1}


def test_bad_projects_are_all_named_with_their_field() -> None:
    with pytest.raises(ProjectRuleError) as caught:
        rank_projects([project("P1", poor_households=81), project("P1", readiness="soon", county="999999")], RANKING)
    assert caught.value.problems == [
        "项目 P1 [poor_households]：贫困户数 81 大于受益户数 80",
        "项目 P1 [code]：项目编号为空或重复",
        "项目 P1 [county]：未知县级区划代码 '999999'",
        "项目 P1 [readiness]：应为 idea/design/approved 之一",
    ]


# ---------------------------------------------------------------- 按序匹配


def ranked_budgets(*budgets: int) -> list:  # type: ignore[type-arg]
    """Projects P1, P2, … with equal scores, so ranked in that order by their earlier entry dates."""
    return rank_projects(
        [project(f"P{n}", budget_fen=b, registered_on=dt.date(2020, 1, n)) for n, b in enumerate(budgets, start=1)],
        RANKING,
    )


def fund(amount_fen: int, code: str = "F1") -> Fund:
    return Fund(code=code, source="中央财政专项扶贫资金", county=LISHI, year=2020, amount_fen=amount_fen)


def test_a_fund_exactly_exhausting_the_first_budget_leaves_the_next_project_nothing() -> None:
    match = match_fund(fund(100_000_00), ranked_budgets(100_000_00, 50_000_00), [])
    assert match.allocations == (Allocation("F1", "P1", 100_000_00),)
    assert match.unspent_fen == 0


def test_the_remainder_is_carried_to_the_next_project() -> None:
    match = match_fund(fund(150_000_00), ranked_budgets(100_000_00, 80_000_00, 30_000_00), [])
    assert match.allocations == (Allocation("F1", "P1", 100_000_00), Allocation("F1", "P2", 50_000_00))
    assert match.unspent_fen == 0


def test_a_project_already_at_budget_is_skipped_and_a_partly_funded_one_gets_only_its_rest() -> None:
    existing = [Allocation("F0", "P1", 100_000_00), Allocation("F0", "P2", 30_000_00)]
    match = match_fund(fund(200_000_00), ranked_budgets(100_000_00, 80_000_00, 30_000_00), existing)
    assert match.allocations == (Allocation("F1", "P2", 50_000_00), Allocation("F1", "P3", 30_000_00))
    assert match.full == ("P1",)
    assert match.unspent_fen == 120_000_00


def test_a_fund_never_gives_a_project_more_than_its_budget() -> None:
    match = match_fund(fund(1_000_000_00), ranked_budgets(100_000_00, 80_000_00), [])
    assert [a.amount_fen for a in match.allocations] == [100_000_00, 80_000_00]
    assert match.unspent_fen == 820_000_00


def test_rematching_after_a_re_rank_keeps_past_allocations_and_continues_the_fund() -> None:
    first = match_fund(fund(120_000_00), ranked_budgets(100_000_00, 80_000_00), [])
    # Re-ranked: P2 now first. What P1 and P2 already have is not rewritten; F1 had 0 left, F2 goes on.
    reranked = list(reversed(ranked_budgets(100_000_00, 80_000_00)))
    again = match_fund(fund(120_000_00), reranked, first.allocations)
    assert again.allocations == () and again.unspent_fen == 0
    second = match_fund(fund(100_000_00, code="F2"), reranked, first.allocations)
    assert second.allocations == (Allocation("F2", "P2", 60_000_00),)
    assert second.full == ("P1",)
    assert second.unspent_fen == 40_000_00


def test_projects_of_another_county_or_year_are_not_matched() -> None:
    ranked = rank_projects([project("X", county=XINGXIAN), project("Y", year=2019), project("Z")], RANKING)
    match = match_fund(fund(1_000_000_00), ranked, [])
    assert [a.project for a in match.allocations] == ["Z"]


def test_allocations_already_above_a_budget_or_the_fund_are_refused() -> None:
    with pytest.raises(ProjectRuleError) as caught:
        match_fund(fund(10_000_00), ranked_budgets(5_000_00), [Allocation("F1", "P1", 20_000_00)])
    assert caught.value.problems == [
        "资金 F1 [amount_fen]：已分配 20000.00 元，超过资金额",
        "项目 P1 [budget_fen]：已分配 20000.00 元，超过预算 5000.00 元",
    ]


# ---------------------------------------------------------------- 绩效考评


def test_all_indicators_achieved_is_100_and_excellent() -> None:
    result = evaluate_performance(
        [Indicator("新建大棚（座）", 20, 20), Indicator("带动贫困户（户）", 50, 55)], PERFORMANCE
    )
    assert result.score == Decimal("100.00") and result.grade == "优"
    assert result.completion["带动贫困户（户）"] == 1  # over-achievement earns no extra points


@pytest.mark.parametrize(
    ("achieved", "score", "grade"),
    [(9000, "90.00", "优"), (8999, "89.99", "良"), (8000, "80.00", "良"), (6000, "60.00", "中"), (5999, "59.99", "差")],
)
def test_grades_change_exactly_at_90_80_and_60(achieved: int, score: str, grade: str) -> None:
    result = evaluate_performance([Indicator("产量（公斤）", 10000, achieved)], PERFORMANCE)
    assert (result.score, result.grade) == (Decimal(score), grade)


def test_weights_and_lower_is_better_indicators() -> None:
    result = evaluate_performance(
        [
            Indicator("户均增收（元）", 2000, 1000, weight=3),  # half achieved → 1.5 of 3
            Indicator("单位成本（元/亩）", 800, 1000, weight=1, lower_is_better=True),  # 800/1000 → 0.8 of 1
        ],
        PERFORMANCE,
    )
    assert result.score == Decimal("57.50") and result.grade == "差"


def test_bad_indicators_are_named_and_floats_refused() -> None:
    with pytest.raises(ProjectRuleError) as caught:
        evaluate_performance(
            [Indicator("道路（公里）", 0, 1.5), Indicator("道路（公里）", 3, 2, weight=0)], PERFORMANCE
        )  # type: ignore[arg-type]
    assert caught.value.problems == [
        "第1项指标（道路（公里）） [achieved]：应为整数或十进制数（不得用浮点数）",
        "第1项指标（道路（公里）） [planned]：计划值应大于 0",
        "第2项指标（道路（公里）） [weight]：权重应大于 0",
    ]


# ---------------------------------------------------------------- 光伏收益

# 离石's 2016 stations: 21.7 万元 of revenue to September 2018 (seed 003), here one village's share.
REVENUE = PvRevenue(village="141102100201", revenue_fen=72_300_00)


def test_a_plan_of_wages_works_and_rewards_within_the_revenue_passes() -> None:
    plan = [
        PvPlanLine("141102100201", "public_welfare_wages", 48_000_00, payee="保洁员 张某"),
        PvPlanLine("141102100201", "small_public_works", 20_000_00),
        PvPlanLine("141102100201", "rewards", 4_300_00, condition="文明户评选"),
    ]
    assert check_pv_distribution(REVENUE, plan) == []


def test_cash_to_households_another_village_and_unconditional_rewards_are_refused() -> None:
    plan = [
        PvPlanLine("141102100201", "cash_dividend", 10_000_00),
        PvPlanLine("141102100202", "small_public_works", 5_000_00),
        PvPlanLine("141102100201", "rewards", 1_000_00),
        PvPlanLine("141102100201", "public_welfare_wages", 0),
    ]
    assert check_pv_distribution(REVENUE, plan) == [
        "第1行 [use]：光伏收益只能用于公益岗位工资、小型公益事业、奖励补助，"
        "不得无条件发放现金或分红（'cash_dividend'）",
        "第2行 [village]：光伏收益归电站所在村 141102100201，不能分配给 141102100202",
        "第3行 [condition]：奖励补助须写明奖励事由，不得无条件发放",
        "第4行 [amount_fen]：金额应大于 0",
        "第4行 [payee]：公益岗位工资须写明岗位人员",
    ]


def test_the_plan_may_use_exactly_what_is_left_and_not_a_fen_more() -> None:
    revenue = PvRevenue(village="141102100201", revenue_fen=72_300_00, distributed_fen=50_000_00)
    exact = [PvPlanLine("141102100201", "small_public_works", 22_300_00)]
    assert check_pv_distribution(revenue, exact) == []
    over = [PvPlanLine("141102100201", "small_public_works", 22_300_01)]
    assert check_pv_distribution(revenue, over) == ["合计 [amount_fen]：分配 22300.01 元，超过可分配收益 22300.00 元"]


# ---------------------------------------------------------------- 护林员 / 公益岗位


def test_ranger_wage_is_800_a_month_in_lishi_and_6000_a_year_in_xingxian() -> None:
    assert ranger_month_wage(TREE, LISHI, JUNE_2020) == 800
    assert ranger_month_wage(TREE, XINGXIAN, JUNE_2020) == 500


def test_a_county_without_a_ranger_wage_has_no_parameter_not_zero() -> None:
    with pytest.raises(MissingParameter):
        ranger_month_wage(TREE, "141121", JUNE_2020)
    with pytest.raises(MissingParameter):
        ranger_month_wage(TREE, LISHI, dt.date(2017, 6, 1))


@pytest.mark.parametrize(
    ("worked", "required", "fen"),
    [(22, 22, 800_00), (15, 22, 545_45), (11, 22, 400_00), (0, 22, 0), (25, 22, 800_00)],
)
def test_wages_are_pro_rata_to_attendance_and_never_above_the_full_month(worked: int, required: int, fen: int) -> None:
    assert post_wage_fen(ranger_month_wage(TREE, LISHI, JUNE_2020), worked, required) == fen


def test_annual_wage_twelfths_round_once_half_up() -> None:
    # 兴县: 6000 / 12 × 7 / 30 = 116.666… → 116.67; 0.025 yuan → 0.03.
    assert post_wage_fen(ranger_month_wage(TREE, XINGXIAN, JUNE_2020), 7, 30) == 116_67
    assert post_wage_fen(Fraction("0.05"), 1, 2) == 3


def test_attendance_must_make_sense() -> None:
    with pytest.raises(ProjectRuleError) as caught:
        post_wage_fen(Fraction(800), -1, 0)
    assert caught.value.problems == ["[days_required]：应出勤天数应大于 0", "[days_worked]：出勤天数不得为负数"]


# ---------------------------------------------------------------- 爱心超市

POINTS = activity_points(TREE, LISHI, JUNE_2020)


def test_listed_activities_earn_their_points() -> None:
    assert POINTS == {"policy_talk": 5, "sanitation": 5, "model_household": 50}


def test_monthly_statement_has_opening_earned_spent_and_closing() -> None:
    entries = [
        PointsEntry(dt.date(2020, 5, 3), activity="model_household"),
        PointsEntry(dt.date(2020, 6, 20), spent=30, note="食用油一桶"),
        PointsEntry(dt.date(2020, 6, 2), activity="sanitation", count=2),
        PointsEntry(dt.date(2020, 7, 1), activity="policy_talk"),
    ]
    statement = points_statement(entries, "2020-06", POINTS)
    assert (statement.opening, statement.earned, statement.spent, statement.closing) == (50, 10, 30, 30)
    assert [(change, balance) for _, change, balance in statement.lines] == [(10, 60), (-30, 30)]


def test_spending_the_whole_balance_is_allowed_and_one_point_more_is_refused() -> None:
    earned = PointsEntry(dt.date(2020, 6, 1), activity="policy_talk")
    assert points_statement([earned, PointsEntry(dt.date(2020, 6, 2), spent=5)], "2020-06", POINTS).closing == 0
    with pytest.raises(ProjectRuleError) as caught:
        points_statement([earned, PointsEntry(dt.date(2020, 6, 2), spent=6)], "2020-06", POINTS)
    assert caught.value.problems == ["第2条 [spent]：积分不足，余额 5 分，兑换 6 分"]


def test_an_unlisted_activity_and_an_empty_line_are_refused() -> None:
    with pytest.raises(ProjectRuleError) as caught:
        points_statement(
            [PointsEntry(dt.date(2020, 6, 1), activity="dancing"), PointsEntry(dt.date(2020, 6, 1))], "2020-6", POINTS
        )
    assert caught.value.problems == [
        "[month]：月份应为 YYYY-MM，收到 '2020-6'",
        "第1条 [activity]：未列入的活动 'dancing'，或次数、兑换有误",
        "第2条 [activity/spent]：既不是得分活动也不是兑换",
    ]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.sampled_from(["policy_talk", "sanitation", "model_household", ""]),
            st.integers(1, 80),
        ),
        max_size=30,
    )
)
def test_points_are_never_negative(rows: list[tuple[int, str, int]]) -> None:
    entries = [
        PointsEntry(dt.date(2020, 5, 1) + dt.timedelta(days=day), activity=activity, spent=0 if activity else spent)
        for day, activity, spent in rows
    ]
    try:
        statement = points_statement(entries, "2020-06", POINTS)
    except ProjectRuleError as error:
        assert all("积分不足" in problem for problem in error.problems)
        return
    assert statement.opening >= 0 and statement.closing >= 0
    assert all(balance >= 0 for _, _, balance in statement.lines)
