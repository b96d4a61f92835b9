"""Masking for the public pages (脱敏): what a passer-by who scans a door label may see."""

from __future__ import annotations

from jingzhun.core.masking import mask_name  # shared with the printed 公示 notices (monitoring/exit)

__all__ = ["mask_name"]
