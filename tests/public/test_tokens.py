"""Token actions: issue, revoke, reissue, bulk-issue; every write audited and region-checked."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.public.actions import ensure_tokens, issue_token, reissue_token, revoke_token
from jingzhun.public.models import PublicToken

pytestmark = pytest.mark.django_db


def test_issuing_twice_returns_the_same_active_token(regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["张三明"])
    first = issue_token(system, household)
    assert issue_token(system, household) == first
    assert PublicToken.objects.filter(household=household).count() == 1
    assert AuditEvent.objects.filter(action="public.issue_token").count() == 1


def test_a_token_is_192_random_bits_unrelated_to_ids_and_codes(regions, make_household, system) -> None:
    households = [make_household(regions["v11"], [f"张{i}明"]) for i in range(20)]
    tokens = [issue_token(system, h).token for h in households]
    for household, token in zip(households, tokens, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 bytes of secrets.token_urlsafe
        assert household.household_no not in token
    assert len(set(tokens)) == len(tokens)
    assert len(set(t[:8] for t in tokens)) == len(tokens)  # no shared prefix: not a counter


def test_only_townships_villages_and_households_get_tokens(regions, system) -> None:
    from jingzhun.registry.models import Region

    with pytest.raises(ValueError, match="一码清只为乡镇、村和户生成二维码"):
        issue_token(system, Region.objects.get(code="141102"))


def test_revoking_stamps_the_time_and_is_audited_with_the_reason(regions, make_household, system) -> None:
    token = issue_token(system, make_household(regions["v11"], ["张三明"]))
    revoked = revoke_token(system, token, reason="标签丢失")
    assert revoked.revoked_at is not None
    audit = AuditEvent.objects.get(action="public.revoke_token")
    assert (audit.object_id, audit.reason, audit.region_code) == (str(token.pk), "标签丢失", "141102001001")
    assert token.token not in str(audit.after)


def test_reissuing_revokes_the_old_token_and_links_it_to_the_new_one(regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["张三明"])
    old = issue_token(system, household)
    new = reissue_token(system, household, reason="门牌被拍照外传")
    old.refresh_from_db()
    assert new.token != old.token
    assert old.revoked_at is not None and old.replaced_by == new
    assert issue_token(system, household) == new


def test_a_village_cadre_cannot_issue_tokens_for_another_village(regions, personas, make_household) -> None:
    victor = Actor.for_user(personas["victor"])
    assert issue_token(victor, make_household(regions["v11"], ["张三明"]))
    with pytest.raises(PermissionDenied, match="无权"):
        issue_token(victor, make_household(regions["v12"], ["李四"]))
    with pytest.raises(PermissionDenied, match="无权"):
        ensure_tokens(victor, "141102001")


def test_an_auditor_cannot_revoke(regions, personas, make_household, system) -> None:
    token = issue_token(system, make_household(regions["v11"], ["张三明"]))
    with pytest.raises(PermissionDenied, match="只读"):
        revoke_token(Actor.for_user(personas["audrey"]), token)


def test_bulk_issue_covers_every_township_village_and_active_household_once(
    regions, make_household, system, django_assert_max_num_queries
) -> None:
    for i in range(30):
        make_household(regions["v11" if i % 2 else "v21"], [f"张{i}明"])
    closed = make_household(regions["v11"], ["李四"], active=False)
    issue_token(system, regions["v11"])
    with django_assert_max_num_queries(8):
        result = ensure_tokens(system, "141102")
    assert (result.townships, result.villages, result.households) == (2, 2, 30)
    assert not PublicToken.objects.filter(household=closed).exists()
    assert ensure_tokens(system, "141102").total == 0
    audit = AuditEvent.objects.get(action="public.ensure_tokens")
    assert audit.after == {"townships": 2, "villages": 2, "households": 30}
