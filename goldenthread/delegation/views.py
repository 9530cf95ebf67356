"""Delegation pages. Views parse, authorise and render; writes go through :mod:`.changes`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from goldenthread.core.audit import history_for
from goldenthread.core.models import Organisation
from goldenthread.delegation import access, changes, register, reports, rules
from goldenthread.delegation.forms import CheckForm, DecisionForm, RequestForm
from goldenthread.delegation.models import Scheme, WriteOffRequest
from goldenthread.documents.http import download, safe_stem, table_download
from goldenthread.documents.render import FORMATS


def index(request: HttpRequest) -> HttpResponse:
    """Schemes the user may read, requests awaiting their decision, their own requests."""
    user = request.user
    councils = list(access.councils_readable(user))
    schemes = Scheme.objects.filter(council__in=councils).select_related("council")
    return render(
        request,
        "delegation/index.html",
        {
            "schemes": schemes,
            "awaiting": list(access.awaiting(user)[:50]),
            "recent": list(access.visible_requests(user)[:20]),
            "can_raise": access.councils_raisable(user).exists(),
            "councils": councils,
        },
    )


def _scheme_or_404(user, pk: int) -> Scheme:
    scheme = get_object_or_404(Scheme.objects.select_related("council"), pk=pk)
    if not access.can_read_council(user, scheme.council):
        raise Http404("There is no scheme of delegation you may read here.")
    return scheme


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme as printed, how its cells are read, and who decides a given amount."""
    scheme = _scheme_or_404(request.user, pk)
    data = scheme.rules
    choices = data.debt_type_choices()
    asked = "amount" in request.GET or "debt_type" in request.GET
    form = CheckForm(request.GET if asked else None, debt_types=choices)
    answer = None
    status = 200
    if asked:
        if form.is_valid():
            answer = rules.route(data, form.cleaned_data["debt_type"], form.cleaned_data["amount"])
        else:
            status = 400
    tables = [
        {
            "kind": kind,
            "rows": [
                {"band": band, "routing": _band_routing(data, kind.key, band)}
                for band in reversed(kind.bands)
            ],
        }
        for kind in data.debt_types
    ]
    return render(
        request,
        "delegation/scheme.html",
        {
            "scheme": scheme,
            "data": data,
            "tables": tables,
            "adoptions": scheme.adoptions.all(),
            "form": form,
            "answer": answer,
            "versions": Scheme.objects.filter(council=scheme.council).order_by("-version"),
        },
        status=status,
    )


def _band_routing(data: rules.Scheme, debt_type: str, band: rules.Band) -> rules.Routing:
    return rules.route(data, debt_type, band.up_to if band.up_to is not None else band.above + 1)


def _request_form(user, data=None, files=None, **kwargs) -> tuple[RequestForm, list]:
    councils = list(access.councils_raisable(user))
    today = timezone.localdate()
    debt_types: dict[str, str] = {}
    for council in councils:
        scheme = changes.scheme_in_force(council, today)
        if scheme is not None:
            debt_types.update(scheme.rules.debt_type_choices())
    form = RequestForm(
        data, files, councils=councils, debt_types=list(debt_types.items()), **kwargs
    )
    return form, councils


