"""Commercial pipeline pages (signed in). Views parse, authorise and render;
:mod:`.changes` writes and :mod:`.reports` builds the documents."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldenthread.commercial import access, changes, reports, rules
from goldenthread.commercial.forms import CaseForm, OpportunityForm, StageForm, TestForm
from goldenthread.commercial.models import BusinessCase, Opportunity
from goldenthread.core.audit import history_for
from goldenthread.documents.http import download
from goldenthread.documents.render import FORMATS
from goldenthread.plans import access as plan_access
from goldenthread.plans import reading

DOCUMENT_FORMATS = ("docx", "pdf", "html")
ZERO = Decimal("0.00")


def _refuse_unless_editor(user) -> None:
    if not access.can_edit(user):
        raise PermissionDenied("Only administrators and leads of the shared service do this.")


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    found = access.visible_to(request.user).prefetch_related("partners").filter(pk=pk).first()
    if found is None:
        raise Http404("There is no opportunity you may read here.")
    return found


def _format(fmt: str) -> str:
    if fmt not in DOCUMENT_FORMATS or fmt not in FORMATS:
        raise Http404("Unknown document format.")
    return fmt


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    opportunities = list(
        access.visible_to(request.user).prefetch_related("partners").order_by("reference")
    )
    totals = access.visible_to(request.user).aggregate(
        income=Sum("estimated_income", default=ZERO), costs=Sum("estimated_costs", default=ZERO)
    )
    return render(
        request,
        "commercial/index.html",
        {
            "opportunities": opportunities,
            "totals": totals,
            "surplus": rules.surplus(totals["income"], totals["costs"]),
            "can_edit": access.can_edit(request.user),
            "stages": rules.STAGE_LABELS,
        },
    )


def _stage_rows(opportunity: Opportunity, records: dict) -> list[dict]:
    """Each stage of the opportunity's route, with its tests and what is recorded."""
    route = rules.sequence(opportunity.one_off)
    place = route.index(rules.Stage(opportunity.stage))
    rows = []
    for number, stage in enumerate(route):
        tests = [
            {"test": rules.TESTS[key], "record": records.get(key)}
            for key in rules.tests_for(stage, opportunity.one_off)
        ]
        case = rules.case_for(stage, opportunity.one_off)
        rows.append(
            {
                "stage": stage,
                "label": rules.STAGE_LABELS[stage],
                "state": "done" if number < place else "current" if number == place else "to come",
                "tests": tests,
                "case": rules.CASE_PHASE_LABELS[case] if case else "",
                "decided_by": rules.decided_by(stage, opportunity.one_off),
            }
        )
    return rows


def _linked_actions(request: HttpRequest, opportunity: Opportunity) -> list[dict]:
    actions = (
        plan_access.visible_actions(request.user)
        .filter(pk__in=opportunity.actions.values("pk"))
        .select_related("plan__reporting_period", "section")
        .prefetch_related("partners", "updates__period")
    )
    positions = reading.latest_positions(request.user, actions)
    return [{"action": a, "period": positions[a.pk][0], "row": positions[a.pk][1]} for a in actions]


