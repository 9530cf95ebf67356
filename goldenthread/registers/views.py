"""Register pages (signed in). Views parse, authorise and render; :mod:`.changes` writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from goldenthread.core.audit import history_for
from goldenthread.documents.http import table_download
from goldenthread.registers import access, changes, imports, opendata, rules
from goldenthread.registers.forms import ContractForm, GrantForm, ImportForm, WaiverForm

PAGE_SIZE = 50


def _refuse_unless_editor(user) -> None:
    if not access.can_edit(user):
        raise PermissionDenied("Only administrators change the registers.")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    totals = {
        "contracts": access.contracts_visible_to(user).aggregate(n=Count("pk"), v=Sum("value")),
        "waivers": access.waivers_visible_to(user).aggregate(n=Count("pk"), v=Sum("value")),
        "grants": access.grants_visible_to(user).aggregate(n=Count("pk"), v=Sum("amount")),
    }
    return render(
        request,
        "registers/index.html",
        {
            "totals": totals,
            "councils": access.councils_readable(user),
            "can_edit": access.can_edit(user),
        },
    )


def _filters(request: HttpRequest, queryset: QuerySet, *, text_fields: list[str]) -> tuple:
    """Apply the list filters every register shares: council and words."""
    councils = access.councils_readable(request.user)
    council = request.GET.get("council", "")
    if council:
        if not councils.filter(code=council).exists():
            raise Http404("There is no register you may read for that council.")
        queryset = queryset.filter(council__code=council)
    words = request.GET.get("q", "").strip()[:100]
    if words:
        query = Q()
        for name in text_fields:
            query |= Q(**{f"{name}__icontains": words})
        queryset = queryset.filter(query)
    return queryset, {"council": council, "q": words, "councils": councils}


def _page(request: HttpRequest, queryset: QuerySet):
    try:
        return Paginator(queryset, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("There is no such page of the register.") from None


def _query(filters: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in filters.items() if isinstance(v, str) and v})


@require_GET
def contracts(request: HttpRequest) -> HttpResponse:
    queryset, filters = _filters(
        request,
        access.contracts_visible_to(request.user),
        text_fields=["reference", "title", "supplier_name", "department"],
    )
    route = request.GET.get("route", "")
    if route:
        if route not in rules.ROUTE_LABELS:
            raise Http404("Unknown procurement route.")
        queryset = queryset.filter(route=route)
    filters["route"] = route
    over = request.GET.get("published", "")
    if over not in ("", "yes"):
        raise Http404("Unknown filter.")
    if over:
        queryset = queryset.filter(value__gt=rules.PUBLISH_OVER)
    filters["published"] = over
    return render(
        request,
        "registers/contracts.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "routes": rules.ROUTES,
            "query": _query(filters),
            "can_edit": access.can_edit(request.user),
            "sees_withheld": access.sees_withheld(request.user),
        },
    )


def _one(queryset: QuerySet, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("There is no entry you may read here.")
    return found


@require_GET
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.contracts_visible_to(request.user), pk)
    waivers = list(item.waivers.select_related("approver"))
    return render(
        request,
        "registers/contract.html",
        {
            "item": item,
            "waivers": waivers,
            "withheld": rules.redaction_columns(item.redaction.fields, rules.CONTRACT_REDACTABLE),
            "history": history_for([item])[:50]
            if access.sees_withheld(request.user) or not item.withheld
            else [],
            "can_edit": access.can_edit(request.user),
            "sees_withheld": access.sees_withheld(request.user),
        },
    )


def _initial(item, names: list[str]) -> dict[str, Any]:
    initial: dict[str, Any] = {"council": item.council.code, "version": item.version}
    for name in names:
        value = getattr(item, name)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif name == "redacted_fields":
            value = list(rules.split_fields(value))
        elif name in ("contract", "approver"):
            value = value.pk if value else None
        elif hasattr(value, "quantize"):
            value = f"{value:.2f}"
        initial[name] = value
    return initial


def _apply_errors(form, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _edit(
    request: HttpRequest,
    *,
    item,
    form_class,
    save,
    template_title: str,
    kind: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    _refuse_unless_editor(user)
    kwargs = {"councils": access.councils_readable(user), **(extra or {})}
    initial = _initial(item, list(form_class.base_fields)) if item else None
    if initial:
        initial = {k: v for k, v in initial.items() if k in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial, **kwargs)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and item is not None and form.cleaned_data.get("version") is None:
            form.add_error(
                None, "The form is out of date: open the entry again and make your change."
            )
        elif form.is_valid():
            try:
                saved = save(
                    item, form.values(), by=user, expected_version=form.cleaned_data.get("version")
                )
            except changes.EditConflict as exc:
                current = exc.current
                form = form_class(initial=_initial(current, list(form_class.base_fields)), **kwargs)
                form.conflict = str(exc)
                status = 409
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(saved)
    return render(
        request,
        "registers/form.html",
        {
            "form": form,
            "title": template_title,
            "item": item,
            "kind": kind,
            "conflict": getattr(form, "conflict", ""),
        },
        status=status,
    )


def contract_new(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        item=None,
        form_class=ContractForm,
        save=changes.save_contract,
        template_title="Add a contract",
        kind="contract",
    )


def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.contracts_visible_to(request.user), pk)
    return _edit(
        request,
        item=item,
        form_class=ContractForm,
        save=changes.save_contract,
        template_title=f"Change {item.reference}",
        kind="contract",
    )


def _spreadsheet(header: list[str], rows: list[list[str]], fmt: str, stem: str) -> HttpResponse:
    """Rows as CSV or Excel, every cell through documents.cells: never a formula."""
    return table_download(header, rows, fmt, stem, sheet_title=stem.split("-")[0].capitalize())


@require_GET
def contracts_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The register as the user may read it: officers get every field, readers what the
    public gets (withheld fields written REDACTED)."""
    queryset, _ = _filters(
        request,
        access.contracts_visible_to(request.user),
        text_fields=["reference", "title", "supplier_name", "department"],
    )
    publish = not access.sees_withheld(request.user)
    rows = [
        opendata.contract_row(c, publish=publish)
        for c in queryset.order_by("council__code", "reference")
    ]
    return _spreadsheet(rules.CONTRACT_COLUMNS, rows, fmt, "contracts-register")


