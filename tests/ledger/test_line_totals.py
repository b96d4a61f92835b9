"""发放明细's running sums (``LineTotal``, kept by triggers: ledger/line_totals.py) equal a SUM over the lines.

After each step a county officer takes — a month run, the bank file sent, a bank confirmation, a return and its
re-queue, a re-run that adjusts, a reversal, a household moved — the sums per village × program × month ×
发放状态 are recomputed from the lines and their latest status events and compared to the table, to the fen.
The page's totals (from the sums) are the totals of the lines it lists, for the filters the sums answer and for
a name search (which sums the lines)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from jingzhun.ledger.bankfiles import latest_status
from jingzhun.ledger.models import LineTotal, PaymentLine
from jingzhun.policy.money import fen_to_grouped
from tests.ledger.cli import bank_file_sent, jingzhun
from tests.ledger.test_bank_file import read_csv
from tests.ledger.test_bank_returns import returns_file

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


def from_lines() -> dict[tuple[int, str, dt.date, str], tuple[int, int]]:
    """The sums recomputed from the lines: (village, program, month, latest status) → (lines, fen)."""
    lines = list(PaymentLine.objects.values_list("pk", "household__village_id", "program", "month", "amount_fen"))
    status = latest_status([pk for pk, *_ in lines])
    count: Counter[tuple[int, str, dt.date, str]] = Counter()
    fen: Counter[tuple[int, str, dt.date, str]] = Counter()
    for pk, village, program, month, amount in lines:
        key = (village, program, month, status.get(pk) or "pending")
        count[key] += 1
        fen[key] += amount
    return {key: (count[key], fen[key]) for key in count}


def from_table() -> dict[tuple[int, str, dt.date, str], tuple[int, int]]:
    cells = LineTotal.objects.values_list("village_id", "program", "month", "status", "lines", "amount_fen")
    return {(v, p, m, s): (n, t) for v, p, m, s, n, t in cells if n or t}  # a cell emptied by a move reads 0


def assert_same() -> None:
    expected = from_lines()
    assert expected  # there is something to compare
    assert from_table() == expected


def test_the_sums_follow_a_run_the_bank_a_return_a_rerun_a_reversal_and_a_move(
    county: dict[str, Any], tmp_path: Path
) -> None:
    assert jingzhun("run-month", "2020-06").exit_code == 0
    assert_same()
    assert {s for *_, s in from_table()} == {"pending"}
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    assert_same()
    rows, _, _ = read_csv(tmp_path / "june.csv")
    returned, paid = rows[0], rows[1:]
    result = jingzhun(
        "ledger", "bank-returns", str(returns_file(tmp_path / "r.csv", [(returned[1], "", returned[7], "")]))
    )
    assert result.exit_code == 0, result.stderr
    assert_same()
    with (tmp_path / "ok.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["参考号", "账号", "金额（元）"])
        writer.writerows((row[1], row[4], row[7]) for row in paid)
    result = jingzhun("ledger", "bank-confirm", str(tmp_path / "ok.csv"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert_same()
    assert {s for *_, s in from_table()} == {"pending", "paid"}  # the return went back to 待发
    assert jingzhun("run-month", "2020-07").exit_code == 0
    bank_file_sent("2020-07", "--out", str(tmp_path / "july.csv"))  # the returned June line goes again: 已报盘
    assert_same()
    before = from_table()
    assert jingzhun("run-month", "2020-07").exit_code == 0  # a re-run over unchanged inputs adds nothing
    assert from_table() == before
    line = PaymentLine.objects.filter(month=JUNE, kind="payment").order_by("id").first()
    assert line is not None
    assert jingzhun("ledger", "reverse", str(line.pk), "--reason", "重复发放").exit_code == 0
    assert_same()
    household = county["households"][0]
    household.village = county["v21"]
    household.save()
    assert_same()


def test_a_rerun_that_adjusts_and_a_rebuild_keep_the_sums(county: dict[str, Any], system: Any) -> None:
    from jingzhun.ledger import line_totals
    from jingzhun.ledger.runs import run_month
    from tests.ledger.test_run_month_adjustments import _reform

    run_month("2020-06", actor=system)
    run_month("2020-06", actor=system, params=_reform("6000"))
    assert PaymentLine.objects.filter(kind="adjustment").exists()
    assert_same()
    kept = from_table()
    with connection.cursor() as cursor:
        line_totals.rebuild(cursor)
    assert from_table() == kept


def _shown(client: Any, **query: str) -> tuple[int, int, str]:
    page = client.get("/ledger/lines/", query).content.decode()
    found = re.search(r"共 <strong>(\d+)</strong> 条（(\d+) 户），合计 <span class=\"stat\">([\d,.-]+)</span>", page)
    assert found, page[:2000]
    return int(found.group(1)), int(found.group(2)), found.group(3)


def test_the_page_totals_are_the_listed_lines_totals(
    world: dict[str, Any], county: dict[str, Any], tmp_path: Path, login: Any
) -> None:
    from django.contrib.auth.models import User

    from jingzhun.core.actions import Actor
    from jingzhun.ledger import lines as ledger_lines

    jingzhun("run-month", "2020-06")
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    jingzhun("run-month", "2020-07")
    client = login("alice")
    actor = Actor.for_user(User.objects.get(username="alice"))
    head = county["households"][0].persons.get(relation="head").name
    filters = [
        {"from": "2020-06"},
        {"from": "2020-06", "region": county["v11"].code},  # one month of one village: others' lines left out
        {"from": "2020-06", "status": "sent", "region": county["v11"].code[:9] + "000"},
        {"from": "2020-06", "to": "2020-07"},
        {"from": "2020-06", "to": "2020-07", "status": "sent"},
        {"from": "2020-06", "to": "2020-07", "status": "pending"},
        {"from": "2020-06", "to": "2020-07", "program": "dibao"},
        {"from": "2020-06", "to": "2020-07", "region": county["v11"].code},
        {"from": "2020-06", "to": "2020-07", "region": county["v11"].code[:9] + "000"},
        {"from": "2020-06", "to": "2020-07", "q": head},
    ]
    for query in filters:
        f = ledger_lines.read_filter(actor, query, JUNE)
        lines, _ = ledger_lines.filtered_lines(actor, f)
        expected = (
            lines.count(),
            sum(lines.values_list("amount_fen", flat=True)),
            lines.values("household").distinct().count(),
        )
        assert ledger_lines.totals(actor, f) == expected, query
        assert ledger_lines.summed(actor, f) == expected, query
        count, households, total = _shown(client, **query)
        assert (count, households, total) == (expected[0], expected[2], fen_to_grouped(expected[1])), query
        assert expected[0] > 0, query
