"""The Transparency Code's open data: public, signed out, one stable address per quarter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldenthread.core.periods import PeriodKey
from goldenthread.registers import opendata, rules


def _quarter_or_404(slug: str) -> PeriodKey:
    try:
        quarter = rules.parse_quarter_slug(slug)
    except rules.QuarterError:
        raise Http404("There is no such quarter: they are written like 2019-20-Q2.") from None
    if quarter not in opendata.publishable_quarters():
        raise Http404("Nothing is published for that quarter.")
    return quarter


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    quarters = opendata.publishable_quarters()
    return render(
        request,
        "registers/open_data.html",
        {
            "files": opendata.index(quarters),
            "first": quarters[0] if quarters else None,
            "contract_columns": rules.CONTRACT_COLUMNS,
            "grant_columns": rules.GRANT_COLUMNS,
            "threshold": rules.PUBLISH_OVER,
            "redacted": rules.REDACTED,
        },
    )


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_not_required
@require_GET
def contracts_csv(request: HttpRequest, quarter: str) -> HttpResponse:
    key = _quarter_or_404(quarter)
    return _csv(opendata.contracts_csv(key), f"contracts-{rules.quarter_slug(key)}.csv")


@login_not_required
@require_GET
def grants_csv(request: HttpRequest, quarter: str) -> HttpResponse:
    key = _quarter_or_404(quarter)
    return _csv(opendata.grants_csv(key), f"grants-{rules.quarter_slug(key)}.csv")
