"""The village counts the dashboards and the 工作台 read: an audited job that rebuilds only the villages an
audited write touched, everything after an unaudited bulk write, and `jingzhun dashboard refresh` as typed."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.dashboard import counts
from jingzhun.dashboard.models import VillageCounts

pytestmark = pytest.mark.django_db


def households(village: Any) -> int:
    return sum(VillageCounts.objects.filter(village=village).values_list("households", flat=True))


def refreshes() -> int:
    return AuditEvent.objects.filter(action=counts.ACTION).count()


def test_an_audited_visit_rebuilds_its_village_only(dash_world: Any, personas: dict[str, Any]) -> None:
    from jingzhun.core import workday
    from jingzhun.helping.actions import add_help_record
    from jingzhun.registry.models import Region

    alice = Actor.for_user(personas["alice"])
    first = counts.refresh(alice)
    assert first.full and first.villages == Region.objects.filter(level="village").count()
    assert first.months  # the ledger's months in the same job
    assert refreshes() == 1 and AuditEvent.objects.get(action=counts.ACTION).actor_label == alice.label
    assert not counts.refresh(alice).changed and not counts.refresh(alice).changed
    assert refreshes() == 1  # nothing changed: no audit row

    village = dash_world["own_other"].village
    today = workday.today()
    assert counts.day_counts([village.pk], today)[village.pk].visited == 0
    add_help_record(alice, dash_world["own_other"], date=today, kind="visit", content="入户走访，了解生产生活情况")
    again = counts.refresh(alice)
    assert (again.full, again.villages) == (False, 1)
    assert counts.day_counts([village.pk], today)[village.pk].visited == 1
    assert refreshes() == 2


def test_a_bulk_insert_without_audit_rebuilds_everything(dash_world: Any, regions: dict[str, Any]) -> None:
    from tests.staff import make_household

    counts.refresh()
    assert households(regions["v12"]) == 1
    make_household(regions["v12"], "1411020010020009", "王五")  # straight into the tables, no audit row
    done = counts.refresh()
    assert done.full and households(regions["v12"]) == 2


def test_the_command_as_typed(dash_world: Any) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["dashboard", "refresh"])
    assert result.exit_code == 0, result.stderr
    assert "已重建全部" in result.stdout and "2020-05、2020-06" in result.stdout
    result = runner.invoke(app, ["dashboard", "refresh"])
    assert result.exit_code == 0 and "已是最新" in result.stdout
    result = runner.invoke(app, ["dashboard", "refresh", "--all"])
    assert result.exit_code == 0 and "已重建全部" in result.stdout
    assert AuditEvent.objects.filter(action=counts.ACTION, actor_label__startswith="cli:").count() == 2


def test_a_new_ledger_line_rebuilds_its_month_not_the_villages(dash_world: Any) -> None:
    import datetime as dt

    from jingzhun.ledger.models import PaymentLine

    counts.refresh()
    PaymentLine.objects.create(
        household=dash_world["own"],
        program="dibao",
        month=dt.date(2020, 7, 1),
        amount_fen=1,
        kind="payment",
        actor_label="t",
    )
    done = counts.refresh()
    assert (done.months, done.villages, done.full) == ([dt.date(2020, 7, 1)], 0, False)


def test_past_days_are_pruned_but_month_ends_kept(dash_world: Any, regions: dict[str, Any]) -> None:
    import datetime as dt

    from jingzhun.dashboard.models import VillageDayCounts

    counts.refresh()
    ids = [regions["v11"].pk, regions["v12"].pk]
    for day in (dt.date(2020, 5, 31), dt.date(2020, 6, 3), dt.date(2020, 6, 20)):
        counts.day_counts(ids, day)
    kept = sorted(set(VillageDayCounts.objects.values_list("as_of", flat=True)))
    assert kept == [dt.date(2020, 5, 31), dt.date(2020, 6, 20)]  # 06-03 is over a week before 06-20
