"""The month-run preview groups uncomputable households by cause, in Chinese (缺少某参数：N 户，其中在册 M 户).

The shipped parameters have an urban 低保 standard from 2016 (POLICY.md §3, amended): in July 2015 离石区's
urban households have none (the rural ones have 离石区's own 2015 standard)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.staff import make_household

pytestmark = pytest.mark.django_db


MONTH = "2015-07"


def urban(regions: dict[str, Any], count: int, enrolled: int = 0) -> None:
    """``count`` urban households of 信义村 (the first ``enrolled`` of them in the 低保 roll): 离石区 has
    no urban 低保 standard in force on 2015-07-01."""
    from django.utils import timezone

    from jingzhun.assistance.models import Enrollment

    for index in range(count):
        household = make_household(regions["v11"], f"14110200100190{index:02d}", f"城镇户{index}", area="urban")
        if index < enrolled:
            Enrollment.objects.create(
                household=household,
                family="dibao",
                start_month=dt.date(2015, 1, 1),
                source="initial_roll",
                next_review_due=dt.date(2030, 1, 1),
                last_decided_at=timezone.now(),
            )


def preview(client: Any, month: str = MONTH) -> str:
    response = client.post("/runs/", {"month": month, "action": "preview"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_missing_parameters_are_named_in_chinese(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 2)
    page = preview(login("alice"))
    assert "2 户无法计算" in page
    assert "缺少参数：城市低保标准（每人每年）（离石区 141102，2015-07-01 起）：2 户，其中在册 0 户" in page
    assert "无参数" not in page and "dibao.standard" not in page


def test_errors_are_grouped_by_cause_not_listed_one_by_one(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 23, enrolled=5)
    page = preview(login("alice"))
    assert "23 户无法计算" in page
    assert "缺少参数：城市低保标准（每人每年）（离石区 141102，2015-07-01 起）：23 户，其中在册 5 户" in page
    assert "<li>户 1411020010019" not in page and "仅显示前" not in page


def test_the_full_list_downloads_as_csv_for_the_jobs_owner_only(
    login: Any, world: Any, regions: dict[str, Any]
) -> None:
    from jingzhun.core.models import BackgroundJob

    urban(regions, 23)
    client = login("alice")
    page = preview(client)
    job = BackgroundJob.objects.get()
    assert f"/runs/jobs/{job.pk}/errors.csv" in page and "下载全部 23 户清单" in page
    response = client.get(f"/runs/jobs/{job.pk}/errors.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = [line for line in text.splitlines() if line.startswith("14110200100190")]
    assert len(rows) == 23
    assert rows[0].startswith("1411020010019000,信义村,缺少参数：城市低保标准（每人每年）")
    assert "无参数" not in text
    assert login("zoe").get(f"/runs/jobs/{job.pk}/errors.csv").status_code == 404  # another county's officer
    assert login("audrey").get(f"/runs/jobs/{job.pk}/errors.csv").status_code == 403


def test_no_download_when_every_household_computes(login: Any, world: Any) -> None:
    from jingzhun.core.models import BackgroundJob

    client = login("alice")
    assert "errors.csv" not in preview(client, "2020-06")
    assert client.get(f"/runs/jobs/{BackgroundJob.objects.get().pk}/errors.csv").status_code == 404


def test_an_owner_moved_to_another_county_no_longer_reads_the_job(
    login: Any, world: Any, regions: dict[str, Any], personas: dict[str, Any]
) -> None:
    from jingzhun.core.models import BackgroundJob

    urban(regions, 2)
    client = login("alice")
    preview(client)
    job = BackgroundJob.objects.get()
    assert client.get(f"/runs/jobs/{job.pk}/").status_code == 200
    staff = personas["alice"].staff
    staff.region = type(staff.region).objects.get(code="141130")  # moved to 交口县
    staff.save()
    assert client.get(f"/runs/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/runs/jobs/{job.pk}/errors.csv").status_code == 404
