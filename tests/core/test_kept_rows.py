"""Who may do what is audited, and what is written stays written (audit rows, background-job records)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.forms import MultiWidget
from django.test import Client

from jingzhun.core.actions import Actor, record_audit
from jingzhun.core.models import AuditEvent, Role, StaffProfile
from jingzhun.registry.models import Region

pytestmark = pytest.mark.django_db


def _admin_form_data(client: Client, url: str) -> dict[str, Any]:
    """The admin change form's current values, as the browser would post them back."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def test_an_admin_role_change_is_audited_with_before_and_after(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["root"])
    profile = StaffProfile.objects.get(user=personas["tom"])
    url = f"/admin/core/staffprofile/{profile.pk}/change/"
    data = _admin_form_data(client, url)
    county = Region.objects.get(code="141102")
    response = client.post(url, {**data, "role": Role.COUNTY_OFFICER, "region": str(county.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditEvent.objects.get(action="core.admin_staff_role")
    assert row.actor_label == "root" and row.object_id == str(profile.pk) and row.region_code == "141102"
    assert row.before == {"role": "township_officer", "region_id": Region.objects.get(code="141102001000").pk}
    assert row.after == {"role": "county_officer", "region_id": county.pk}


def test_saving_a_staff_member_unchanged_writes_no_audit_row(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["root"])
    url = f"/admin/core/staffprofile/{StaffProfile.objects.get(user=personas['tom']).pk}/change/"
    assert client.post(url, {**_admin_form_data(client, url), "phone": "13800000000"}).status_code == 302
    assert not AuditEvent.objects.filter(action="core.admin_staff_role").exists()


def test_making_a_user_superuser_in_the_admin_is_audited(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["root"])
    victor = personas["victor"]
    url = f"/admin/auth/user/{victor.pk}/change/"
    data = _admin_form_data(client, url)
    response = client.post(url, {**data, "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditEvent.objects.get(action="core.admin_user_flags")
    assert row.object_type == "auth.User" and row.object_id == str(victor.pk) and row.actor_label == "root"
    assert row.before == {"is_superuser": False, "is_staff": False, "is_active": True}
    assert row.after == {"is_superuser": True, "is_staff": True, "is_active": True}
    assert User.objects.get(pk=victor.pk).is_superuser


def test_deactivating_an_account_in_the_admin_is_audited(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["root"])
    url = f"/admin/auth/user/{personas['carl'].pk}/change/"
    data = _admin_form_data(client, url)
    data.pop("is_active", None)
    assert client.post(url, data).status_code == 302
    assert AuditEvent.objects.get(action="core.admin_user_flags").after["is_active"] is False


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_audit_rows_cannot_be_updated_or_deleted_even_in_sql() -> None:
    row = record_audit(Actor.system("test"), "test.write", object_type="x", object_id=1)
    assert _refused("UPDATE core_auditevent SET action = %s WHERE id = %s", ["test.forged", row.pk])
    assert _refused("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).action == "test.write"


def test_background_jobs_cannot_be_deleted_but_their_progress_moves(personas: dict[str, Any]) -> None:
    from jingzhun.core.models import BackgroundJob

    job = BackgroundJob.objects.create(kind="import", owner=personas["alice"])
    BackgroundJob.objects.filter(pk=job.pk).update(done=5, total=10, stage="校验")
    job.refresh_from_db()
    assert (job.done, job.stage) == (5, "校验")
    assert _refused("DELETE FROM dashboard_backgroundjob WHERE id = %s", [job.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        job.delete()
    assert BackgroundJob.objects.filter(pk=job.pk).exists()
