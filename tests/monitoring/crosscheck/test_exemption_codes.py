"""POLICY.md §8's exemption column, list kind by list kind, written here by hand from the table: a 疑点 of
one list is cleared only with that list's exemptions (or "not the same person" / "the list is wrong", which
any list allows — the 隰县 case), never with another list's; death and prison lists have none of their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.monitoring.crosscheck.sources import COMMON_EXEMPTIONS, TASKS, exemptions_for

from .conftest import seed_suspects

OWN: dict[str, dict[str, tuple[str, ...]]] = {
    # list → {code: words its label must carry}
    "death": {},
    "vehicle": {"vehicle_under_30000": ("3 万",), "mobility_vehicle": ("残疾", "代步"), "farm_vehicle": ("农用",)},
    "business": {"relief_fund_shares": ("扶贫资金", "入股")},
    "civil_servant": {"after_registration": ("建档立卡后",)},
    "housing": {"relocation_housing": ("搬迁",)},
    "deposit": {"deposit_below_threshold": ("每户", "大额存款")},  # the amount: the dated parameter, below
    "pension": {"no_wage_income": ("工资",)},  # "not disqualifying": the hit is cleared, never confirmed away
    "prison": {},
}


@pytest.mark.parametrize("source", TASKS)
def test_each_list_offers_its_own_exemptions_then_the_common_ones(source: str) -> None:
    allowed = exemptions_for(source)
    assert list(allowed) == [*OWN[source], *COMMON_EXEMPTIONS]
    for code, words in OWN[source].items():
        for word in words:
            assert word in allowed[code], (source, code, word)
    others = {code for kind, codes in OWN.items() if kind != source for code in codes}
    assert not others & set(allowed)


@pytest.mark.django_db
def test_a_hit_cannot_be_cleared_with_another_lists_exemption(
    tmp_path: Path, world: dict[str, Any], personas: dict[str, Any]
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.actions import clear_suspect
    from jingzhun.monitoring.models.crosscheck import Suspect

    suspects = seed_suspects(tmp_path, world)
    victor = Actor.for_user(personas["victor"])
    death, vehicle = suspects["death_own"], suspects["vehicle_own"]
    for suspect, foreign in ((vehicle, "relocation_housing"), (death, "vehicle_under_30000"), (death, "farm_vehicle")):
        with pytest.raises(ValidationError, match="排除情形无效"):
            clear_suspect(victor, suspect, exemption=foreign, reason="核实")
        assert Suspect.objects.get(pk=suspect.pk).state == "open"
    clear_suspect(victor, death, exemption="not_same_person", reason="同名同姓，本人健在")
    assert Suspect.objects.get(pk=death.pk).state == "cleared"


def test_the_deposit_threshold_is_a_dated_default_parameter_shown_in_the_exemption() -> None:
    """POLICY.md §8: "threshold local [default 50 000 per household]" — a parameter a county may set, and the
    page says it is the default (§0: 默认值，请按本地文件核定)."""
    import datetime as dt

    from jingzhun.policy.params import load_parameters

    resolved = load_parameters().resolve("crosscheck.deposit_threshold", "141102", dt.date(2020, 6, 30))
    assert (resolved.value, resolved.default) == (50_000, True)
    label = exemptions_for("deposit", region="141102", at=dt.date(2020, 6, 30))["deposit_below_threshold"]
    assert label == "存款低于每户 5 万元（默认值，请按本地文件核定）"
