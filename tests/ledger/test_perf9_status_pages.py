"""发放明细 with a 发放状态 filter over several months: the page's keyset walk reads only the months whose running
sums hold a line of that status, and lists exactly the lines the unrestricted query lists, in the same order,
page after page."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.ledger.cli import bank_file_sent, jingzhun
from tests.ledger.test_bank_file import read_csv

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


def test_a_status_filter_lists_the_same_lines_as_the_unrestricted_query(
    world: dict[str, Any], county: dict[str, Any], tmp_path: Path
) -> None:
    from django.contrib.auth.models import User

    from jingzhun.core.actions import Actor
    from jingzhun.ledger import lines as ledger_lines

    assert jingzhun("run-month", "2020-06").exit_code == 0
    bank_file_sent("2020-06", "--out", str(tmp_path / "june.csv"))
    rows, _, _ = read_csv(tmp_path / "june.csv")
    with (tmp_path / "ok.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["参考号", "账号", "金额（元）"])
        writer.writerows((row[1], row[4], row[7]) for row in rows[1:])  # all of June but one: 已到账
    result = jingzhun("ledger", "bank-confirm", str(tmp_path / "ok.csv"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert jingzhun("run-month", "2020-07").exit_code == 0
    bank_file_sent("2020-07", "--out", str(tmp_path / "july.csv"))  # July: 已报盘
    assert jingzhun("run-month", "2020-08").exit_code == 0  # August: 待发
    actor = Actor.for_user(User.objects.get(username="alice"))
    seen = set()
    for status in ("pending", "sent", "paid", "returned"):
        for region in ("", county["v11"].code):
            query = {"from": "2020-05", "to": "2020-09", "status": status, "region": region}
            f = ledger_lines.read_filter(actor, query, JUNE)
            lines, _ = ledger_lines.filtered_lines(actor, f)
            expected = list(lines.order_by("-month", "id").values_list("pk", flat=True))  # the old walk
            listed: list[int] = []
            while True:
                page = ledger_lines.page(actor, f, limit=2)
                listed += [row.line.pk for row in page.rows]
                assert all(row.status == ledger_lines.BANK_STATUS_NAMES[status] for row in page.rows)
                if page.next_after is None:
                    break
                f = ledger_lines.read_filter(actor, {**query, "after": page.next_after}, JUNE)
            assert listed == expected, query
            seen |= {(status, region)} if expected else set()
    # every status but 退回 is found, in the county and in the village
    assert {s for s, _ in seen} == {"pending", "sent", "paid"} and {r for _, r in seen} == {"", county["v11"].code}