@require_GET
def grants_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The grants register as the user may read it, as :func:`contracts_export`."""
    queryset, _ = _grants_filtered(request)
    publish = not access.sees_withheld(request.user)
    rows = [
        opendata.grant_row(g, publish=publish, register=True)
        for g in queryset.order_by("council__code", "reference")
    ]
    header = rules.GRANT_COLUMNS + rules.GRANT_REGISTER_EXTRA
    return _spreadsheet(header, rows, fmt, "grants-register")


def _import(request: HttpRequest, *, run, noun: str, columns: list[str], back: str):
    """Upload a register: every row checked first; all imported, or none."""
    _refuse_unless_editor(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["sheet"].label = f"{noun.capitalize()} register (.xlsx or .csv)"
    problems: list = []
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["sheet"]
            try:
                result = run(upload.name, upload, by=request.user)
                status = 200
            except imports.ImportRefused as exc:
                problems = exc.problems
    return render(
        request,
        "registers/import.html",
        {
            "form": form,
            "problems": problems,
            "result": result,
            "columns": columns,
            "noun": noun,
            "back": back,
        },
        status=status,
    )


def contracts_import(request: HttpRequest) -> HttpResponse:
    return _import(
        request,
        run=imports.import_contracts,
        noun="contracts",
        columns=rules.CONTRACT_COLUMNS,
        back="registers:contracts",
    )


def grants_import(request: HttpRequest) -> HttpResponse:
    return _import(
        request,
        run=imports.import_grants,
        noun="grants",
        columns=rules.GRANT_COLUMNS,
        back="registers:grants",
    )


# --- Waivers --------------------------------------------------------------------------------


@require_GET
def waivers(request: HttpRequest) -> HttpResponse:
    queryset, filters = _filters(
        request,
        access.waivers_visible_to(request.user),
        text_fields=["reference", "subject", "reason"],
    )
    return render(
        request,
        "registers/waivers.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "can_edit": access.can_edit(request.user),
        },
    )


@require_GET
def waiver(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.waivers_visible_to(request.user), pk)
    return render(
        request,
        "registers/waiver.html",
        {
            "item": item,
            "history": history_for([item])[:50],
            "can_edit": access.can_edit(request.user),
        },
    )


def _waiver_extra(user) -> dict[str, Any]:
    return {"contracts": access.contracts_visible_to(user).order_by("council__code", "reference")}


def waiver_new(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        item=None,
        form_class=WaiverForm,
        save=changes.save_waiver,
        template_title="Record a procurement waiver",
        kind="waiver",
        extra=_waiver_extra(request.user),
    )


def waiver_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.waivers_visible_to(request.user), pk)
    return _edit(
        request,
        item=item,
        form_class=WaiverForm,
        save=changes.save_waiver,
        template_title=f"Change {item.reference}",
        kind="waiver",
        extra=_waiver_extra(request.user),
    )


# --- Grants ---------------------------------------------------------------------------------


def _grants_filtered(request: HttpRequest) -> tuple[QuerySet, dict[str, Any]]:
    queryset, filters = _filters(
        request,
        access.grants_visible_to(request.user),
        text_fields=["reference", "recipient", "programme", "purpose"],
    )
    voluntary = request.GET.get("voluntary", "")
    if voluntary not in ("", "yes", "no"):
        raise Http404("Unknown filter.")
    if voluntary:
        queryset = queryset.filter(voluntary_body=voluntary == "yes")
    filters["voluntary"] = voluntary
    return queryset, filters


@require_GET
def grants(request: HttpRequest) -> HttpResponse:
    queryset, filters = _grants_filtered(request)
    return render(
        request,
        "registers/grants.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "can_edit": access.can_edit(request.user),
            "sees_withheld": access.sees_withheld(request.user),
        },
    )


@require_GET
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.grants_visible_to(request.user), pk)
    return render(
        request,
        "registers/grant.html",
        {
            "item": item,
            "history": history_for([item])[:50]
            if access.sees_withheld(request.user) or not item.withheld
            else [],
            "withheld": rules.redaction_columns(item.redaction.fields, rules.GRANT_REDACTABLE),
            "can_edit": access.can_edit(request.user),
            "sees_withheld": access.sees_withheld(request.user),
        },
    )


def grant_new(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        item=None,
        form_class=GrantForm,
        save=changes.save_grant,
        template_title="Record a grant",
        kind="grant",
    )


def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _one(access.grants_visible_to(request.user), pk)
    return _edit(
        request,
        item=item,
        form_class=GrantForm,
        save=changes.save_grant,
        template_title=f"Change {item.reference}",
        kind="grant",
    )
