"""`jingzhun entitle --reform FILE --compare`: per program, households, persons and amounts before and after;
then per household whose lines changed: before, after, difference and which lines changed; and the
households that fail (无参数) before or after.

"Persons" counts the people a line covers: one for a person line, the members counted by the program
for a household line (n for 低保, the household size for 临时救助 and 一保通).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from jingzhun.policy.engine import EntitlementResult
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.programs import NAMES_ZH, ORDER


@dataclass
class Totals:
    households: int = 0
    persons: int = 0
    amount_fen: int = 0


@dataclass
class ProgramComparison:
    program: str
    before: Totals
    after: Totals

    @property
    def difference_fen(self) -> int:
        return self.after.amount_fen - self.before.amount_fen


def _totals(result: EntitlementResult) -> dict[str, Totals]:
    out: dict[str, Totals] = {}
    for household in result.households:
        seen: set[str] = set()
        for line in household.lines:
            t = out.setdefault(line.program, Totals())
            if line.program not in seen:
                t.households += 1
                seen.add(line.program)
            t.persons += line.persons
            t.amount_fen += line.amount_fen
    return out


def compare_results(before: EntitlementResult, after: EntitlementResult) -> list[ProgramComparison]:
    b, a = _totals(before), _totals(after)
    programs = sorted(set(b) | set(a), key=ORDER.__getitem__)
    rows = [ProgramComparison(p, b.get(p, Totals()), a.get(p, Totals())) for p in programs]
    rows.append(
        ProgramComparison(
            "total",
            Totals(_households(before), sum(r.before.persons for r in rows), sum(r.before.amount_fen for r in rows)),
            Totals(_households(after), sum(r.after.persons for r in rows), sum(r.after.amount_fen for r in rows)),
        )
    )
    return rows


def _households(result: EntitlementResult) -> int:
    return sum(1 for h in result.households if h.lines)


@dataclass
class HouseholdDifference:
    id: str
    before_fen: int
    after_fen: int
    changed: list[str]  # "program" or "program:member", in statement order

    @property
    def difference_fen(self) -> int:
        return self.after_fen - self.before_fen


def household_differences(
    before: EntitlementResult, after: EntitlementResult
) -> tuple[list[HouseholdDifference], list[dict[str, object]]]:
    """Households whose lines differ (both computed), and those that fail before or after."""
    after_by_id = {h.id: h for h in after.households}
    changed: list[HouseholdDifference] = []
    failed: list[dict[str, object]] = []
    for b in before.households:
        a = after_by_id.get(b.id)
        if a is None:
            continue
        if b.errors or a.errors:
            failed.append({"id": b.id, "before": b.errors, "after": a.errors})
            continue
        old = {(line.program, line.member): line.amount_fen for line in b.lines}
        new = {(line.program, line.member): line.amount_fen for line in a.lines}
        keys = sorted(
            (k for k in old.keys() | new.keys() if old.get(k, 0) != new.get(k, 0)),
            key=lambda k: (ORDER[k[0]], k[1] or ""),
        )
        if keys:
            labels = [f"{program}:{member}" if member else program for program, member in keys]
            changed.append(HouseholdDifference(b.id, b.total_fen, a.total_fen, labels))
    return changed, failed


def print_comparison(
    rows: list[ProgramComparison],
    format: str,
    households: tuple[list[HouseholdDifference], list[dict[str, object]]] = ([], []),
) -> None:
    differences, failed = households
    per_household = [
        {
            "id": d.id,
            "before": fen_to_str(d.before_fen),
            "after": fen_to_str(d.after_fen),
            "difference": fen_to_str(d.difference_fen),
            "changed": d.changed,
        }
        for d in differences
    ]
    if format == "json":
        data = [
            {
                "program": r.program,
                "before": {
                    "households": r.before.households,
                    "persons": r.before.persons,
                    "amount": fen_to_str(r.before.amount_fen),
                },
                "after": {
                    "households": r.after.households,
                    "persons": r.after.persons,
                    "amount": fen_to_str(r.after.amount_fen),
                },
                "difference": fen_to_str(r.difference_fen),
            }
            for r in rows
        ]
        out = {"programs": data, "households": per_household, "failed": failed}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    header = [
        "program",
        "households_before",
        "persons_before",
        "amount_before",
        "households_after",
        "persons_after",
        "amount_after",
        "difference",
    ]
    values = [
        [
            r.program,
            r.before.households,
            r.before.persons,
            fen_to_str(r.before.amount_fen),
            r.after.households,
            r.after.persons,
            fen_to_str(r.after.amount_fen),
            fen_to_str(r.difference_fen),
        ]
        for r in rows
    ]
    if format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(values)
        writer.writerow([])
        writer.writerow(["household", "before", "after", "difference", "changed"])
        for d in per_household:
            writer.writerow([d["id"], d["before"], d["after"], d["difference"], " ".join(d["changed"])])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="改革前后对比")
    for column in ("项目", "户数（前）", "人数（前）", "金额（前）", "户数（后）", "人数（后）", "金额（后）", "差额"):
        table.add_column(column, justify="left" if column == "项目" else "right")
    for row, r in zip(values, rows, strict=True):
        label = "合计" if r.program == "total" else f"{NAMES_ZH[r.program]} {r.program}"
        table.add_row(label, *(str(v) for v in row[1:]), end_section=r.program == "total")
    console = Console()
    console.print(table)
    if per_household:
        by_household = Table(title=f"变化的户（{len(per_household)} 户）")
        for column in ("户", "改革前", "改革后", "差额", "变化的项目"):
            by_household.add_column(column, justify="left" if column in ("户", "变化的项目") else "right")
        for d in per_household:
            by_household.add_row(
                str(d["id"]), str(d["before"]), str(d["after"]), str(d["difference"]), " ".join(d["changed"])
            )
        console.print(by_household)
    for f in failed:
        console.print(f"户 {f['id']} 无法计算：改革前 {f['before'] or '可计算'}；改革后 {f['after'] or '可计算'}")
