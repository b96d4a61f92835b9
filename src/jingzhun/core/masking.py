"""Masking of names (脱敏) wherever the public may read them: the 一码清 pages and printed 公示 notices."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧*明: first and last character around one ``*``.

    One star whatever the length, so the mask does not tell how long the name is.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}*{name[-1]}"
