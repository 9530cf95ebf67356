"""Data entry: a service's grid of indicators for a period and partner, uploads, sign-off."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from goldenthread.core.models import Organisation, Period, Service
from goldenthread.documents import cells
from goldenthread.performance import access, changes, imports, reading, rules
from goldenthread.performance.forms import ActualForm, ReopenForm, UploadForm
from goldenthread.performance.models import SignOff, Target
from goldenthread.performance.units import plain
from goldenthread.performance.views import period_choices, period_from


def _partner_from(code: str) -> Organisation | None:
    if not code or code == reading.WHOLE_SERVICE:
        return None
    partner = Organisation.objects.filter(code=code, kind=Organisation.Kind.PARTNER).first()
    if partner is None:
        raise Http404(f"There is no partner {code}.")
    return partner


def _grid_url(service: Service, period: Period, partner: Organisation | None) -> str:
    query = urlencode({"period": period.code, "partner": reading.partner_label(partner)})
    return reverse("performance:grid", args=[service.code]) + f"?{query}"


def _row(line: reading.Line, *, can_enter: bool, form: ActualForm | None = None, **extra) -> dict:
    actual = line.actual
    if form is None and can_enter:
        form = ActualForm(
            indicator=line.indicator,
            initial={
                "value": plain(actual.value) if actual else "",
                "denominator": plain(actual.denominator) if actual and actual.denominator else "",
                "reason": actual.reason if actual else "",
                "remedial_action": actual.remedial_action if actual else "",
                "version": actual.version if actual else 0,
            },
        )
    return {
        "line": line,
        "form": form,
        "can_enter": can_enter and not line.signed_off and line.due,
        "weighted": line.indicator.ytd_rule == "weighted",
        **extra,
    }


def grid(request: HttpRequest, service: str) -> HttpResponse:
    """The service's indicators for a period and partner, each row saved on its own."""
    service_obj = get_object_or_404(Service, code=service)
    enterable = set(
        access.enterable_indicators(request.user)
        .filter(service=service_obj)
        .values_list("pk", flat=True)
    )
    if not enterable:
        raise PermissionDenied("Only the service's leads and administrators enter its actuals.")
    period = period_from(request)
    indicators = reading.with_lines(
        access.visible_indicators(request.user)
        .filter(service=service_obj)
        .order_by("level", "order")
    )
    choices: list[Organisation | None] = []
    for indicator in indicators:
        for who in reading.lines_of(indicator):
            if who not in choices:
                choices.append(who)
    choices.sort(key=lambda p: (p is None, p.code if p else ""))
    wanted = request.GET.get("partner")
    partner = _partner_from(wanted) if wanted else (choices[0] if choices else None)
    if partner not in choices:
        raise Http404("No indicator of this service is reported for that partner.")
    card = reading.scorecard_for(indicators, period)
    rows = [
        _row(card.line(i, partner, period), can_enter=i.pk in enterable)
        for i in indicators
        if partner in reading.lines_of(i)
    ]
    done = changes.sign_off_for(period, partner)
    return render(
        request,
        "performance/grid.html",
        {
            "service": service_obj,
            "period": period,
            "periods": period_choices(),
            "partner": partner,
            "partner_label": reading.partner_label(partner),
            "choices": [reading.partner_label(c) for c in choices],
            "rows": rows,
            "sign_off": done,
            "demonstration": any(r["line"].demonstration for r in rows),
        },
    )


