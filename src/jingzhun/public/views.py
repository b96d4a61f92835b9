"""一码清 public pages (no login): /q/<token>/ for a township, a village or a household.

An unknown token, a revoked one and a closed household's all cost the same single indexed query
and get the same 404 body, so a scanner cannot tell which tokens ever existed.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from jingzhun.core.scope import region_prefix
from jingzhun.public import queries
from jingzhun.public.masking import mask_name
from jingzhun.public.models import PublicToken, TokenLevel
from jingzhun.public.ratelimit import rate_limited
from jingzhun.registry.models import Region

MAX_AGE = 60


def _public_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _household_context(found: PublicToken, year: int) -> dict[str, object]:
    household = found.household
    benefits = queries.household_benefits(household, year)
    village = household.village
    return {
        "head": mask_name(found.head_name or ""),
        "members": found.members,
        "village": village,
        "township": village.parent,
        "status": queries.status_in_words(household),
        "benefits": benefits,
        "total_fen": sum(b.amount_fen for b in benefits),
        "measures": queries.measures(benefits),
        "cadre_name": household.cadre_name,
        "cadre_phone": household.cadre_phone,
        "projects": queries.village_projects(village),
    }


def _region_summary(region: Region, year: int) -> dict[str, object]:
    """Counts and programme totals: aggregates over thousands of rows, kept for MAX_AGE seconds in the
    cache, as long as any browser or proxy may keep the page itself."""
    key = f"public-region:{region.pk}:{year}"
    summary = cache.get(key)
    if summary is None:
        prefix = region_prefix(region.code)
        benefits = queries.region_benefits(prefix, year)
        summary = {
            "counts": queries.region_counts(region),
            "benefits": benefits,
            "total_fen": sum(b.amount_fen for b in benefits),
            "projects": queries.region_projects(prefix),
        }
        cache.set(key, summary, MAX_AGE)
    return summary


def _region_context(region: Region, year: int) -> dict[str, object]:
    context: dict[str, object] = {"region": region, **_region_summary(region, year)}
    if region.level == TokenLevel.TOWNSHIP:
        context["villages"] = queries.township_villages(region)
    else:
        context["township"] = region.parent
        context["township_token"] = queries.parent_token(region)
    return context


@require_safe
@rate_limited
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    found = queries.find_token(token)
    if found is None:
        return _public_headers(render(request, "public/not_found.html", status=404))
    year = timezone.localdate().year
    if found.level == TokenLevel.HOUSEHOLD:
        context = _household_context(found, year)
        template = "public/household.html"
    else:
        context = _region_context(found.region, year)
        template = f"public/{found.level}.html"
    context["year"] = year
    return _public_headers(render(request, template, context))
