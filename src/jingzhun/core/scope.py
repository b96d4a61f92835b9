"""Region codes and scopes.

Codes are hierarchical: GB/T 2260 six digits for province (``14`` + ``0000``), city (``1411`` + ``00``)
and county (``141102``); twelve digits for township (``141102`` + 3 digits + ``000``) and village
(``141102`` + 3 + 3). A region's *prefix* is the part of the code that every region below it shares,
so "may this actor see that household" is a string prefix test.
"""

from __future__ import annotations


def region_level(code: str) -> str:
    if len(code) == 12:
        return "village" if code[9:] != "000" else "township"
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"区域代码格式错误：{code}")
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def region_prefix(code: str) -> str:
    level = region_level(code)
    return {"province": code[:2], "city": code[:4], "county": code[:6], "township": code[:9]}.get(level, code)


def county_of(code: str) -> str:
    """The county code (six digits) of a county, township or village code."""
    return code[:6]
