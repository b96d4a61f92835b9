"""A printable 公示 sheet (``jingzhun/notice_print.html``): what every app's 公示 page hands the shared template.

Names are masked by the caller (``core.masking.mask_name``); the 发布单位 and 监督举报电话 are the county's
(``registry.public_contact.contact_of``, read by the caller: core imports no app).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    label: str
    money: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    money: bool = False


def countdown(end: dt.date, today: dt.date) -> str:
    """ "公示期至 12-12（还剩 3 天）" while the notice runs (its last day included), "公示期已满（12-12）" after."""
    if today > end:
        return f"公示期已满（{end:%m-%d}），可结束公示"
    left = (end - today).days + 1
    return f"公示期至 {end:%m-%d}（还剩 {left} 天，{end + dt.timedelta(days=1):%m-%d} 起可结束公示）"


@dataclass
class NoticeSheet:
    title: str
    intro: str
    start: dt.date
    end: dt.date
    signer: str
    office: str
    phone: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    place: str = ""
    countdown: str = ""