def _apply_errors(form, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


def new_request(request: HttpRequest) -> HttpResponse:
    """Ask for a debt to be written off: routed to its deciding post when made."""
    user = request.user
    form, councils = _request_form(
        user,
        request.POST or None,
        request.FILES or None,
    )
    if not councils:
        raise PermissionDenied("Only officers in posts designated under a scheme raise requests.")
    if len(councils) == 1 and not form.is_bound:
        form.initial["council"] = councils[0].code
    status = 200
    if request.method == "POST":
        if form.is_valid():
            council = Organisation.objects.get(code=form.cleaned_data["council"])
            try:
                made = changes.make_request(
                    council,
                    by=user,
                    debt_type=form.cleaned_data["debt_type"],
                    debtor=form.cleaned_data["debtor"],
                    account_reference=form.cleaned_data["account_reference"],
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data.get("evidence"),
                    evidence_note=form.cleaned_data.get("evidence_note") or "",
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(made)
        status = 400
    return render(
        request,
        "delegation/request_form.html",
        {"form": form, "title": "Ask for a debt to be written off"},
        status=status,
    )


def _request_or_404(user, pk: int) -> WriteOffRequest:
    found = access.visible_requests(user).filter(pk=pk).first()
    if found is None:
        raise Http404("There is no write-off request you may read here.")
    return found


def _detail(request: HttpRequest, item: WriteOffRequest, *, form=None, conflict=None, status=200):
    consultations = list(item.consultations.all())
    can_decide = access.can_decide(request.user, item)
    if form is None and can_decide and item.state == rules.State.SUBMITTED:
        form = DecisionForm(
            initial={"version": item.version}, consultees=[c.consultee for c in consultations]
        )
    routing = rules.route(item.scheme.rules, item.debt_type, item.amount)
    return render(
        request,
        "delegation/request.html",
        {
            "item": item,
            "consultations": consultations,
            "routing": routing,
            "form": form if item.state == rules.State.SUBMITTED else None,
            "can_decide": can_decide,
            "can_resubmit": access.can_resubmit(request.user, item)
            and item.state == rules.State.RETURNED,
            "conflict": conflict,
            "history": history_for([item, *consultations])[:50],
        },
        status=status,
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_or_404(request.user, pk)
    return _detail(request, item)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_or_404(request.user, pk)
    if not access.can_decide(request.user, item):
        raise PermissionDenied("Only the post the scheme names, or a more senior one, decides.")
    consultees = [c.consultee for c in item.consultations.all()]
    form = DecisionForm(request.POST, consultees=consultees)
    if not form.is_valid():
        return _detail(request, item, form=form, status=400)
    try:
        changes.decide(
            item,
            rules.Event(form.cleaned_data["outcome"]),
            by=request.user,
            note=form.cleaned_data.get("note") or "",
            responses=form.responses(),
            expected_version=form.cleaned_data["version"],
        )
    except changes.StaleRequest as exc:
        return _detail(request, exc.current, conflict=exc.message, status=409)
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _detail(request, item, form=form, status=400)
    return redirect(item)


def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """A returned request, changed and sent back for decision."""
    item = _request_or_404(request.user, pk)
    if not access.can_resubmit(request.user, item):
        raise PermissionDenied("Only the officer who made the request may resubmit it.")
    initial = {
        "council": item.council.code,
        "debt_type": item.debt_type,
        "debtor": item.debtor,
        "account_reference": item.account_reference,
        "amount": f"{item.amount:.2f}",
        "reason": item.reason,
        "evidence_note": item.evidence_note,
        "version": item.version,
    }
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        councils=[item.council],
        debt_types=item.scheme.rules.debt_type_choices(),
        initial=initial,
    )
    if item.evidence:
        form.fields["evidence_note"].required = False
    status = 200
    if request.method == "POST":
        if form.is_valid() or (item.evidence and _only_evidence_missing(form)):
            data = form.cleaned_data
            try:
                changes.resubmit(
                    item,
                    by=request.user,
                    debt_type=data["debt_type"],
                    debtor=data["debtor"],
                    account_reference=data["account_reference"],
                    amount=data["amount"],
                    reason=data["reason"],
                    evidence=data.get("evidence"),
                    evidence_note=data.get("evidence_note") or "",
                    expected_version=data.get("version"),
                )
            except changes.StaleRequest as exc:
                return _detail(request, exc.current, conflict=exc.message, status=409)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(item)
        status = 400
    elif item.state != rules.State.RETURNED:
        raise Http404("Only a returned request is resubmitted.")
    return render(
        request,
        "delegation/request_form.html",
        {"form": form, "item": item, "title": f"Resubmit {item.reference}"},
        status=status,
    )


def _only_evidence_missing(form: RequestForm) -> bool:
    """A resubmission keeps the evidence file already attached."""
    if set(form.errors) != {"evidence_note"}:
        return False
    del form.errors["evidence_note"]
    return True


def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = _request_or_404(request.user, pk)
    if not item.evidence:
        raise Http404("This request has no evidence file.")
    name = item.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(item.evidence.open("rb"), as_attachment=True, filename=name)


def _register(request: HttpRequest) -> register.Register:
    council = register.council_or_404(request.user, request.GET.get("council"))
    year = register.year_or_404(request.GET.get("year"))
    return register.register(council, year)


def register_page(request: HttpRequest) -> HttpResponse:
    """Debts written off for a council in a financial year, with totals."""
    reg = _register(request)
    return render(
        request,
        "delegation/register.html",
        {
            "reg": reg,
            "by_band": register.totals_rows(reg.bands, reg.debt_types, reg.by_band),
            "by_quarter": register.totals_rows(reg.quarters, reg.debt_types, reg.by_quarter),
            "councils": access.councils_readable(request.user),
            "years": register.years_with_entries(reg.council),
            "titles": dict(reg.debt_types),
            "formats": [(fmt, label) for fmt, (_, _, label) in FORMATS.items()],
            "query": f"council={reg.council.code}&year={reg.year}",
        },
    )


def register_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The register as CSV or Excel: text never becomes a formula."""
    reg = _register(request)
    stem = safe_stem(f"write-offs-{reg.council.code}-{reg.year_label}")
    rows = register.export_rows(reg)
    return table_download(register.EXPORT_COLUMNS, rows, fmt, stem, sheet_title="Write-offs")


def register_report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The Joint Committee's report on write-offs, in any document format."""
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    reg = _register(request)
    document = reports.document(reg.council, reg.year, timezone.localdate())
    return download(document, fmt, f"write-offs-report-{reg.council.code}-{reg.year_label}")
