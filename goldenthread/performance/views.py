"""Indicator pages and reports. Views parse, authorise and render; data entry is in entry.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goldenthread.core.audit import history_for
from goldenthread.core.models import Organisation, Period, Service
from goldenthread.core.periods import (
    PeriodError,
    PeriodKey,
    PeriodKind,
    parse_period,
)
from goldenthread.documents.http import download
from goldenthread.documents.model import Document, ReportRequest
from goldenthread.performance import access, charts, imports, reading, reports, rules
from goldenthread.performance.forms import BenchmarkForm
from goldenthread.performance.models import Actual, ComparatorValue, Forum, Indicator, SignOff

FORMATS = {"html", "docx", "pdf", "xlsx"}


def period_from(request: HttpRequest, name: str = "period", *, kind: PeriodKind | None = None):
    """The period a request names (else the latest with figures). A GET only reads: a period
    with no row yet is a placeholder (see ``Period.unstored``); a POST may create it."""
    text = request.GET.get(name) or request.POST.get(name)
    if not text:
        key = reading.latest_period().key
    else:
        try:
            key = parse_period(text)
        except PeriodError as exc:
            raise Http404(str(exc)) from exc
    if kind is PeriodKind.YEAR and key.kind is not kind:
        key = PeriodKey(key.year, kind)
    if request.method == "POST":
        return Period.objects.for_key(key)
    return Period.objects.to_read(key)


def period_choices(kind: PeriodKind = PeriodKind.QUARTER) -> list[PeriodKey]:
    """Quarters (or years) from the first year with actuals to the next, newest first."""
    bounds = Period.objects.filter(pk__in=Actual.objects.values("period")).aggregate(
        last=Max("year")
    )
    last = bounds["last"] or reading.latest_period().year
    years = range(last - 2, last + 1)
    if kind is PeriodKind.YEAR:
        return [PeriodKey(y, PeriodKind.YEAR) for y in reversed(years)]
    return [PeriodKey(y, PeriodKind.QUARTER, n) for y in reversed(years) for n in (4, 3, 2, 1)]


def index(request: HttpRequest) -> HttpResponse:
    """Every indicator the user may see for a period: target, actual, status, direction."""
    period = period_from(request)
    indicators = access.visible_indicators(request.user)
    service_code = request.GET.get("service", "")
    level = request.GET.get("level", "")
    if service_code:
        indicators = indicators.filter(service__code=service_code)
    if level in Indicator.Level.values:
        indicators = indicators.filter(level=level)
    indicators = reading.with_lines(indicators.order_by("service__order", "level", "order"))
    lines = reading.lines(indicators, period, scope=access.partner_scope(request.user))
    groups: dict[int, dict] = {}
    for line in lines:
        service = line.indicator.service
        group = groups.setdefault(service.pk, {"service": service, "lines": []})
        group["lines"].append(line)
    for group in groups.values():
        group["counts"] = rules.count_by_status(line.status for line in group["lines"])
        not_due = sum(1 for line in group["lines"] if line.status.code == rules.NOT_DUE.code)
        group["summary"] = ", ".join(
            [f"{c.count} {c.status.label}" for c in group["counts"] if c.count]
            + ([f"{not_due} not due this period"] if not_due else [])
        )
    enterable = set(access.enterable_services(request.user).values_list("code", flat=True))
    sign_offs = _sign_off_rows(request.user, period)
    return render(
        request,
        "performance/index.html",
        {
            "period": period,
            "periods": period_choices(),
            "groups": list(groups.values()),
            "counts": rules.count_by_status(line.status for line in lines),
            "not_due": sum(1 for line in lines if line.status.code == rules.NOT_DUE.code),
            "services": Service.objects.filter(indicators__isnull=False).distinct(),
            "service_code": service_code,
            "level": level,
            "levels": Indicator.Level.choices,
            "enterable": enterable,
            "forums": Forum.objects.all(),
            "sign_offs": sign_offs,
            "demonstration": any(line.demonstration for line in lines),
        },
    )


def _sign_off_rows(user, period: Period) -> list[dict]:
    """The sign-off state of each line of figures the user may sign off."""
    partners: list[Organisation | None] = list(
        Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("code")
    ) + [None]
    done = {
        s.partner_id: s for s in SignOff.objects.filter(period=period).select_related("signed_by")
    }
    return [
        {
            "partner": p,
            "label": reading.partner_label(p),
            "sign_off": done.get(p.pk if p else None),
        }
        for p in partners
        if access.can_sign_off(user, p)
    ]


def indicator_detail(request: HttpRequest, ref: str) -> HttpResponse:
    indicator = get_object_or_404(
        access.visible_indicators(request.user).prefetch_related("partners", "forums"), ref=ref
    )
    period = period_from(request)
    keys = reports._ordered_keys(period)
    card = reading.Scorecard([indicator], {k.year for k in keys} | {period.year - 1})
    scope = access.partner_scope(request.user)
    whos = [p for p in reading.lines_of(indicator) if p is None or scope is None or p.pk in scope]
    table = []
    for key in reversed(keys):
        key_period = Period.objects.to_read(key)
        table.append(
            {"period": key_period, "lines": [card.line(indicator, who, key_period) for who in whos]}
        )
    chart_list = []
    for who in whos:
        chart = reports.trend_chart(card, indicator, who, keys)
        if chart is not None:
            chart_list.append(chart)
    side = reports.partners_chart(card, indicator, [p for p in whos if p is not None], keys)
    if side is not None:
        chart_list.append(side)
    targets = indicator.targets.select_related("partner").order_by("-year", "partner__code")
    actuals = [line.actual for row in table for line in row["lines"] if line.actual]
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "period": period,
            "periods": period_choices(),
            "table": table,
            "whos": [reading.partner_label(w) for w in whos],
            "charts": [(c, charts.svg(c, f"chart-{n}")) for n, c in enumerate(chart_list)],
            "targets": [
                {
                    "target": t,
                    "parsed": t.parsed,
                    "problems": rules.check_target(t.parsed, indicator.polarity),
                }
                for t in targets
            ],
            "benchmarks": benchmark_view(indicator, card, whos),
            "can_enter": access.can_enter(request.user, indicator),
            "benchmark_form": BenchmarkForm(),
            "history": history_for([indicator, *targets, *actuals])[:100],
        },
    )


def benchmark_view(
    indicator: Indicator, card: reading.Scorecard, whos: list[Organisation | None]
) -> list[dict]:
    """Per comparator period: each partner's value and its quartile among the comparators."""
    values = list(indicator.comparator_values.all())
    by_period: dict[str, list[ComparatorValue]] = {}
    for value in values:
        by_period.setdefault(value.period, []).append(value)
    found = []
    for label, group in sorted(by_period.items(), reverse=True):
        partners = []
        for who in whos:
            if who is None:
                continue
            own = None
            source = ""
            try:
                key = parse_period(label)
            except PeriodError:
                key = None
            if key is not None:
                own = card.figure(indicator, who, key) if key.year in card.years else None
                source = "our actual" if own is not None else ""
            if own is None:
                listed = next((v for v in group if v.area_code == who.gss_code), None)
                if listed is not None:
                    own, source = listed.value, "the comparator file"
            comparators = [v.value for v in group if v.area_code != who.gss_code]
            number = (
                rules.quartile(own, comparators, indicator.polarity)
                if own is not None and comparators
                else None
            )
            partners.append(
                {
                    "partner": who,
                    "value": own,
                    "label": rules.format_value(own, indicator.unit) if own is not None else "",
                    "source": source,
                    "quartile": number,
                    "quartile_label": rules.QUARTILE_LABELS.get(number, "Not ranked"),
                    "comparators": len(comparators),
                }
            )
        bounds = rules.quartile_bounds([v.value for v in group])
        found.append(
            {
                "period": label,
                "count": len(group),
                "bounds": [rules.format_value(b, indicator.unit) for b in bounds],
                "partners": partners,
                "demonstration": any(v.demonstration for v in group),
            }
        )
    return found


