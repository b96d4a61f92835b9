"""冲正: a reversal negates one line, is audited, is never itself reversed, and later runs respect it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.ledger.actions import reverse_payment
from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.queries import month_totals
from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


@pytest.fixture
def paid(county: dict[str, Any], system: Any) -> PaymentLine:
    run_month("2020-06", actor=system)
    return PaymentLine.objects.filter(program="dibao").order_by("id").first()


def test_a_line_and_its_reversal_net_to_zero(paid: PaymentLine, system: Any) -> None:
    before = month_totals(JUNE)
    reversal = reverse_payment(system, paid.pk, "重复发放")
    assert reversal.amount_fen == -paid.amount_fen == -40442
    assert (reversal.kind, reversal.reverses_id, reversal.reason) == ("reversal", paid.pk, "重复发放")
    after = month_totals(JUNE)
    assert after.amount_fen == before.amount_fen - paid.amount_fen
    assert after.by_program["dibao"] == before.by_program["dibao"] - 40442
    assert after.lines == before.lines + 1


def test_reversal_writes_one_audit_row_with_the_reason(paid: PaymentLine, system: Any) -> None:
    reversal = reverse_payment(system, paid.pk, "户主已死亡，误发")
    audit = AuditEvent.objects.get(action="reverse_payment")
    assert (audit.object_id, audit.reason) == (str(reversal.pk), "户主已死亡，误发")
    assert audit.before == {"line": paid.pk, "amount": "404.42"}


def test_reversing_a_reversal_is_refused(paid: PaymentLine, system: Any) -> None:
    reversal = reverse_payment(system, paid.pk, "误发")
    with pytest.raises(ValidationError, match="本身是冲正记录"):
        reverse_payment(system, reversal.pk, "撤销冲正")


def test_a_line_is_reversed_only_once(paid: PaymentLine, system: Any) -> None:
    reverse_payment(system, paid.pk, "误发")
    with pytest.raises(ValidationError, match=r"已于 .* 冲正"):
        reverse_payment(system, paid.pk, "再次冲正")


def test_a_reversal_needs_a_reason(paid: PaymentLine, system: Any) -> None:
    with pytest.raises(ValidationError, match="冲正原因"):
        reverse_payment(system, paid.pk, "  ")
    assert not PaymentLine.objects.filter(kind="reversal").exists()


def test_a_rerun_does_not_pay_again_what_staff_reversed(paid: PaymentLine, system: Any) -> None:
    reverse_payment(system, paid.pk, "误发")
    again = run_month("2020-06", actor=system)
    assert again.kind == "noop"
    assert again.changes["pinned"] == 1
    assert month_totals(JUNE).by_program["dibao"] == 3 * 40442


def test_an_officer_of_another_county_may_not_reverse(paid: PaymentLine, personas: dict[str, Any]) -> None:
    zoe = Actor.for_user(personas["zoe"])  # 交口县
    with pytest.raises(PermissionDenied, match="无权"):
        reverse_payment(zoe, paid.pk, "误发")


def test_reverse_command_appends_the_reversal_and_refuses_a_second(paid: PaymentLine) -> None:
    from tests.ledger.cli import jingzhun

    result = jingzhun("ledger", "reverse", str(paid.pk), "--reason", "重复发放")
    assert result.exit_code == 0 and "-404.42" in result.stdout
    again = jingzhun("ledger", "reverse", str(paid.pk), "--reason", "重复发放")
    assert again.exit_code == 1 and "已于" in again.stderr
    assert PaymentLine.objects.filter(kind="reversal").count() == 1


def test_a_village_cadre_may_not_reverse_even_in_own_village(paid: PaymentLine, personas: dict[str, Any]) -> None:
    victor = Actor.for_user(personas["victor"])  # 信义村, where the line's household lives
    with pytest.raises(PermissionDenied, match="不能进行「冲正」"):
        reverse_payment(victor, paid.pk, "误发")


def test_a_reversal_is_refused_while_its_month_is_running(county: dict[str, Any], system: Any) -> None:
    from jingzhun.ledger.locks import RunInProgress
    from tests.ledger.test_run_month_concurrency import month_held_elsewhere

    # A line written without a run: a run in this test's transaction would itself hold June's lock.
    line = PaymentLine.objects.create(
        household=county["households"][0], program="dibao", month=JUNE, amount_fen=100, kind="payment", actor_label="t"
    )
    with month_held_elsewhere(JUNE), pytest.raises(RunInProgress):
        reverse_payment(system, line.pk, "误发")
    assert not PaymentLine.objects.filter(kind="reversal").exists()
