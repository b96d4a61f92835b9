"""The API answers its errors in Chinese, naming the parameter with its key in brackets."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US"}


@pytest.fixture
def victor(personas: dict[str, object]) -> Client:
    client = Client(**ENGLISH)
    assert client.login(username="victor", password="pw-12345678")
    return client


def test_401_says_not_signed_in() -> None:
    response = Client(**ENGLISH).get("/api/households")
    assert response.status_code == 401 and response.json() == {"detail": "未登录或登录已过期，请先登录。"}


def test_404_says_not_found_in_chinese(victor: Client) -> None:
    response = victor.get("/api/households/999999")
    assert response.status_code == 404 and response.json() == {"detail": "未找到（不存在，或不在您的工作范围内）。"}


def test_a_malformed_parameter_is_named_in_chinese(victor: Client) -> None:
    response = victor.get("/api/households?limit=abc")
    body = response.json()
    assert response.status_code == 422
    assert body["detail"] == "参数有误：每页户数应为整数 [limit]。"
    assert body["errors"] == [
        {"field": "limit", "loc": ["query", "limit"], "type": "int_parsing", "msg": "每页户数应为整数 [limit]"}
    ]


def test_an_out_of_range_parameter_states_the_bound(victor: Client) -> None:
    assert victor.get("/api/households?limit=0").json()["errors"][0]["msg"] == "每页户数不能小于 1 [limit]"
    assert "每页户数不能大于" in victor.get("/api/households?limit=100000").json()["detail"]


def test_a_missing_parameter_is_named(victor: Client) -> None:
    response = victor.get("/api/households/1/entitlements")
    assert response.status_code == 422 and response.json()["detail"] == "参数有误：月份为必填项 [month]。"


def test_a_malformed_path_id_is_named(victor: Client) -> None:
    response = victor.get("/api/households/abc")
    assert response.status_code == 422 and "户ID应为整数 [household_id]" in response.json()["detail"]


def test_the_openapi_document_declares_the_422_body(victor: Client) -> None:
    doc = victor.get("/api/openapi.json").json()
    declared = doc["paths"]["/api/households"]["get"]["responses"]["422"]
    ref = declared["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(doc["components"]["schemas"][ref]["properties"]) == {"detail", "errors"}


def test_a_malformed_month_is_refused_with_its_format(victor: Client, personas: dict[str, object]) -> None:
    response = victor.get("/api/households/1/entitlements?month=2020-13")
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "月份格式不对，应为 YYYY-MM，例如 2020-06 [month]"


def test_the_schema_gives_the_month_its_format(victor: Client) -> None:
    operation = victor.get("/api/openapi.json").json()["paths"]["/api/households/{household_id}/entitlements"]["get"]
    month = next(p for p in operation["parameters"] if p["name"] == "month")
    assert month["schema"]["pattern"] == r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def test_the_schema_and_the_docs_need_a_login() -> None:
    anonymous = Client(**ENGLISH)
    schema = anonymous.get("/api/openapi.json")
    assert schema.status_code == 401 and schema.json() == {"detail": "未登录或登录已过期，请先登录。"}
    docs = anonymous.get("/api/docs")
    assert docs.status_code == 302 and docs["Location"] == "/login/?next=%2Fapi%2Fdocs"


def test_signed_in_staff_get_the_schema_and_the_docs(victor: Client) -> None:
    assert victor.get("/api/openapi.json").json()["info"]["title"] == "精准 jingzhun API"
    assert victor.get("/api/docs").status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "q=a&q=b%00", "%00=1"])
def test_a_nul_in_the_query_gets_a_json_400_in_chinese(victor: Client, query: str) -> None:
    response = victor.get(f"/api/households?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求中含有非法字符（NUL），已拒绝。"}