@require_POST
def benchmark_upload(request: HttpRequest, ref: str) -> HttpResponse:
    indicator = get_object_or_404(access.visible_indicators(request.user), ref=ref)
    if not access.can_enter(request.user, indicator):
        raise PermissionDenied("Only the indicator's lead or an administrator may import values.")
    form = BenchmarkForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            problems = [e for errors in form.errors.values() for e in errors]
            raise imports.UploadRefused([imports.RowError(None, "", p) for p in problems])
        upload = form.cleaned_data["file"]
        count = imports.import_benchmarks(indicator, upload.name, upload, by=request.user)
    except imports.UploadRefused as exc:
        return render(
            request,
            "performance/upload_refused.html",
            {
                "errors": exc.errors,
                "back": indicator.get_absolute_url() + "#benchmarks",
                "what": f"comparator values for {indicator.ref}",
            },
            status=400,
        )
    messages.success(request, f"{count} comparator values imported for {indicator.ref}.")
    return redirect(indicator.get_absolute_url() + "#benchmarks")


# ---------------------------------------------------------------------------
# Reports


def _download_or_page(
    request: HttpRequest, document: Document, stem: str, template_context: dict
) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt and fmt != "html":
        if fmt not in FORMATS:
            raise Http404("Choose html, docx, pdf or xlsx.")
        return download(document, fmt, stem)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "performance/report.html",
        {
            "document": document,
            "downloads": [("docx", "Word"), ("pdf", "PDF"), ("xlsx", "Excel")],
            "query": query.urlencode(),
            **template_context,
        },
    )


