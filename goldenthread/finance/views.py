"""Finance pages. Views parse, authorise and render; the figures come from :mod:`.reading`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goldenthread.core.audit import history_for
from goldenthread.documents.htmldoc import chart_data_uri
from goldenthread.documents.http import download
from goldenthread.documents.model import ReportRequest
from goldenthread.documents.render import FORMATS
from goldenthread.finance import access, changes, imports, reading, reports, rules, tracker
from goldenthread.finance.forms import DeliveryForm, ForecastForm, UploadForm
from goldenthread.finance.home import glance
from goldenthread.finance.models import Forecast, SavingsItem


def _year_or_latest(years: list[int]) -> int | None:
    return years[0] if years else None


def _context(request: HttpRequest, **extra) -> dict:
    years = reading.years_with_lines(request.user)
    return {
        "can_administer": access.can_administer(request.user),
        "years": years,
        "year_pages": reading.year_pages(request.user, years),
        "has_savings": tracker.has_existing_savings(),
        "formats": [(fmt, label) for fmt, (_, _, label) in FORMATS.items()],
        **extra,
    }


def index(request: HttpRequest) -> HttpResponse:
    """The latest outturn, forecast and savings at a glance, with links to each page."""
    user = request.user
    years = reading.years_with_lines(user)
    return render(
        request,
        "finance/index.html",
        _context(
            request,
            **glance(user, years),
            budget_years=[y for y in years if reading.budget(user, y).shared.rows],
            reserve_years=reading.reserve_years(user),
        ),
    )


def outturn(request: HttpRequest, year: int) -> HttpResponse:
    view = reading.outturn(request.user, year)
    if not view.shared.rows and not view.non_shared.rows:
        raise Http404(f"There is no outturn for {rules.year_label(year)}.")
    return render(
        request,
        "finance/outturn.html",
        _context(
            request,
            view=view,
            reserves=reading.reserves(request.user, year),
            year=year,
            report_kind="outturn",
        ),
    )


def forecast(request: HttpRequest, year: int) -> HttpResponse:
    month = None
    if request.GET.get("period"):
        try:
            month = rules.parse_month(request.GET["period"], year)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
    view = reading.forecast(request.user, year, month)
    months, trend = reading.forecast_trend(request.user, year)
    led = set(access.led_cost_areas(request.user).values_list("pk", flat=True))
    lines = [line for line in reading.year_lines(request.user, year) if line.cost_area_id in led]
    chart = reports.trend_chart(request.user, year)
    return render(
        request,
        "finance/forecast.html",
        _context(
            request,
            view=view,
            chart=chart,
            chart_src=chart_data_uri(chart) if chart else "",
            year=year,
            months=months,
            all_months=range(1, 13),
            trend=trend,
            editable=lines,
            report_kind="forecast",
        ),
    )


def budget(request: HttpRequest, year: int) -> HttpResponse:
    view = reading.budget(request.user, year)
    formula = reading.formula_view(year)
    if not view.shared.rows and not view.non_shared.rows and not formula.rows:
        raise Http404(f"There is no budget for {rules.year_label(year)}.")
    return render(
        request,
        "finance/budget.html",
        _context(request, view=view, formula=formula, year=year, report_kind="budget"),
    )


def reserves(request: HttpRequest, year: int) -> HttpResponse:
    view = reading.reserves(request.user, year)
    if not view.partners:
        raise Http404("You cannot see any partner's reserve.")
    return render(request, "finance/reserves.html", _context(request, view=view, year=year))


def savings(request: HttpRequest) -> HttpResponse:
    existing = tracker.savings(SavingsItem.Status.EXISTING)
    potential = tracker.savings(SavingsItem.Status.POTENTIAL)
    first = existing.years[0].year if existing.years else None
    return render(
        request,
        "finance/savings.html",
        _context(
            request,
            existing=existing,
            potential=potential,
            tracker=[
                (existing, "Existing savings (in the MTFS)"),
                (potential, "Potential savings"),
            ],
            first_year=first,
            report_kind="savings",
            year=first,
        ),
    )


def contribution(request: HttpRequest) -> HttpResponse:
    existing = tracker.savings(SavingsItem.Status.EXISTING)
    potential = tracker.savings(SavingsItem.Status.POTENTIAL)
    if not existing.years:
        raise Http404("There are no savings yet.")
    first = existing.years[0].year
    future = sorted({y.year for y in existing.years + potential.years if y.year > first})
    views = [
        tracker.contribution(rules.year_label(first), [existing], [first]),
        tracker.contribution("Future years, existing savings", [existing], future),
        tracker.contribution(
            "Future years, existing and potential savings", [existing, potential], future
        ),
    ]
    base = reading.finance_year(first).shared_controllable_budget
    after = base + views[-1].planned_total if base is not None and future else None
    return render(
        request,
        "finance/contribution.html",
        _context(request, views=views, first_year=first, future=future, base=base, after=after),
    )


def forecast_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(access.visible_lines(request.user), pk=pk)
    if not access.can_update_forecast(request.user, line):
        raise PermissionDenied("Only the area's lead or an administrator may update its forecast.")
    text = request.GET.get("period") or request.POST.get("period") or ""
    try:
        month = rules.parse_month(text, line.year)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    current = Forecast.objects.filter(line=line, period__number=month).first()
    conflict = None
    if request.method == "POST":
        form = ForecastForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes.record_forecast(
                    line,
                    month,
                    by=request.user,
                    forecast=data["forecast"],
                    stated_variance=data["stated_variance"],
                    commentary=data["commentary"],
                    expected_version=data["version"],
                )
            except changes.EditConflict as exc:
                conflict = str(exc)
                current = Forecast.objects.filter(line=line, period__number=month).first()
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"The P{month} forecast for {line} has been saved.")
                page = reverse("finance:forecast", kwargs={"year": line.year})
                return redirect(f"{page}?period=P{month}")
    else:
        form = ForecastForm(
            initial={
                "forecast": rules.pounds(current.forecast, pence=True) if current else "",
                "stated_variance": rules.pounds(current.stated_variance, pence=True)
                if current
                else "",
                "commentary": current.commentary if current else "",
                "version": current.version if current else 0,
            }
        )
    history = history_for([current]) if current else []
    return render(
        request,
        "finance/forecast_form.html",
        {
            "line": line,
            "month": month,
            "form": form,
            "current": current,
            "conflict": conflict,
            "history": history[:50] if history else [],
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_administer(request.user):
        raise PermissionDenied("Only an administrator may record the delivery of savings.")
    item = get_object_or_404(SavingsItem, pk=pk)
    form = DeliveryForm(
        request.POST or None,
        initial={"delivery_rag": item.delivery_rag, "delivery_plan": item.delivery_plan},
    )
    if request.method == "POST" and form.is_valid():
        changes.set_delivery(
            item,
            by=request.user,
            rag=form.cleaned_data["delivery_rag"],
            plan=form.cleaned_data["delivery_plan"],
        )
        messages.success(request, f"The delivery of “{item}” has been recorded.")
        return redirect("finance:savings")
    return render(
        request,
        "finance/delivery_form.html",
        {"item": item, "form": form, "history": history_for([item])[:50]},
        status=400 if request.method == "POST" else 200,
    )


def upload(request: HttpRequest) -> HttpResponse:
    """An administrator loads a sheet: all of it, or nothing and every problem named."""
    if not access.can_administer(request.user):
        raise PermissionDenied("Only an administrator may upload finance sheets.")
    problems: list[imports.Problem] = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = imports.load_file(
                imports.SheetKind(data["kind"]),
                data["sheet"].name,
                data["sheet"],
                by=request.user,
                year=data["year"],
                status=data["status"],
            )
        except imports.SheetRefused as exc:
            problems = exc.problems
        else:
            messages.success(request, " ".join(result.summary) or "The sheet has been loaded.")
            return redirect("finance:upload")
    return render(
        request,
        "finance/upload.html",
        {"form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def transfer(request: HttpRequest, year: int) -> HttpResponse:
    if not access.can_administer(request.user):
        raise PermissionDenied("Only an administrator may transfer the outturn to reserves.")
    try:
        moved = changes.transfer_outturn_to_reserves(year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        names = ", ".join(f"{p.name} {rules.millions(v)}" for p, v in moved.items()) or "nobody"
        messages.success(request, f"Transferred to reserves: {names}.")
    return redirect("finance:reserves", year=year)


def report(request: HttpRequest, kind: str, year: int, fmt: str) -> HttpResponse:
    """A finance report as HTML, Word, PDF or Excel, with the figures this user may see."""
    builder = reports.BUILDERS.get(kind)
    if builder is None or fmt not in FORMATS:
        raise Http404("No such report.")
    period = request.GET.get("period", "")
    try:
        # The committee date the paper carries; never today's, so a rerun gives the same file.
        on = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else None
    except ValueError as exc:
        raise Http404("The date must be written like 2019-07-12.") from exc
    request_for = ReportRequest(
        rules.year_label(year), period=period, report_date=on, user=request.user
    )
    try:
        document = builder(request_for)
    except (reports.ReportError, ValueError) as exc:
        raise Http404(str(exc)) from exc
    return download(document, fmt, f"onesource-{kind}-{rules.year_label(year)}")