@require_POST
def save_row(request: HttpRequest, ref: str) -> HttpResponse:
    """Save one grid row; HTMX gets the row back with its computed status."""
    indicator = get_object_or_404(
        access.visible_indicators(request.user).prefetch_related("partners"), ref=ref
    )
    if not access.can_enter(request.user, indicator):
        raise PermissionDenied("Only the indicator's lead or an administrator may enter actuals.")
    period = period_from(request)
    partner = _partner_from(request.POST.get("partner", ""))
    if partner not in reading.lines_of(indicator):
        raise Http404(f"{indicator.ref} is not reported for {reading.partner_label(partner)}.")
    form = ActualForm(request.POST, indicator=indicator)
    conflict = None
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes.record_actual(
                indicator,
                period,
                partner,
                by=request.user,
                value=data["value"],
                denominator=data["denominator"],
                reason=data["reason"],
                remedial_action=data["remedial_action"],
                expected_version=data["version"],
            )
        except changes.EditConflict as exc:
            conflict = exc
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            saved = True
    card = reading.scorecard_for([indicator], period)
    line = card.line(indicator, partner, period)
    if saved:
        form = None  # show the saved figures
    elif conflict is not None:
        form = ActualForm(request.POST, indicator=indicator)
        form.is_valid()
    row = _row(line, can_enter=True, form=form, saved=saved, conflict=conflict)
    if request.htmx:
        return render(
            request,
            "performance/_grid_row.html",
            {"row": row, "period": period, "partner_label": line.partner_label},
        )
    if saved:
        messages.success(request, f"{indicator.ref} saved for {period} ({line.partner_label}).")
        return redirect(_grid_url(indicator.service, period, partner) + f"#row-{indicator.ref}")
    return render(
        request,
        "performance/row_error.html",
        {
            "row": row,
            "period": period,
            "partner_label": line.partner_label,
            "back": _grid_url(indicator.service, period, partner),
        },
        status=409 if conflict else 400,
    )


def upload(request: HttpRequest) -> HttpResponse:
    """Bulk upload of actuals: every row checked, nothing saved unless all are valid."""
    if not access.enterable_indicators(request.user).exists():
        raise PermissionDenied("Only leads and administrators upload actuals.")
    latest = period_from(request)
    years = sorted(
        {latest.year - 1, latest.year, latest.year + 1}
        | set(Target.objects.values_list("year", flat=True))
    )
    form = UploadForm(
        request.POST or None, request.FILES or None, years=years, initial={"year": latest.year}
    )
    errors: list[imports.RowError] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                count = imports.import_actuals(
                    upload_file.name,
                    upload_file,
                    year=form.cleaned_data["year"],
                    by=request.user,
                )
            except imports.UploadRefused as exc:
                errors = exc.errors
                status = 400
            else:
                messages.success(request, f"{count} actuals uploaded and saved.")
                return redirect("performance:index")
        else:
            status = 400
    return render(
        request,
        "performance/upload.html",
        {"form": form, "errors": errors, "headings": imports.TEMPLATE_HEADINGS},
        status=status,
    )


def upload_template(request: HttpRequest) -> HttpResponse:
    """A CSV with the upload's headings and one row per line the user may enter."""
    period = period_from(request)
    indicators = reading.with_lines(access.enterable_indicators(request.user).order_by("ref"))
    if not indicators:
        raise PermissionDenied("Only leads and administrators upload actuals.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.TEMPLATE_HEADINGS)
    for indicator in indicators:
        if not rules.is_due(indicator.frequency, period.key):
            continue  # the upload would refuse the row
        for who in reading.lines_of(indicator):
            label = "" if who is None else who.code
            writer.writerow(cells.csv_row([indicator.ref, label, period.code, "", "", "", ""]))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"actuals-{period.code.replace('/', '-').replace(' ', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def sign_off(request: HttpRequest) -> HttpResponse:
    period = period_from(request)
    partner = _partner_from(request.POST.get("partner", ""))
    if not access.can_sign_off(request.user, partner):
        raise PermissionDenied("Only an approver for the partner may sign off its figures.")
    try:
        changes.sign_off(period, partner, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(
            request,
            f"{period} signed off for {reading.partner_label(partner)}: its figures are fixed.",
        )
    return redirect(
        reverse("performance:index") + f"?{urlencode({'period': period.code})}#sign-off"
    )


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    done = get_object_or_404(SignOff.objects.select_related("period", "partner"), pk=pk)
    if not access.can_sign_off(request.user, done.partner):
        raise PermissionDenied("Only an approver for the partner may reopen its figures.")
    form = ReopenForm(request.POST)
    query = urlencode({"period": done.period.code})
    if not form.is_valid():
        messages.error(request, "Say why the period is reopened.")
    else:
        changes.reopen(done, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, f"{done.period} reopened for {reading.partner_label(done.partner)}."
        )
    return redirect(reverse("performance:index") + f"?{query}#sign-off")
