"""The CSV of households a month could not compute: a village named like a formula stays text (issue #11)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from tests.staff import make_household

pytestmark = pytest.mark.django_db
LINK = '=HYPERLINK("http://x","点我")'


def test_a_formula_named_village_gets_a_quote_in_the_errors_csv(personas: Any, regions: Any) -> None:
    from jingzhun.core.models import BackgroundJob, JobKind, JobStatus
    from jingzhun.registry.models import Region

    Region.objects.filter(pk=regions["v11"].pk).update(name=LINK)
    urban = make_household(regions["v11"], "URBAN1", "城镇户主", area="urban", families=("dibao",))
    job = BackgroundJob.objects.create(
        kind=JobKind.MONTH_PREVIEW,
        owner=personas["alice"],
        region_prefix="141102",
        params={"month": "2015-06"},  # urban 低保 has no value before 2016: an error row
    )
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result={"changes": {"error_households": 1}})
    client = Client()
    client.force_login(personas["alice"])
    response = client.get(f"/runs/jobs/{job.pk}/errors.csv")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in table if r and r[0] == urban.household_no)
    assert row[1] == "'" + LINK
    assert not [c for r in table for c in r if c[:1] in ("=", "+", "-", "@")]