def exception_report(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    forum_code = request.GET.get("forum") or "S151"
    partner_code = request.GET.get("partner") or ""
    subject = f"{forum_code}:{partner_code}" if partner_code else forum_code
    try:
        document = reports.build_exception_report(
            ReportRequest(subject=subject, period=period.code, user=request.user)
        )
    except reports.ReportError as exc:
        raise Http404(str(exc)) from exc
    stem = f"exception-report-{forum_code}-{period.code.replace('/', '-').replace(' ', '-')}"
    if partner_code:
        stem += f"-{partner_code}"
    return _download_or_page(
        request,
        document,
        stem,
        {
            "kind": "exceptions",
            "period": period,
            "periods": period_choices(),
            "forums": Forum.objects.all(),
            "forum_code": forum_code,
            "partners": access.visible_partners(request.user),
            "partner_code": partner_code,
            "sections": page_sections(document),
            "here": reverse("performance:exceptions"),
        },
    )


def strategic_report(request: HttpRequest) -> HttpResponse:
    year = period_from(request, "year", kind=PeriodKind.YEAR)
    forum_code = request.GET.get("forum") or "JC"
    try:
        document = reports.build_strategic_report(
            ReportRequest(subject=forum_code, period=year.code, user=request.user)
        )
    except reports.ReportError as exc:
        raise Http404(str(exc)) from exc
    stem = f"strategic-indicators-{year.code.replace('/', '-')}"
    return _download_or_page(
        request,
        document,
        stem,
        {
            "kind": "strategic",
            "period": year,
            "periods": period_choices(PeriodKind.YEAR),
            "sections": page_sections(document),
            "here": reverse("performance:strategic"),
        },
    )


def page_sections(document: Document) -> list[dict]:
    """The document's sections for the page template: each block with its kind, and each
    chart drawn as SVG."""
    sections = []
    number = 0
    for section in document.sections:
        blocks = []
        for block in section.blocks:
            kind = type(block).__name__.lower()
            svg = ""
            if kind == "chart":
                svg = charts.svg(block, f"chart-{number}")
                number += 1
            blocks.append({"kind": kind, "block": block, "svg": svg})
        sections.append({"title": section.title, "blocks": blocks})
    return sections
