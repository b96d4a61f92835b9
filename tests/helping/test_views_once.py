"""帮扶记录 form posted more than once (reviewer L1): one record per rendered form.

Three concurrent posts of the same form used to write three identical records. Each rendering now carries
a one-time token (a hidden field); a second post of it writes nothing and shows the record already saved.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.helping import actions as helprecords
from jingzhun.helping.models import HelpRecord

pytestmark = pytest.mark.django_db

GOOD = {
    "date": "2020-05-04",
    "kind": "employment",
    "content": "联系乡林业站，为户主安排护林员公益岗位",
    "value": "800",
    "public": "on",
    "public_text": "安排护林员公益岗位",
}


def url(household: Any) -> str:
    return f"/assistance/households/{household.household_no}/help/new/"


def token_of(html: str) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]{32})"', html)
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_the_same_form_posted_twice_writes_one_record(world: dict[str, Any], login: Any) -> None:
    client = login("carl")
    token = token_of(client.get(url(world["own"])).content.decode())
    audits = AuditEvent.objects.count()
    first = client.post(url(world["own"]), {**GOOD, "form_token": token})
    again = client.post(url(world["own"]), {**GOOD, "form_token": token}, follow=True)
    assert first.status_code == 302
    assert again.redirect_chain[0][0] == f"/households/{world['own'].pk}/#help"
    assert (
        "该表单已经提交过，帮扶记录已保存（2020-05-04 就业帮扶，折合 800.00 元），没有重复录入"
        in again.content.decode()
    )
    assert HelpRecord.objects.filter(household=world["own"]).count() == 1
    assert AuditEvent.objects.count() == audits + 1


def test_each_rendering_has_its_own_token_and_a_new_form_writes_a_new_record(world: dict[str, Any], login: Any) -> None:
    client = login("carl")
    tokens = [token_of(client.get(url(world["own"])).content.decode()) for _ in range(2)]
    assert tokens[0] != tokens[1]
    # the second record of the same kind on the same day is asked about first (issue 15): the cadre confirms
    second = {**GOOD, "form_token": tokens[1]}
    assert client.post(url(world["own"]), {**GOOD, "form_token": tokens[0]}).status_code == 302
    assert client.post(url(world["own"]), second).status_code == 200
    assert client.post(url(world["own"]), {**second, "confirm_duplicate": "on"}).status_code == 302
    assert HelpRecord.objects.filter(household=world["own"]).count() == 2


def test_a_refused_post_keeps_its_token_so_the_corrected_form_still_writes_once(
    world: dict[str, Any], login: Any
) -> None:
    client = login("carl")
    token = token_of(client.get(url(world["own"])).content.decode())
    page = client.post(url(world["own"]), {**GOOD, "content": "", "form_token": token})
    assert page.status_code == 200 and token_of(page.content.decode()) == token
    for _ in range(2):
        assert client.post(url(world["own"]), {**GOOD, "form_token": token}).status_code == 302
    assert HelpRecord.objects.filter(household=world["own"]).count() == 1


def test_the_submit_button_is_disabled_once_the_form_is_sent(world: dict[str, Any], login: Any) -> None:
    from django.contrib.staticfiles import finders

    html = login("carl").get(url(world["own"])).content.decode()
    assert 'id="help-form"' in html and "data-submit-once" in html and "jingzhun/app.js" in html
    script = Path(str(finders.find("jingzhun/app.js"))).read_text(encoding="utf-8")  # the CSP allows no inline script
    assert "form[data-submit-once]" in script and "button.disabled = true" in script


def test_a_token_used_for_another_household_is_refused(
    world: dict[str, Any], personas: dict[str, Any], login: Any
) -> None:
    client = login("victor")
    token = token_of(client.get(url(world["own"])).content.decode())
    assert client.post(url(world["own"]), {**GOOD, "form_token": token}).status_code == 302
    page = client.post(url(world["own_other"]), {**GOOD, "form_token": token})
    assert page.status_code == 200 and "该表单已用于其他户，请重新打开页面再录入" in page.content.decode()
    assert not HelpRecord.objects.filter(household=world["own_other"]).exists()


def test_a_post_that_races_past_the_lookup_still_writes_once(
    world: dict[str, Any], personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests that both looked before either wrote: the token's unique column lets one write."""
    carl, token = Actor.for_user(personas["carl"]), helprecords.new_form_token()
    fields = {"date": dt.date(2020, 5, 4), "kind": "industry", "content": "发放核桃苗"}
    first, created = helprecords.add_help_record_once(carl, world["own"], token, **fields)
    assert created
    looked = []
    real = helprecords._saved_from

    def late(form_token: str, household: Any) -> Any:
        looked.append(form_token)
        return None if len(looked) == 1 else real(form_token, household)  # the first look saw nothing yet

    monkeypatch.setattr(helprecords, "_saved_from", late)
    audits = AuditEvent.objects.count()
    again, created = helprecords.add_help_record_once(carl, world["own"], token, **fields)
    assert (again.pk, created) == (first.pk, False)
    assert HelpRecord.objects.count() == 1 and AuditEvent.objects.count() == audits
