"""Registry test helpers: villages, actors, template rows and files written the way cadres write them.

``row("H1")`` is a valid head-of-household row of the import template (a dict header → cell); keyword
arguments named by the Chinese header override cells, e.g. ``row("H1", 性别="女")``. ``member("H1", …)``
is a valid member row with the household cells left blank. ``write_xlsx``/``write_csv`` put rows in a file
under ``tmp_path``; the first row is spreadsheet row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from jingzhun.registry import columns as c
from jingzhun.registry.idnumber import make_id_number

VILLAGE = "141102001001"
OTHER_VILLAGE = "141102001002"
FAR_VILLAGE = "141130001001"  # 交口县: outside 离石区 officers' scope
_serial = itertools.count(1)


def id_for(birth: dt.date, sex: str = "M", region: str = "141102") -> str:
    return make_id_number(region, birth, next(_serial) % 500, sex)


def member(
    household_no: str, relation: str = "配偶", *, birth: dt.date = dt.date(1962, 7, 9), sex: str = "F", **cells: Any
) -> dict[str, Any]:
    person = {
        "户编号": household_no,
        "姓名": "李秀英",
        "身份证号": id_for(birth, sex),
        "与户主关系": relation,
        "性别": "男" if sex == "M" else "女",
        "出生日期": birth.isoformat(),
        "自理能力": "全自理",
        "劳动能力": "有劳动力",
        "在校情况": "非在校",
        "参加基本医保": "是",
        "有赡养能力的法定义务人": "否",
        "收入年度": "2019",
        "工资性收入": "1200.50",
        "转移性收入": "300",
    }
    return {**person, **cells}


def row(household_no: str, *, birth: dt.date = dt.date(1958, 3, 12), sex: str = "M", **cells: Any) -> dict[str, Any]:
    household = {
        "村代码": VILLAGE,
        "地址": "第一组 12 号",
        "城乡类别": "农村",
        "建档立卡年份": "2016",
        "户状态": "帮扶",
        "状态日期": "2016-05-01",
        "致贫原因": "因病、缺技术",
        "住房安全等级": "B",
        "住房面积": "86.5",
        "饮水安全": "是",
    }
    head = member(household_no, "户主", birth=birth, sex=sex, 姓名="张建国", 工资性收入="", 种养殖收入="3200")
    return {**head, **household, **cells}


def write_xlsx(path: Path, rows: Iterable[dict[str, Any]], headers: Iterable[str] = c.HEADERS) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    headers = list(headers)
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    book.save(path)
    return path


def write_csv(
    path: Path, rows: Iterable[dict[str, Any]], headers: Iterable[str] = c.HEADERS, encoding: str = "utf-8"
) -> Path:
    headers = list(headers)
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(headers)
        out.writerows([r.get(h, "") for h in headers] for r in rows)
    return path


@pytest.fixture
def villages(db: None) -> dict[str, Any]:
    """Townships and villages in 离石区 and one village in 交口县."""
    from jingzhun.registry.models import Region

    made = {}
    for county, town, villages_ in (
        ("141102", "141102001000", (VILLAGE, OTHER_VILLAGE)),
        ("141130", "141130001000", (FAR_VILLAGE,)),
    ):
        township = Region.objects.create(
            code=town, name=f"{town}镇", level="township", parent=Region.objects.get(code=county)
        )
        for code in villages_:
            made[code] = Region.objects.create(code=code, name=f"{code}村", level="village", parent=township)
    return made


def _persona(username: str, role: str, code: str) -> Any:
    from django.contrib.auth.models import User

    from jingzhun.core.actions import Actor
    from jingzhun.core.models import StaffProfile
    from jingzhun.registry.models import Region

    user = User.objects.create_user(username, password="x", is_staff=True)
    StaffProfile.objects.create(user=user, role=role, region=Region.objects.get(code=code))
    return Actor.for_user(user)


@pytest.fixture
def actors(villages: dict[str, Any]) -> dict[str, Any]:
    """alice: 离石区 county officer; victor: cadre of VILLAGE; bob: 交口县 officer; audrey: city auditor."""
    return {
        "alice": _persona("alice", "county_officer", "141102"),
        "victor": _persona("victor", "village_cadre", VILLAGE),
        "bob": _persona("bob", "county_officer", "141130"),
        "audrey": _persona("audrey", "auditor", "141100"),
    }


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    """A snapshot of every registry table's row count (and audit rows), to prove nothing was written."""
    from jingzhun.core.models import AuditEvent
    from jingzhun.registry.models import Household, HouseholdStatusEvent, IncomeRecord, Person, PersonEvent, Region

    def snapshot() -> dict[str, int]:
        models = (Region, Household, HouseholdStatusEvent, Person, PersonEvent, IncomeRecord, AuditEvent)
        return {m.__name__: m.objects.count() for m in models}

    return snapshot
