import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import AuditEvent, Role, StaffProfile
from jingzhun.registry.models import Region

pytestmark = pytest.mark.django_db


def test_migrations_seed_lvliang_and_its_thirteen_counties() -> None:
    assert Region.objects.get(code="141100").name == "吕梁市"
    assert Region.objects.filter(level="county", parent__code="141100").count() == 13


def _officer(username: str, role: str, code: str) -> Actor:
    user = User.objects.create_user(username, password="x")
    StaffProfile.objects.create(user=user, role=role, region=Region.objects.get(code=code))
    return Actor.for_user(user)


def test_county_officer_may_act_in_own_county_not_in_another() -> None:
    alice = _officer("alice", Role.COUNTY_OFFICER, "141102")
    check_region(alice, "141102001002")
    with pytest.raises(PermissionDenied, match="无权"):
        check_region(alice, "141130001001")


def test_auditor_reads_but_never_writes() -> None:
    audrey = _officer("audrey", Role.AUDITOR, "141100")
    check_region(audrey, "141130001001", write=False)
    with pytest.raises(PermissionDenied, match="只读"):
        check_region(audrey, "141130001001")


def test_audit_row_records_actor_and_before_after() -> None:
    alice = _officer("alice", Role.COUNTY_OFFICER, "141102")
    record_audit(alice, "edit", object_type="Household", object_id=7, before={"a": 1}, after={"a": 2})
    row = AuditEvent.objects.get()
    assert (row.actor_label, row.object_id, row.before, row.after) == ("alice", "7", {"a": 1}, {"a": 2})
