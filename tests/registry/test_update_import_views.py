"""The 年度更新导入 page: upload, read every difference, confirm (written, all or nothing) or cancel (nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household
from tests.registry.importfiles import clean_rows, person_row, write_xlsx

pytestmark = pytest.mark.django_db
URL = "/households/import/update/"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def update(regions: Any, tmp_path: Path) -> Path:
    """信义村 registered (郭春生 + 田桂花, 马玉兰); the update moves 郭春生's address, adds 新-01, leaves out 马玉兰."""
    registered = clean_rows()
    assert import_file(write_xlsx(tmp_path / "before.xlsx", registered), actor=Actor.system("t")).written
    rows = registered[:2]  # the same people (their ID numbers), without 马玉兰
    rows[0] = {**rows[0], "地址": "信义村三组8号"}
    return write_xlsx(tmp_path / "信义村2020年度更新.xlsx", [*rows, person_row("新-01", "孙有福")])


def post(client: Any, path: Path) -> str:
    with path.open("rb") as f:
        return str(client.post(URL, {"step": "preview", "file": f}).content.decode())


def test_the_preview_shows_every_difference_and_confirming_writes_it(login: Any, personas: Any, update: Path) -> None:
    victor = login("victor")
    assert "年度更新导入" in victor.get("/households/import/").content.decode()
    page = post(victor, update)
    assert "更新预览（尚未写入）" in page and "确认导入" in page
    assert "户 1411020010010101 [地址] 信义村二组5号 → 信义村三组8号" in page
    assert "新增户 新-01（户主 孙有福，1 人）" in page
    assert "户 1411020010010102（户主 马玉兰）文件中没有" in page
    assert "成员 郭春生" not in page and "新增成员" not in page  # the same people, matched by ID number
    assert Household.objects.get(household_no="1411020010010101").address == "信义村二组5号"
    done = victor.post(URL, {"step": "apply"}).content.decode()
    assert "更新导入成功" in done and "系统分配户编号：新-01 → 1411020010010103" in done
    assert Household.objects.get(household_no="1411020010010101").address == "信义村三组8号"
    assert Household.objects.get(household_no="1411020010010103").import_no == "新-01"
    assert AuditEvent.objects.filter(action="registry.update_import", actor_label="victor").count() == 1
    again = victor.post(URL, {"step": "apply"}).content.decode()  # the file is gone: nothing twice
    assert "没有待确认的更新文件" in again and Household.objects.filter(import_no="新-01").count() == 1


def test_cancel_writes_nothing_and_deletes_the_upload(login: Any, personas: Any, update: Path, tmp_path: Path) -> None:
    victor = login("victor")
    post(victor, update)
    assert list((tmp_path / "uploads").glob("update-*"))
    assert "已取消，未写入任何数据" in victor.post(URL, {"step": "cancel"}).content.decode()
    assert not list((tmp_path / "uploads").glob("update-*"))
    assert Household.objects.get(household_no="1411020010010101").address == "信义村二组5号"


def test_auditors_and_helping_cadres_may_not(login: Any, personas: Any) -> None:
    assert login("audrey").get(URL).status_code == 403
    assert login("carl").get(URL).status_code == 403
