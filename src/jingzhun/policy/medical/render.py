"""Output of ``jingzhun medical settle``: DESIGN.md's JSON shape, or a Chinese table with the arithmetic.

JSON, per stay in input order: ``id``, ``lines`` (the five payments as two-decimal strings, in POLICY.md's
numbering whatever the regional order), ``oop``, ``ratio``, and ``explain``: the ``order`` the lines were
settled in, per line ``applies``, ``left_before`` (in-catalogue yuan left before the line), the sentence
``text`` and the ``parameters`` it read (name, value, since, region, level, and ``default`` /
``date_assumed`` when true, as ``jingzhun entitle`` writes them), the OOP sentence, and the order
parameter. Each formatted parameter is shared between stays (a document uses a few dozen values).
"""

from __future__ import annotations

import json
from typing import Any

from jingzhun.policy.calc import text as value_text
from jingzhun.policy.medical.settle import LINES, NAMES_ZH, Settlement
from jingzhun.policy.medical.stays import LEVELS
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import Resolved
from jingzhun.policy.regions import NAMES as REGION_NAMES

_FORMATTED: dict[int, tuple[Resolved, dict[str, Any]]] = {}


def parameter_json(r: Resolved) -> dict[str, Any]:
    cached = _FORMATTED.get(id(r))
    if cached is not None and cached[0] is r:
        return cached[1]
    out: dict[str, Any] = {
        "name": r.name,
        "value": value_text(r.value),
        "since": r.since.isoformat(),
        "region": r.region,
        "level": r.level,
    }
    if r.default:
        out["default"] = True
    if r.date_assumed:
        out["date_assumed"] = True
    _FORMATTED[id(r)] = (r, out)
    return out


def settlement_json(s: Settlement) -> dict[str, Any]:
    return {
        "id": s.stay.id,
        "lines": {line: fen_to_str(s.lines[line].paid) for line in LINES},
        "oop": fen_to_str(s.oop),
        "ratio": s.ratio,
        "explain": {
            "order": list(s.order),
            "lines": {
                line: {
                    "applies": result.applies,
                    "left_before": fen_to_str(result.before),
                    "text": result.text,
                    "parameters": [parameter_json(p) for p in result.parameters],
                }
                for line, result in s.lines.items()
            },
            "oop": s.text,
            "order_parameter": parameter_json(s.order_parameter),
        },
    }


def write_json(settlements: list[Settlement], out: Any) -> None:
    """Streams one stay at a time, so 100 000 stays never sit in memory as one JSON tree."""
    out.write('{"stays": [')
    for i, s in enumerate(settlements):
        out.write(",\n  " if i else "\n  ")
        out.write(json.dumps(settlement_json(s), ensure_ascii=False))
    out.write("\n]}\n" if settlements else "]}\n")


def print_table(settlements: list[Settlement], cap_period: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    period = "按年累计" if cap_period == "year" else "按次计算"
    table = Table(title=f"住院一站式结算（“136”封顶{period}）")
    table.add_column("住院", no_wrap=True)
    table.add_column("患者")
    table.add_column("出院日期")
    table.add_column("医院")
    table.add_column("总费用", justify="right")
    for line in LINES:
        table.add_column(NAMES_ZH[line], justify="right")
    table.add_column("个人自付", justify="right")
    table.add_column("报销比例", justify="right")
    for s in settlements:
        st = s.stay
        place = f"{REGION_NAMES.get(st.region, st.region)} {LEVELS[st.level]}"
        table.add_row(
            escape(st.id),
            escape(st.person),
            st.discharged.isoformat(),
            place,
            fen_to_str(st.total),
            *(fen_to_str(s.lines[line].paid) for line in LINES),
            fen_to_str(s.oop),
            s.ratio,
        )
    console = Console()
    console.width = max(console.width, 160)  # piped output defaults to 80 columns: too narrow for ten amounts
    console.print(table)
    for s in settlements:
        console.print(f"[bold]住院 {escape(s.stay.id)}[/bold]（患者 {escape(s.stay.person)}）计算说明：")
        for line in s.order:
            console.print(f"  {escape(s.lines[line].text)}")
        console.print(f"  {escape(s.text)}")
