"""The QR-token history stays: a token is only ever revoked and replaced, never changed back or deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from jingzhun.public.actions import issue_token, reissue_token, revoke_token
from jingzhun.public.models import PublicToken

pytestmark = pytest.mark.django_db


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_revoke_and_reissue_still_work(regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["张三明"])
    first = issue_token(system, household)
    second = reissue_token(system, household, reason="门牌丢失")
    first.refresh_from_db()
    assert first.revoked_at is not None and first.replaced_by == second
    revoke_token(system, second, reason="外传")
    second.refresh_from_db()
    assert second.revoked_at is not None


def test_a_revoked_token_cannot_be_revived_or_rewritten_or_deleted(regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["张三明"])
    old = issue_token(system, household)
    new = reissue_token(system, household, reason="门牌丢失")
    assert _refused("UPDATE public_publictoken SET revoked_at = NULL WHERE id = %s", [old.pk])
    assert _refused("UPDATE public_publictoken SET replaced_by_id = NULL WHERE id = %s", [old.pk])
    assert _refused("UPDATE public_publictoken SET token = %s WHERE id = %s", ["forged", new.pk])
    assert _refused("UPDATE public_publictoken SET household_id = NULL, level = 'village' WHERE id = %s", [new.pk])
    assert _refused("DELETE FROM public_publictoken WHERE id = %s", [new.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        PublicToken.objects.filter(pk=old.pk).delete()
    assert PublicToken.objects.filter(household=household).count() == 2