def _render_opportunity(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    problem: str = "",
    test_form: TestForm | None = None,
    stage_form: StageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    records = {r.test: r for r in opportunity.tests.all()}
    following = rules.next_stage(opportunity.stage, opportunity.one_off)
    cases = {c.phase: c for c in opportunity.business_cases.all()}
    refusal = None
    if following is not None:
        refusal = rules.refusal(
            opportunity.stage, opportunity.one_off, records, cases, following.value
        )
    if stage_form is None and following is not None:
        stage_form = StageForm(
            initial={
                "to_stage": following.value,
                "decided_by": rules.decided_by(opportunity.stage, opportunity.one_off),
                "version": opportunity.version,
            }
        )
    objects = [opportunity, *records.values(), *cases.values()]
    return render(
        request,
        "commercial/opportunity.html",
        {
            "opportunity": opportunity,
            "stages": _stage_rows(opportunity, records),
            "current_tests": [
                {"test": rules.TESTS[key], "record": records.get(key)}
                for key in rules.tests_for(opportunity.stage, opportunity.one_off)
            ],
            "following": following,
            "following_label": rules.STAGE_LABELS[following] if following else "",
            "refusal": refusal,
            "problem": problem,
            "test_form": test_form,
            "stage_form": stage_form,
            "cases": [
                {"phase": p, "label": rules.CASE_PHASE_LABELS[p], "case": cases.get(p.value)}
                for p in rules.CasePhase
            ],
            "changes": opportunity.stage_changes.all(),
            "linked": _linked_actions(request, opportunity),
            "history": history_for(objects)[:50],
            "can_edit": access.can_edit(request.user),
            "route": rules.proportion_label(opportunity.one_off),
        },
        status=status,
    )


@require_GET
def opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_opportunity(request, _opportunity(request, pk))


def _actions_for(request: HttpRequest):
    return (
        plan_access.visible_actions(request.user)
        .select_related("plan")
        .order_by("plan__code", "ref")
    )


@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    _refuse_unless_editor(request.user)
    form = OpportunityForm(request.POST or None, actions=_actions_for(request))
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if Opportunity.objects.filter(reference=values["reference"]).exists():
            form.add_error("reference", "An opportunity already has that reference.")
        else:
            created = changes.save_opportunity(None, values, by=request.user)
            return redirect(created)
    return render(
        request,
        "commercial/form.html",
        {"form": form, "title": "Add an opportunity"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _opportunity(request, pk)
    _refuse_unless_editor(request.user)
    initial = {
        "reference": item.reference,
        "title": item.title,
        "client": item.client,
        "client_kind": item.client_kind,
        "service": item.service_id,
        "partners": list(item.partners.all()),
        "description": item.description,
        "one_off": "yes" if item.one_off else "no",
        "estimated_income": item.estimated_income,
        "estimated_costs": item.estimated_costs,
        "actions": list(item.actions.all()),
        "version": item.version,
    }
    form = OpportunityForm(request.POST or None, initial=initial, actions=_actions_for(request))
    conflict = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        values = form.values()
        clash = Opportunity.objects.filter(reference=values["reference"]).exclude(pk=item.pk)
        if clash.exists():
            form.add_error("reference", "An opportunity already has that reference.")
        else:
            # Actions the editor cannot see stay linked: the form only offers visible ones.
            hidden = item.actions.exclude(pk__in=_actions_for(request).values("pk"))
            values["actions"] = [*values["actions"], *hidden]
            try:
                saved = changes.save_opportunity(
                    item, values, by=request.user, expected_version=form.cleaned_data["version"]
                )
            except changes.EditConflict:
                conflict, status = changes.CONFLICT_MESSAGE, 409
            except PermissionDenied as exc:
                form.add_error("one_off", str(exc))
            else:
                return redirect(saved)
    if form.errors:
        status = 400
    return render(
        request,
        "commercial/form.html",
        {"form": form, "title": f"Change {item.reference}", "conflict": conflict},
        status=status,
    )


@require_POST
def record_test(request: HttpRequest, pk: int) -> HttpResponse:
    item = _opportunity(request, pk)
    _refuse_unless_editor(request.user)
    form = TestForm(request.POST)
    if not form.is_valid():
        return _render_opportunity(request, item, test_form=form, status=400)
    if form.cleaned_data["test"] not in rules.tests_for(item.stage, item.one_off):
        return _render_opportunity(
            request,
            item,
            problem=f"{rules.TESTS[form.cleaned_data['test']].title} is not a test of the "
            f"stage {item.stage_label}.",
            status=400,
        )
    try:
        changes.record_test(
            item,
            form.cleaned_data["test"],
            form.cleaned_data["evidence"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except changes.EditConflict as exc:
        return _render_opportunity(
            request, exc.current, problem=changes.CONFLICT_MESSAGE, status=409
        )
    return redirect(item.get_absolute_url() + "#tests")


@require_POST
def move_stage(request: HttpRequest, pk: int) -> HttpResponse:
    item = _opportunity(request, pk)
    _refuse_unless_editor(request.user)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _render_opportunity(request, item, stage_form=form, status=400)
    data = form.cleaned_data
    try:
        changes.move_stage(
            item,
            data["to_stage"],
            by=request.user,
            expected_version=data["version"],
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
            note=data["note"],
        )
    except changes.EditConflict as exc:
        return _render_opportunity(
            request, exc.current, problem=changes.CONFLICT_MESSAGE, status=409
        )
    except rules.StageRefused as exc:
        return _render_opportunity(request, item, problem=str(exc), status=400)
    return redirect(item)


def _phase(phase: str) -> rules.CasePhase:
    try:
        return rules.CasePhase(phase)
    except ValueError:
        raise Http404("There is no such business case.") from None


@require_GET
def case(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    item = _opportunity(request, pk)
    found = BusinessCase.objects.filter(opportunity=item, phase=_phase(phase)).first()
    if found is None:
        if access.can_edit(request.user) and not item.one_off:
            return redirect("commercial:case_edit", pk=item.pk, phase=phase)
        raise Http404("That business case is not written yet.")
    sections = [
        {"heading": heading, "question": question, "text": getattr(found, name)}
        for name, heading, question in rules.FIVE_CASES
    ]
    return render(
        request,
        "commercial/case.html",
        {
            "opportunity": item,
            "case": found,
            "label": rules.CASE_PHASE_LABELS[_phase(phase)],
            "sections": sections,
            "can_edit": access.can_edit(request.user),
            "formats": [(f, FORMATS[f][2]) for f in ("docx", "pdf")],
        },
    )


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    item = _opportunity(request, pk)
    _refuse_unless_editor(request.user)
    chosen = _phase(phase)
    if item.one_off:
        raise Http404('A "one off" request has a brief analysis, not a business case.')
    found = BusinessCase.objects.filter(opportunity=item, phase=chosen).first()
    initial = {"version": found.version if found else 0}
    if found is not None:
        initial |= {name: getattr(found, name) for name, _h, _q in rules.FIVE_CASES}
    form = CaseForm(request.POST or None, initial=initial)
    conflict, status = "", 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name, _h, _q in rules.FIVE_CASES}
        version = form.cleaned_data["version"]
        try:
            saved = changes.save_case(
                item,
                chosen.value,
                values,
                by=request.user,
                expected_version=version if found is not None or version else None,
            )
        except changes.EditConflict:
            conflict, status = changes.CONFLICT_MESSAGE, 409
        else:
            return redirect(saved)
    if form.errors:
        status = 400
    return render(
        request,
        "commercial/form.html",
        {
            "form": form,
            "title": f"{rules.CASE_PHASE_LABELS[chosen]}: {item.reference}",
            "conflict": conflict,
        },
        status=status,
    )


@require_GET
def case_document(request: HttpRequest, pk: int, phase: str, fmt: str) -> HttpResponse:
    item = _opportunity(request, pk)
    found = BusinessCase.objects.filter(opportunity=item, phase=_phase(phase)).first()
    if found is None:
        raise Http404("That business case is not written yet.")
    document = reports.business_case_document(found)
    return download(document, _format(fmt), f"business-case-{item.reference}-{phase}")


@require_GET
def activity_report(request: HttpRequest, fmt: str) -> HttpResponse:
    subject = request.GET.get("subject", reports.ALL)[:20]
    opportunities = list(reports.opportunities_for(subject, request.user))
    if subject != reports.ALL and not opportunities:
        raise Http404("There are no commercial opportunities you may read for that council.")
    document = reports.activity_document(subject, opportunities)
    return download(document, _format(fmt), f"commercial-activity-{subject}")
