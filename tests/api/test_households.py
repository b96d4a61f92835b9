"""The households API: session auth, region scope, masked ID numbers, explanations, valid OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_unauthenticated_requests_get_401(client: Any, world: Any) -> None:
    assert client.get("/api/households").status_code == 401
    assert client.get(f"/api/households/{world['own'].pk}").status_code == 401
    assert client.get(f"/api/households/{world['own'].pk}/entitlements?month=2020-06").status_code == 401


def test_a_login_without_a_role_gets_403(client: Any, world: Any) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("nobody", password="pw-12345678")
    client.login(username="nobody", password="pw-12345678")
    response = client.get("/api/households")
    assert response.status_code == 403 and "没有分配角色" in response.json()["detail"]


def test_the_list_is_scoped_and_paged(login: Any, world: Any) -> None:
    body = login("tom").get("/api/households?limit=2").json()
    assert body["count"] == 3  # 信义镇: 信义村 ×2 and 歧道村
    assert [h["household_no"] for h in body["items"]] == ["1411020010010001", "1411020010010002"]
    assert body["next"] == "1411020010010002" and body["previous"] is None
    rest = login("tom").get(f"/api/households?limit=2&after={body['next']}").json()
    assert [h["household_no"] for h in rest["items"]] == ["1411020010020001"] and rest["next"] is None


def test_the_list_masks_id_numbers(login: Any, world: Any) -> None:
    number = world["own"].persons.get(relation="head").id_number
    item = login("alice").get("/api/households?q=刘保平").json()["items"][0]
    assert item["head_id_number"] == f"{number[:4]}**********{number[-4:]}"
    assert item["head_name"] == "刘保平" and item["families"] == ["最低生活保障（低保）"]
    assert item["village"] == {"code": "141102001001", "name": "信义村"}


def test_the_detail_masks_id_numbers_even_for_county_officers(login: Any, world: Any) -> None:
    body = login("alice").get(f"/api/households/{world['own'].pk}").json()
    numbers = {p.id_number for p in world["own"].persons.all()}
    assert {m["id_number"] for m in body["members"]}.isdisjoint(numbers)
    assert all("**********" in m["id_number"] for m in body["members"])
    assert body["enrollments"][0]["family"] == "dibao"


def test_another_regions_id_is_404_like_a_missing_one(login: Any, world: Any) -> None:
    client = login("victor")
    outside = client.get(f"/api/households/{world['other_county'].pk}")
    missing = client.get("/api/households/999999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert client.get(f"/api/households/{world['sibling_village'].pk}/entitlements?month=2020-06").status_code == 404


def test_entitlements_come_with_their_explanation(login: Any, world: Any) -> None:
    body = login("victor").get(f"/api/households/{world['own'].pk}/entitlements?month=2020-06").json()
    lines = {line["program"]: line for line in body["lines"]}
    assert lines["dibao"]["amount"] == "404.42" and lines["dibao"]["payable"] is True
    assert lines["tekun_basic"]["amount"] == "548.08" and lines["tekun_basic"]["payable"] is False
    assert body["total"] == "1012.50"  # 548.08 + 60.00 (care fee 720 / 12) + 404.42
    assert body["payable_total"] == "404.42"
    standard = next(p for p in lines["dibao"]["explain"]["parameters"] if p["name"] == "dibao.standard.rural")
    assert standard["value"] == "4853" and standard["since"] == "2020-01-01"
    assert any("农村低保标准（每人每年）" in p["label"] for p in lines["dibao"]["parameters"])


def test_a_bad_month_is_refused_in_chinese(login: Any, world: Any) -> None:
    response = login("victor").get(f"/api/households/{world['own'].pk}/entitlements?month=June")
    assert response.status_code == 422 and "YYYY-MM" in response.json()["detail"]  # the schema's pattern


def test_the_month_is_required(login: Any, world: Any) -> None:
    assert login("victor").get(f"/api/households/{world['own'].pk}/entitlements").status_code == 422


def test_openapi_document_is_valid_json_with_the_household_paths(login: Any, world: Any) -> None:
    doc = login("victor").get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/households", "/api/households/{household_id}", "/api/households/{household_id}/entitlements"} <= set(
        doc["paths"]
    )
    assert doc["paths"]["/api/households"]["get"]["security"]


def test_every_reference_in_the_openapi_document_resolves(login: Any, world: Any) -> None:
    doc = login("victor").get("/api/openapi.json").json()
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc["paths"])
    walk(doc.get("components", {}))
    schemas = doc["components"]["schemas"]
    assert refs and all(ref.startswith("#/components/schemas/") for ref in refs)
    assert {ref.rsplit("/", 1)[1] for ref in refs} <= set(schemas)
