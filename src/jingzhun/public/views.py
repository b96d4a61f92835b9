"""一码清 public pages (no login): /q/<token>/ for a township, a village or a household.

An unknown token, a revoked one and a closed household's all cost the same single indexed query
and get the same 404 body and headers, so a scanner cannot tell which tokens ever existed.

Rendered pages are kept in the ``public`` cache (in-process memory, see settings.CACHES), keyed by
the token and a version read by that same one query on every request:

* the token row and everything the page names from it: whether the token is still active (revoke,
  reissue and closing a household show on the very next request), the head's name, the number of
  members, status, 帮扶责任人, village and township names, the township's token a village page links
  to, and the number and highest id of the active tokens a township page links its villages by;
* the ledger's version (its highest line id: the ledger is append-only, so every new month run,
  reversal or adjustment changes it) and the year;
* the project list of the page's region, itself kept ``MAX_AGE`` seconds per region.

Staleness bound: a household page is exact except for projects (at most ``MAX_AGE`` = 60 s old). A
village or township page also keeps its counts (户数、建档立卡户、已脱贫户、人口: aggregates over
thousands of rows) and projects for at most ``MAX_AGE`` seconds; its payments and links are exact.
The visitor's own browser may keep any page ``MAX_AGE`` seconds too (``Cache-Control: private``), so
no bound here is looser than what a visitor may see anyway; shared caches (a proxy, a CDN) must not keep
a page at all, so a revoked token's page is gone for everyone else at once. Each gunicorn worker keeps
its own copy: the bounds hold per process, and a process serves a page from its cache only after the version check.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from jingzhun.core.scope import region_prefix
from jingzhun.public import queries
from jingzhun.public.masking import mask_name
from jingzhun.public.models import TokenLevel
from jingzhun.public.ratelimit import PAGE_HEADERS, rate_limited

MAX_AGE = 60
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")
# Every fact on a household page is in its key, but the ledger's version is its highest line id, and on
# PostgreSQL ids are handed out before commit: a run that commits after a later-numbered reversal leaves
# the version unchanged. Expiring household pages after MAX_AGE too keeps that case within the bound.
HOUSEHOLD_TTL = MAX_AGE


def page_cache() -> Any:
    return caches[getattr(settings, "PUBLIC_PAGE_CACHE", "public")]


def _public_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"private, max-age={MAX_AGE}"
    for name, value in PAGE_HEADERS.items():
        response[name] = value
    return response


_NOT_FOUND: dict[str, bytes] = {}


def not_found() -> HttpResponse:
    """The one 404 of the public pages: the same bytes for every unknown, revoked or closed token."""
    body = _NOT_FOUND.get("body")
    if body is None:
        with translation.override(settings.LANGUAGE_CODE):
            body = _NOT_FOUND["body"] = render_to_string("public/not_found.html").encode()
    return _public_headers(HttpResponse(body, status=404))


def _region_projects(code: str, funds: bool, pv: bool = False) -> dict[str, Any]:
    """Projects (and with ``funds``, funds by source) of a region, kept MAX_AGE seconds; with ``pv``, the
    village's PV revenue (``queries.village_pv``), kept as long under a key of its own."""
    cache = page_cache()
    key = f"public-projects:{code}:{int(funds)}"
    found = cache.get(key)
    if found is None:
        found = {"projects": queries.projects(code), "funds": queries.fund_totals(code) if funds else []}
        cache.set(key, found, MAX_AGE)
    if pv:
        block = cache.get(f"public-pv:{code}", "missing")
        if block == "missing":
            block = queries.village_pv(code)
            cache.set(f"public-pv:{code}", block, MAX_AGE)
        found = {**found, "pv": block}
    return dict(found)


def _household_context(found: queries.Found, year: int, projects: dict[str, Any]) -> dict[str, object]:
    household = found.household
    assert household is not None
    paid = queries.household_year(household, year)
    benefits = paid.benefits
    return {
        "head": mask_name(found.head_name),
        "members": found.members,
        "village": found.village,
        "township": found.township,
        "status": queries.status_in_words(household),
        "benefits": benefits,
        "total_fen": sum(b.amount_fen for b in benefits),
        "measures": queries.measures(benefits, household.pk if found.help_records else None, year),
        "cadre_name": household.cadre_name,
        "cadre_phone": household.cadre_phone,
        "projects": projects["projects"],
        "months": paid.months,
        "card_tail": found.card_tail,
        "county_office": found.office or (f"{found.county_name}民政局" if found.county_name else ""),
        "township_office": f"{found.township.name}人民政府" if found.township else "",
        "report_phone": found.phone,
        "updated": timezone.localtime(paid.updated or timezone.now()),
    }


def _region_context(found: queries.Found, year: int, projects: dict[str, Any]) -> dict[str, object]:
    region = found.region
    assert region is not None
    benefits = queries.region_benefits(region_prefix(region.code), year)
    context: dict[str, object] = {
        "region": region,
        "counts": queries.region_counts(region),
        "benefits": benefits,
        "total_fen": sum(b.amount_fen for b in benefits),
        "projects": projects["projects"],
        "funds": projects["funds"],
        "pv": projects.get("pv"),
    }
    if region.level == TokenLevel.TOWNSHIP:
        context["villages"] = queries.township_villages(region)
    else:
        context["township"] = region.parent
        context["township_token"] = found.parent_token
    return context


def _render(found: queries.Found, year: int, projects: dict[str, Any]) -> bytes:
    if found.level == TokenLevel.HOUSEHOLD:
        context = _household_context(found, year, projects)
        template = "public/household.html"
    else:
        context = _region_context(found, year, projects)
        template = f"public/{found.level}.html"
    context["year"] = year
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context).encode()


def _page_key(found: queries.Found, year: int, projects: dict[str, Any]) -> str:
    version = repr((found.row, year, projects)).encode()
    return f"public-page:{found.token}:{hashlib.blake2b(version, digest_size=16).hexdigest()}"


@csrf_exempt
@require_safe
@rate_limited
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    # A token is URL-safe base64 (secrets.token_urlsafe): anything else never existed, and must not reach
    # the database (a NUL byte makes PostgreSQL refuse the query: a 500 instead of the one 404).
    if not _TOKEN_CHARS.fullmatch(token):
        return not_found()
    found = queries.find_token(token)
    if found is None:
        return not_found()
    target = found.village if found.level == TokenLevel.HOUSEHOLD else found.region
    assert target is not None
    year = queries.public_year(found.ledger_version, target.code)
    projects = _region_projects(
        target.code, funds=found.level != TokenLevel.HOUSEHOLD, pv=found.level == TokenLevel.VILLAGE
    )
    cache = page_cache()
    key = _page_key(found, year, projects)
    body = cache.get(key)
    if body is None:
        body = _render(found, year, projects)
        cache.set(key, body, HOUSEHOLD_TTL if found.level == TokenLevel.HOUSEHOLD else MAX_AGE)
    return _public_headers(HttpResponse(body))
