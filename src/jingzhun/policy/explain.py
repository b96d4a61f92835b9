"""The JSON shape of DESIGN.md's ``jingzhun entitle``: money as two-decimal strings, zero lines left out.

Each line's ``explain`` is what its formula recorded (``calc.Calc``): ``inputs``, ``steps`` and every
``parameters`` entry with its value, the date it took effect (``since``), and where it came from
(``region``, ``level``, ``default``, ``date_assumed``).
"""

from __future__ import annotations

from typing import Any

from jingzhun.policy.calc import Line
from jingzhun.policy.engine import EntitlementResult, HouseholdResult
from jingzhun.policy.money import fen_to_str


def explain_line(line: Line) -> dict[str, Any]:
    return {
        "inputs": line.inputs,
        "steps": line.steps,
        "parameters": [
            {
                "name": p.name,
                "value": p.value,
                "since": p.since.isoformat(),
                "region": p.region,
                "level": p.level,
                "default": p.default,
                "date_assumed": p.date_assumed,
            }
            for p in line.parameters
        ],
    }


def line_json(line: Line) -> dict[str, Any]:
    return {
        "program": line.program,
        "member": line.member,
        "amount": fen_to_str(line.amount_fen),
        "explain": explain_line(line),
    }


def household_json(household: HouseholdResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": household.id,
        "total": None if household.errors else fen_to_str(household.total_fen),
        "lines": [line_json(line) for line in household.lines],
    }
    if household.errors:
        out["errors"] = household.errors
    return out


def result_json(result: EntitlementResult) -> dict[str, Any]:
    return {"month": result.month, "households": [household_json(h) for h in result.households]}
