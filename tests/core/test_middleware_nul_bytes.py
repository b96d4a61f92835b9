"""A NUL byte in a URL part or a search term is a clear 400 (or the public 404), never a database error."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/households/?q=%E5%88%98%00",
        "/ledger/household/1411020010010001%00/",
        "/assistance/households/1411020010010001%00/transition/",
        "/assistance/?q=%00",
    ],
)
def test_a_nul_byte_is_refused_in_chinese(login: Any, world: Any, path: str) -> None:
    response = login("alice").get(path)
    assert response.status_code == 400
    assert "非法字符" in response.content.decode()


def test_a_public_token_with_a_nul_byte_is_the_uniform_404(client: Any, db: Any) -> None:
    unknown = client.get("/q/" + "A" * 32 + "/")
    with_nul = client.get("/q/AAAA%00AAAAAAAAAAAAAAAAAAAAAAAAAAA/")
    assert with_nul.status_code == unknown.status_code == 404
    assert with_nul.content == unknown.content
