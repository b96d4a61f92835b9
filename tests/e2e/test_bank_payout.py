"""Issue #15: a county officer pays a month through the bank in the browser — 生成代发文件, download one file
per bank, 确认已报盘, upload the bank's 回盘 — on the month run's page."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_county_officer_generates_confirms_and_reconciles_the_bank_file(
    live_server: Any, page: Any, screenshot: Any, world: Any, tmp_path: Path
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.models import PaymentStatusEvent
    from jingzhun.ledger.runs import run_month
    from jingzhun.registry.models import Household

    for n, home in enumerate(Household.objects.filter(village__code__startswith="141102").order_by("pk"), start=1):
        home.bank_name, home.bank_account = "山西省农村信用社", f"62300000{n:08d}"  # test data: accounts on file
        home.save(update_fields=["bank_name", "bank_account"])
    result = run_month("2020-06", region_prefix="141102", actor=Actor.system("test"))
    browser_login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/runs/{result.run_id}/")
    page.get_by_role("button", name="生成代发文件").click()
    page.wait_for_selector("text=生成文件本身不改变发放状态")
    assert not PaymentStatusEvent.objects.exists()
    screenshot("generated")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载代发文件").click()
    saved = tmp_path / "bank.zip"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert files and all(name.startswith("代发-") and name.endswith(".csv") for name in files)
    rows = []
    for name, data in files.items():
        text = data.decode("gbk" if "信用社" in name or "农业银行" in name else "utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        header = table[0]
        ref, amount = (
            header.index(next(h for h in header if "参考号" in h or h in ("附言", "备注"))),
            next(i for i, h in enumerate(header) if h.startswith("金额")),
        )
        rows += [(r[ref], r[amount]) for r in table[1:] if r[0] != "合计"]
    assert rows

    page.get_by_role("button", name="确认已报盘").click()
    page.wait_for_selector("text=已确认报盘：代发文件")
    assert PaymentStatusEvent.objects.filter(status="sent").exists()
    answer = tmp_path / "回盘成功.csv"
    answer.write_text("参考号,金额（元）\n" + "".join(f"{r},{a}\n" for r, a in rows), encoding="utf-8")
    page.set_input_files("#bank-results-file", str(answer))
    page.get_by_role("button", name="上传回盘").click()
    page.wait_for_selector("text=已确认到账")
    screenshot("reconciled")
    assert (
        PaymentStatusEvent.objects.filter(status="paid").count()
        == PaymentStatusEvent.objects.filter(status="sent").count()
    )
