"""What makes the 月通报 an official paper rather than a table dump: the summary paragraph at its head and
the 落款 at its foot (单位, 制表人, 审核人, 日期).

The 单位 is the issuing office of the report's scope (a county's or the city's 民政局, a township's 人民政府);
the 制表人 is whoever produced the file (the staff member's name on the web, ``--prepared-by`` on the
command line); the 审核人 is named when given, else left as a line to sign by hand; the date is the working
day (core.workday). The report cites its published figures by title only — never a file path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jingzhun.ledger.report import Report
from jingzhun.policy.money import fen_to_grouped

BLANK = "＿＿＿＿＿＿"  # a line to sign on


@dataclass(frozen=True)
class Signature:
    """落款."""

    unit: str
    prepared_by: str = ""
    reviewer: str = ""
    signed_on: dt.date | None = None

    def lines(self) -> list[str]:
        day = self.signed_on or dt.date.today()
        return [
            f"单位（盖章）：{self.unit}",
            f"制表人：{self.prepared_by or BLANK}",
            f"审核人：{self.reviewer or BLANK}",
            f"日期：{day.year} 年 {day.month} 月 {day.day} 日",
        ]


def unit_of(report: Report) -> str:
    """The issuing office of the report's scope (region prefixes: city 4, county 6, township 9, village 12)."""
    prefix = report.region_prefix
    if not prefix:
        return "吕梁市民政局"
    if len(prefix) >= 12:
        return f"{report.scope_name}村民委员会"
    if len(prefix) >= 9:
        return f"{report.scope_name}人民政府"
    return f"{report.scope_name}民政局"


def signature(report: Report, *, prepared_by: str = "", reviewer: str = "") -> Signature:
    from jingzhun.core import workday

    return Signature(unit_of(report), prepared_by.strip(), reviewer.strip(), workday.today())


def _change(now: int, before: int, unit: str, money: bool) -> str:
    diff = now - before
    if diff == 0:
        return "与上月持平"
    amount = fen_to_grouped(abs(diff)) if money else str(abs(diff))
    text = f"比上月{'增加' if diff > 0 else '减少'} {amount} {unit}"
    if money and before:
        text += f"（{abs(diff) / before * 100:.1f}%）"
    return text


def summary(report: Report) -> str:
    """One paragraph: the month's total, households and the change from last month, then each program."""
    totals = report.at("county", totals=True)
    households = sum(r.households for r in totals)
    last_households = sum(r.last_households for r in totals)
    amount = sum(r.amount_fen for r in totals)
    last_amount = sum(r.last_amount_fen for r in totals)
    month = f"{report.month.year} 年 {report.month.month} 月"
    if not totals:
        return f"{month}，{report.scope_name}台账中没有社会救助发放记录。"
    head = (
        f"{month}，{report.scope_name}共向 {households} 户发放社会救助资金 {fen_to_grouped(amount)} 元，"
        f"金额{_change(amount, last_amount, '元', True)}，户数{_change(households, last_households, '户', False)}。"
    )
    programs: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for r in report.at("county", totals=False):
        figures = programs.setdefault(r.program, [0, 0, 0])
        figures[0] += r.households
        figures[1] += r.persons
        figures[2] += r.amount_fen
        names[r.program] = r.program_name
    parts = [f"{names[p]} {h} 户 {n} 人 {fen_to_grouped(fen)} 元" for p, (h, n, fen) in programs.items() if fen or h]
    body = f"其中：{'；'.join(parts)}。" if parts else ""
    return head + body + "金额为民生账本净额（含冲正、调整）。"
