"""The back office lists tokens without their values and reissues them through the audited action."""

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.public.actions import issue_token
from jingzhun.public.models import PublicToken

pytestmark = pytest.mark.django_db


def test_admin_lists_tokens_without_showing_their_values(client, personas, regions, make_household, system) -> None:
    token = issue_token(system, make_household(regions["v11"], ["张三明"]))
    client.force_login(personas["root"])
    text = client.get("/admin/public/publictoken/").content.decode()
    assert token.household.household_no in text and token.token not in text


def test_admin_reissue_revokes_the_old_label_and_audits_it(client, personas, regions, make_household, system) -> None:
    household = make_household(regions["v11"], ["张三明"])
    old = issue_token(system, household)
    client.force_login(personas["root"])
    response = client.post(
        "/admin/public/publictoken/", {"action": "reissue", "_selected_action": [old.pk]}, follow=True
    )
    assert "已重新生成 1 个二维码" in response.content.decode()
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert PublicToken.objects.get(household=household, revoked_at__isnull=True) == old.replaced_by
    assert AuditEvent.objects.get(action="public.reissue_token").actor_label == "root"
