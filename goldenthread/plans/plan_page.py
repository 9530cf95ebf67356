"""The plan page and its exports: views parse the address, authorise and render.

The list's rules (filters, search, sort, pages, counts) are in
:mod:`goldenthread.plans.listing`; the reported position in :mod:`goldenthread.plans.reading`.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from goldenthread.core.access import grants_of
from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import PeriodError, parse_period
from goldenthread.documents import htmldoc
from goldenthread.plans import access, exports, listing, listing_rules, reading
from goldenthread.plans.models import Plan

FORMATS = ("csv", "xlsx")


def _plan_for(request: HttpRequest, code: str) -> Plan:
    return get_object_or_404(access.visible_plans(request.user), code=code)


def _period_from(request: HttpRequest, plan: Plan) -> Period | None:
    """The period asked for (one the user may see, else 404), or the plan's default:
    the latest published period (readers), or the latest round (those who work on it)."""
    text = request.GET.get("period", "").strip()
    if not text:
        return reading.default_period(plan, request.user)
    try:
        key = parse_period(text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    period = Period.objects.filter(year=key.year, kind=key.kind.value, number=key.number).first()
    if period is None or reading.period_for(request.user, plan, period) is None:
        raise Http404(f"{key.code} is not a period you may see on this plan.")
    return period


def _partners(user) -> list[Organisation]:
    """The partners the user may filter by: their own, or every partner."""
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("code")
    scope = grants_of(user).partner_scope
    return list(partners if scope is None else partners.filter(pk__in=scope))


def _query(
    request: HttpRequest, plan: Plan, partners: list[Organisation]
) -> tuple[listing_rules.ListQuery, list[str]]:
    """The view asked for in the address, and a message for each value left out."""
    return listing_rules.parse_query(dict(request.GET.lists()), listing.choices_for(plan, partners))


def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A plan's items for a period: filtered, searched, sorted and a page at a time."""
    plan = _plan_for(request, code)
    period = _period_from(request, plan)
    partners = _partners(request.user)
    query, problems = _query(request, plan, partners)
    if period is not None:  # the shown period in every link, so a link shows the same
        query = replace(query, period=period.code)
    sections = list(plan.sections.select_related("service").order_by("order", "pk"))
    context = {
        "plan": plan,
        "period": period,
        "periods": reading.visible_periods(request.user, plan),
        "draft": bool(period and reading.is_draft(plan, period)),
        "scale": plan.scale,
        "can_run_round": grants_of(request.user).is_administrator,
        "partners": partners,
        "sections": sections,
        "leads": list(listing.lead_posts(plan)),
        "sorts": listing_rules.SORTS,
        "no_update_param": listing_rules.NO_UPDATE_PARAM,
        "query": query,
        "problems": problems,
        "formats": FORMATS,
    }
    if period is not None:
        found = listing.listing(
            plan,
            period,
            access.visible_actions(request.user),
            query,
            today=timezone.localdate(),
            sections=sections,
            user=request.user,
            problems=problems,
        )
        context.update(
            {
                "listing": found,
                "query": found.query,
                "problems": found.problems,
                "chart_uri": htmldoc.chart_data_uri(found.chart) if found.chart else "",
                "pager": _pager(found),
                "status_choices": [
                    {
                        "status": s,
                        "param": listing_rules.status_param(s),
                        "checked": listing_rules.status_param(s) in found.query.status,
                    }
                    for s in listing_rules.reported_statuses(plan.status_scale)
                ],
            }
        )
    partial = request.htmx and not request.htmx.history_restore_request
    template = "plans/_plan_body.html" if partial else "plans/plan_detail.html"
    return render(request, template, context)


def _pager(found: listing.Listing) -> dict:
    """The GOV.UK pagination component: previous, numbered and next links to this view's
    other pages (``None`` in the numbers for an ellipsis)."""
    window, query = found.window, found.query
    items = []
    for number in found.window.links():
        if number is None:
            items.append({"ellipsis": True})
        else:
            items.append(
                {
                    "number": number,
                    "href": found.query.querystring(page=number) or "?",
                    "current": number == found.window.number,
                }
            )
    return {
        "items": items,
        "previous": query.querystring(page=window.number - 1) or "?"
        if window.has_previous
        else None,
        "next": query.querystring(page=window.number + 1) if window.has_next else None,
    }


def plan_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The filtered view (every page of it) as CSV or Excel."""
    if fmt not in FORMATS:
        raise Http404("Plans export as csv or xlsx.")
    plan = _plan_for(request, code)
    period = _period_from(request, plan)
    if period is None:
        raise Http404("This plan has no reporting period yet.")
    query, problems = _query(request, plan, _partners(request.user))
    if problems:  # no page to say it on: refuse rather than export something else
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    sections = listing.export_sections(
        plan,
        period,
        access.visible_actions(request.user),
        query,
        today=timezone.localdate(),
        user=request.user,
    )
    return exports.respond(plan, period, sections, fmt)
