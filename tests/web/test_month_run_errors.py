"""The month-run preview names uncomputable households' missing parameters in Chinese and says how many it lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import make_household

pytestmark = pytest.mark.django_db


def urban(regions: dict[str, Any], count: int) -> None:
    """``count`` urban households of 信义村: 离石区 has no urban 低保 standard in force on 2020-07-01."""
    for index in range(count):
        make_household(regions["v11"], f"14110200100190{index:02d}", f"城镇户{index}", area="urban")


def preview(client: Any, month: str = "2020-07") -> str:
    response = client.post("/runs/", {"month": month, "action": "preview"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_missing_parameters_are_named_in_chinese(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 2)
    page = preview(login("alice"))
    assert "2 户无法计算" in page
    assert "户 1411020010019000：缺少参数：城市低保标准（每人每年）（离石区 141102，2020-07-01 起）" in page
    assert "无参数" not in page and "dibao.standard" not in page
    assert "仅显示前" not in page  # all of them are listed


def test_only_the_first_20_are_listed_and_the_page_says_so(login: Any, world: Any, regions: dict[str, Any]) -> None:
    urban(regions, 23)
    page = preview(login("alice"))
    assert "23 户无法计算" in page and "仅显示前 20 户，共 23 户" in page
    assert page.count("<li>户 1411020010019") == 20


def test_the_full_list_downloads_as_csv_for_the_jobs_owner_only(
    login: Any, world: Any, regions: dict[str, Any]
) -> None:
    from jingzhun.dashboard.models import BackgroundJob

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
    from jingzhun.dashboard.models import BackgroundJob

    client = login("alice")
    assert "errors.csv" not in preview(client, "2020-06")
    assert client.get(f"/runs/jobs/{BackgroundJob.objects.get().pk}/errors.csv").status_code == 404


def test_an_owner_moved_to_another_county_no_longer_reads_the_job(
    login: Any, world: Any, regions: dict[str, Any], personas: dict[str, Any]
) -> None:
    from jingzhun.dashboard.models import BackgroundJob

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
