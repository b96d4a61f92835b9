"""Output of ``jingzhun medical settle``: DESIGN.md's JSON shape, or a Chinese table with the arithmetic.

JSON: ``{"stays": [...], "parameters": [...]}``. Per stay, in input order: ``id``, ``lines`` (the five
payments as two-decimal strings, in POLICY.md's numbering whatever the regional order), ``oop``,
``ratio``, and ``explain``: the ``order`` the lines were settled in, each line's arithmetic as one
Chinese sentence (``lines``) and the OOP/ratio sentence (``oop``). ``parameters`` lists once every
parameter value the document used — name, value, the date it took effect (``since``), the region code and
level that hold it, and ``default`` / ``date_assumed`` when true, as ``jingzhun entitle`` writes them.

Why the parameters are listed once and not under every line: the sentences already show each value, and
100 000 stays × 5 lines × the same dozen values made the output 184 MiB (measured, bench_medical.py).
Each stay is written as one pre-assembled JSON string (only ``id`` needs escaping: the sentences are built
from numbers and fixed Chinese text) instead of a dict tree through ``json.dumps``: output was the largest
share of the command's time before (bench_medical.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jingzhun.policy.calc import text as value_text
from jingzhun.policy.medical.settle import LINES, NAMES_ZH, Settlement
from jingzhun.policy.medical.stays import LEVELS
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import Resolved
from jingzhun.policy.regions import NAMES as REGION_NAMES


def parameter_json(r: Resolved) -> dict[str, Any]:
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
    return out


def used_parameters(settlements: list[Settlement]) -> list[Resolved]:
    """Every parameter value the settlements read, once each, by name then date and region."""
    seen: dict[int, Resolved] = {}
    for s in settlements:
        seen.setdefault(id(s.order_parameter), s.order_parameter)
        for result in s.lines.values():
            for r in result.parameters:
                seen.setdefault(id(r), r)
    return unique_parameters(seen.values())


def unique_parameters(used: Iterable[Resolved]) -> list[Resolved]:
    """Parameter values once each (by name, date, region and value), sorted so."""
    unique = {(r.name, r.since, r.region, value_text(r.value)): r for r in used}
    return [unique[key] for key in sorted(unique)]


def parameters_json(used: Iterable[Resolved]) -> str:
    """The ``parameters`` list of the output: each value read, once."""
    return json.dumps([parameter_json(r) for r in unique_parameters(used)], ensure_ascii=False)


_ORDERS: dict[tuple[str, ...], str] = {}


def _stay_text(s: Settlement) -> str:
    lines = s.lines
    order = _ORDERS.get(s.order)
    if order is None:
        order = _ORDERS[s.order] = json.dumps(list(s.order))
    basic, serious, supplementary = lines["basic"], lines["serious"], lines["supplementary"]
    assistance, cap136 = lines["assistance"], lines["cap136"]
    return (
        f'{{"id": {json.dumps(s.stay.id, ensure_ascii=False)}, "lines": {{"basic": "{fen_to_str(basic.paid)}", '
        f'"serious": "{fen_to_str(serious.paid)}", "supplementary": "{fen_to_str(supplementary.paid)}", '
        f'"assistance": "{fen_to_str(assistance.paid)}", "cap136": "{fen_to_str(cap136.paid)}"}}, '
        f'"oop": "{fen_to_str(s.oop)}", "ratio": "{s.ratio}", "explain": {{"order": {order}, "lines": '
        f'{{"basic": "{basic.text}", "serious": "{serious.text}", "supplementary": "{supplementary.text}", '
        f'"assistance": "{assistance.text}", "cap136": "{cap136.text}"}}, "oop": "{s.text}"}}}}'
    )


def write_json(settlements: list[Settlement], out: Any) -> None:
    """Streams the stays in chunks, so 100 000 stays never sit in memory as one JSON tree."""
    out.write('{"stays": [')
    for start in range(0, len(settlements), 1000):
        chunk = ",\n  ".join(_stay_text(s) for s in settlements[start : start + 1000])
        out.write((",\n  " if start else "\n  ") + chunk)
    out.write(f'\n], "parameters": {parameters_json(used_parameters(settlements))}}}\n')


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
