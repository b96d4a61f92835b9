"""Unknown, revoked and closed-household tokens all get the same 404, so scanning reveals nothing."""

import pytest

from jingzhun.public.actions import issue_token, reissue_token, revoke_token
from jingzhun.public.models import new_token


def _same(a, b) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)
    assert {k: v for k, v in a.items()} == {k: v for k, v in b.items()}


@pytest.fixture
def household(regions, make_household):
    return make_household(regions["v11"], ["张三明"])


def test_an_unknown_token_gets_a_chinese_404(client, db) -> None:
    response = client.get(f"/q/{new_token()}/")
    assert response.status_code == 404
    assert "未找到该二维码对应的信息" in response.content.decode()


def test_a_revoked_token_gets_exactly_the_unknown_tokens_404(client, household, system) -> None:
    token = issue_token(system, household)
    assert client.get(f"/q/{token.token}/").status_code == 200
    revoke_token(system, token)
    _same(client.get(f"/q/{token.token}/"), client.get(f"/q/{new_token()}/"))


def test_after_reissue_the_old_label_404s_and_the_new_one_shows_the_household(client, household, system) -> None:
    old = issue_token(system, household)
    new = reissue_token(system, household)
    _same(client.get(f"/q/{old.token}/"), client.get(f"/q/{new_token()}/"))
    assert "张*明" in client.get(f"/q/{new.token}/").content.decode()


def test_a_closed_households_token_gets_the_same_404(client, household, system) -> None:
    token = issue_token(system, household)
    household.active = False
    household.save()
    _same(client.get(f"/q/{token.token}/"), client.get(f"/q/{new_token()}/"))


def test_unknown_and_revoked_tokens_cost_the_same_single_query(
    client, household, system, django_assert_num_queries
) -> None:
    revoked = revoke_token(system, issue_token(system, household))
    for token in (revoked.token, new_token(), "x" * 300):
        with django_assert_num_queries(1):
            assert client.get(f"/q/{token}/").status_code == 404


def test_a_cached_page_whose_token_is_revoked_costs_the_one_query_too(
    client, household, system, django_assert_num_queries
) -> None:
    token = issue_token(system, household)
    assert client.get(f"/q/{token.token}/").status_code == 200  # rendered and cached
    revoke_token(system, token)
    with django_assert_num_queries(1):
        assert client.get(f"/q/{token.token}/").status_code == 404


def test_every_404_is_the_same_bytes_and_headers_whatever_the_guess(client, household, system) -> None:
    revoked = revoke_token(system, issue_token(system, household))
    guesses = [revoked.token, new_token(), "x" * 300, "%E4%B8%AD%E6%96%87", "'; DROP TABLE x; --", "0"]
    responses = [client.get(f"/q/{guess}/") for guess in guesses]
    for response in responses[1:]:
        _same(responses[0], response)
    assert responses[0]["X-Robots-Tag"] == "noindex, nofollow"
