"""Issue #15: bank payout on the month-run page — 生成代发文件 (one file per 代发银行 in its layout, full ID
numbers only there, the download audited), 确认已报盘 as its own step, the bank's 回盘 uploaded."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from jingzhun.core.models import AuditEvent
from jingzhun.ledger.models import BankBatch, PaymentLine, PaymentStatusEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(county: dict[str, Any], system: Any) -> Any:
    from jingzhun.ledger.runs import run_month

    county["households"][0].__class__.objects.filter(pk=county["households"][0].pk).update(bank_name="中国农业银行")
    result = run_month("2020-06", region_prefix="141102", actor=system)
    return result


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _files(response: Any) -> dict[str, bytes]:
    with zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_generate_download_confirm_and_upload_the_banks_answer(
    run: Any, county: dict[str, Any], personas: dict[str, Any], tmp_path: Any
) -> None:
    alice = _client(personas["alice"])
    base = f"/runs/{run.run_id}/"
    assert "生成代发文件" in alice.get(base).content.decode()
    alice.post(base + "bank/generate/")
    batch = BankBatch.objects.get()
    assert not PaymentStatusEvent.objects.exists()  # generated: nothing is 已报盘 yet
    page = alice.get(base).content.decode()
    assert "已生成，未报盘" in page and "确认已报盘" in page

    files = _files(alice.get(f"{base}bank/{batch.pk}/download/"))
    assert sorted(files) == [
        f"代发-中国农业银行-2020-06-批次{batch.pk}.csv",
        f"代发-山西省农村信用社-2020-06-批次{batch.pk}.csv",
    ]
    xys = list(csv.reader(io.StringIO(files[f"代发-山西省农村信用社-2020-06-批次{batch.pk}.csv"].decode("gbk"))))
    assert xys[0] == ["账号", "户名", "金额", "证件号码", "用途", "业务参考号"] and xys[-1][0] == "合计"
    second = county["households"][1]
    head = second.persons.get()
    row = next(r for r in xys if r[1] == head.name)
    assert row[0] == second.bank_account and row[3] == head.id_number and row[5].startswith("JZ")  # full ID
    download = AuditEvent.objects.get(action="download_bank_file")
    assert download.actor == personas["alice"] and len(download.after["files"]) == 2

    alice.post(f"{base}bank/{batch.pk}/confirm/")
    lines = PaymentLine.objects.count()
    assert PaymentStatusEvent.objects.filter(status="sent", batch=batch).count() == lines
    assert "已报盘" in alice.get(base).content.decode()
    again = alice.post(f"{base}bank/{batch.pk}/confirm/", follow=True).content.decode()
    assert "已确认报盘，不能重复确认" in again

    references = [r[5] for r in xys[1:-1]]
    amounts = [r[2] for r in xys[1:-1]]
    answer = tmp_path / "回盘.csv"
    answer.write_text("参考号,金额（元）\n" + "".join(f"{r},{a}\n" for r, a in zip(references, amounts, strict=True)))
    with answer.open("rb") as handle:
        page = alice.post(base + "bank/results/", {"file": handle, "kind": "paid"}, follow=True).content.decode()
    assert "已确认到账" in page
    paid = PaymentStatusEvent.objects.filter(status="paid").values_list("line__household", flat=True)
    assert {*paid} == {h.pk for h in county["households"][1:]}


def test_a_bad_answer_file_writes_nothing_and_names_the_row(run: Any, personas: dict[str, Any], tmp_path: Any) -> None:
    alice = _client(personas["alice"])
    base = f"/runs/{run.run_id}/"
    alice.post(base + "bank/generate/")
    batch = BankBatch.objects.get()
    alice.post(f"{base}bank/{batch.pk}/confirm/")
    answer = tmp_path / "回盘.csv"
    answer.write_text("参考号,金额（元）\nJZ999999000001,1.00\n")
    with answer.open("rb") as handle:
        page = alice.post(base + "bank/results/", {"file": handle, "kind": "paid"}, follow=True).content.decode()
    assert "未写入任何记录" in page and "第 2 行" in page
    assert not PaymentStatusEvent.objects.filter(status="paid").exists()


def test_roles_and_regions(run: Any, personas: dict[str, Any]) -> None:
    base = f"/runs/{run.run_id}/"
    assert _client(personas["tom"]).post(base + "bank/generate/").status_code == 403  # township
    auditor = _client(personas["audrey"])
    page = auditor.get(base)
    assert page.status_code == 200 and "<h2>银行代发</h2>" in page.content.decode()
    assert "生成代发文件</button>" not in page.content.decode()
    assert auditor.post(base + "bank/generate/").status_code == 403
    assert _client(personas["zoe"]).post(base + "bank/generate/").status_code == 404  # another county
    _client(personas["alice"]).post(base + "bank/generate/")
    batch = BankBatch.objects.get()
    assert auditor.get(f"{base}bank/{batch.pk}/download/").status_code == 403  # full ID numbers: not for reading
    assert not AuditEvent.objects.filter(action="download_bank_file").exists()


def test_the_run_page_shows_no_input_hash(run: Any, personas: dict[str, Any]) -> None:
    from jingzhun.ledger.models import MonthRun

    digest = MonthRun.objects.get(pk=run.run_id).inputs_sha256
    page = _client(personas["alice"]).get(f"/runs/{run.run_id}/").content.decode()
    assert digest and digest not in page and "输入摘要" not in page
