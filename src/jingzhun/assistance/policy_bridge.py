"""What the assistance app asks of the policy package: parameters and recomputed entitlements.

The rules live in ``jingzhun.policy`` (pure); this module only feeds it the registry's frames and reads
its answers back as integer fen per household and program.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl

from jingzhun.core.scope import county_of
from jingzhun.policy.money import round_fen
from jingzhun.policy.params import load_parameters
from jingzhun.policy.vocabulary import PROGRAM_FAMILIES

# The families a household holds month after month (在册), as opposed to the one-off and yearly ones
# approved per application or per list.
ROLL_FAMILIES: tuple[str, ...] = ("dibao", "tekun", "disability_care")


def emergency_terms(region_code: str, at: dt.date) -> tuple[int, int]:
    """(cap in fen, working days to review) for a 先行救助 in this region on this date (POLICY §5)."""
    tree = load_parameters()
    county = county_of(region_code)
    cap = tree.resolve("temporary_assistance.cap_emergency", county, at).value
    days = tree.resolve("temporary_assistance.review_working_days", county, at).value
    return round_fen(cap), int(days)  # type: ignore[arg-type]


def qualifying_programs(family: str) -> tuple[str, ...]:
    """Programs whose non-zero line shows the household qualifies for ``family``: those paid under that
    family alone (价格临时补贴 follows 低保 or 特困 and proves neither)."""
    return tuple(p for p, fams in PROGRAM_FAMILIES.items() if fams == (family,))


def entitlements(month: str, region_prefix: str) -> tuple[dict[str, dict[str, int]], list[str]]:
    """({household_no: {program: fen}}, household_nos the engine could not compute) for every active
    household under ``region_prefix`` in ``month``, from the batch engine (zero lines left out)."""
    from jingzhun.policy.engine_batch import compute_batch_with_errors
    from jingzhun.registry.documents import household_frames

    households, persons = household_frames(month, region_prefix)
    if households.is_empty():
        return {}, []
    result = compute_batch_with_errors(households, persons, month)
    totals = result.lines.group_by("household_id", "program").agg(pl.col("amount_fen").sum())
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for household_id, program, fen in totals.iter_rows():
        out[household_id][program] = int(fen)
    return dict(out), sorted(result.errors["household_id"].unique().to_list())


def household_entitlement(household_pk: int, month: str) -> tuple[dict[str, int], list[str]]:
    """({program: fen}, errors) for one household through the reference engine (the single-household
    path, the one ``jingzhun entitle`` explains); errors are the engine's "无参数…" messages."""
    from jingzhun.policy.engine import compute_document
    from jingzhun.registry.documents import household_document

    document = household_document(month, household_ids=[household_pk])
    if not document["households"]:
        return {}, []
    [result] = compute_document(document, month).households
    lines: dict[str, int] = defaultdict(int)
    for line in result.lines:
        lines[line.program] += line.amount_fen
    return dict(lines), list(result.errors)


def family_summary(lines: dict[str, int], family: str) -> dict[str, int]:
    """The program lines paid under ``family`` (including shared ones such as 价格临时补贴)."""
    return {p: fen for p, fen in sorted(lines.items()) if family in PROGRAM_FAMILIES.get(p, ())}


def qualifies(lines: dict[str, int], family: str) -> bool:
    return any(lines.get(p, 0) > 0 for p in qualifying_programs(family))
