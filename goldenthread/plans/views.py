"""Plan pages and the leads' update journey. Views parse, authorise and render."""

from __future__ import annotations

import logging
import smtplib

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from goldenthread.core.access import Role, grants_of
from goldenthread.core.audit import history_for
from goldenthread.core.home import panels_for
from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import PeriodError, parse_period, period_containing
from goldenthread.plans import (
    access,
    approval_cards,
    changes,
    imports,
    periods,
    reading,
    rounds,
)
from goldenthread.plans.forms import (
    DecisionForm,
    OpenPeriodForm,
    PlanImportForm,
    PublishPeriodForm,
    ReminderForm,
    ReturnForm,
    RevisionForm,
    UpdateForm,
)
from goldenthread.plans.models import (
    Action,
    DeadlineRevision,
    Milestone,
    Plan,
    ProgressUpdate,
    UpdateCorrection,
)

logger = logging.getLogger(__name__)


def _plan_for(request: HttpRequest, code: str) -> Plan:
    return get_object_or_404(access.visible_plans(request.user), code=code)


def _period_from(request: HttpRequest, plan: Plan) -> Period | None:
    """The period asked for, if the user may see it (readers: published ones only), else
    the plan's default: the latest published period."""
    text = request.GET.get("period")
    if not text:
        return reading.default_period(plan, request.user)
    try:
        key = parse_period(text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    for shown in reading.visible_periods(request.user, plan):
        if shown.period.key == key:
            return shown.period
    raise Http404(f"{key.code} of {plan.title} has not been reported.")


def _subject(kind: str, pk: int) -> Action | Milestone:
    model = Milestone if kind == "milestone" else Action
    related = "action__plan__owner" if model is Milestone else "plan__owner"
    return get_object_or_404(model.objects.select_related(related), pk=pk)


def _visible_subject(request: HttpRequest, kind: str, pk: int) -> Action | Milestone:
    subject = _subject(kind, pk)
    if not access.can_see(request.user, subject):
        raise Http404("No such item.")
    return subject


def _add_errors(form, exc: ValidationError) -> None:
    """Show a domain rule's errors on the form, by field where the form has it."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def home(request: HttpRequest) -> HttpResponse:
    """My updates due this period, what awaits my approval, and my plans at a glance."""
    grants = grants_of(request.user)
    due = []
    plans = access.visible_plans(request.user).filter(reporting_period__isnull=False)
    for plan in plans:
        period = plan.reporting_period
        for state in rounds.items_due(request.user, plan, period):
            due.append({"plan": plan, "period": period, "item": state.item, "state": state})
    return render(
        request,
        "plans/home.html",
        {
            "due": due,
            "approvals": access.updates_awaiting_approval(request.user)[:50],
            "glances": reading.at_a_glance(
                access.visible_plans(request.user),
                access.visible_actions(request.user),
                user=request.user,
            ),
            "is_lead": grants.has(Role.LEAD),
            "panels": panels_for(request.user),
        },
    )


def _kind(item: Action | Milestone) -> str:
    return "milestone" if isinstance(item, Milestone) else "action"


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": access.visible_plans(request.user),
            "can_import": grants_of(request.user).is_administrator,
        },
    )


def plan_import(request: HttpRequest) -> HttpResponse:
    """Administrators take in a plan from a spreadsheet; nothing is saved unless all rows pass."""
    if not grants_of(request.user).is_administrator:
        raise PermissionDenied("Only administrators import plans.")
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            table = imports.read_table(upload.name, upload)
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            result = imports.import_plan(
                table,
                by=request.user,
                code=data["code"],
                title=data["title"],
                kind=data["kind"],
                owner=data["owner"],
                status_scale=data["status_scale"],
            )
            if result.plan:
                messages.success(request, f"Imported {result.rows} actions into {result.plan}.")
                return redirect(result.plan.get_absolute_url())
            problems = result.errors
    return render(
        request,
        "plans/import.html",
        {"form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _visible_subject(request, "action", pk)
    plan = action.plan
    people = ("submitted_by", "approved_by", "returned_by")
    updates = list(action.updates.select_related("period", *people))
    milestones = list(
        action.milestones.prefetch_related(
            "updates__period", *(f"updates__{p}" for p in people), "revisions", "lead_posts"
        )
    )
    revisions = list(
        DeadlineRevision.objects.filter(Q(action=action) | Q(milestone__action=action))
        .select_related("milestone", "proposed_by", "decided_by")
        .order_by("proposed_on")
    )
    tracked = [action, *milestones, *updates, *revisions]
    for milestone in milestones:
        tracked.extend(milestone.updates.all())
    all_updates = [u for u in tracked if isinstance(u, ProgressUpdate)]
    returned = [u for u in all_updates if u.state == ProgressUpdate.State.RETURNED]
    can_update = access.can_update(request.user, action)
    can_approve = access.can_approve(request.user, action)
    corrections = list(
        UpdateCorrection.objects.filter(update__in=all_updates)
        .select_related("update__period", "proposed_by", "decided_by")
        .order_by("proposed_on", "pk")
    )
    tracked.extend(corrections)
    # Readers see the updates of published periods only: the round is a draft.
    reader_periods = (
        None
        if can_update or can_approve or reading.may_see_drafts(request.user, plan)
        else {p.period_id for p in reading.plan_periods(plan) if p.is_published}
    )
    if reader_periods is not None:
        # Nor does the change history give away a draft's values or its return.
        tracked = [t for t in tracked if _in_periods(t, reader_periods)]
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "updates": sorted(updates, key=lambda u: u.period.key, reverse=True),
            "milestones": milestones,
            "revisions": revisions,
            # The return is the lead's and approvers' business, not a reader's.
            "returned": returned if can_update or can_approve else [],
            "corrections": corrections,
            "history": history_for(tracked)[:200],
            "can_update": can_update,
            "can_approve": can_approve,
            "milestone_rights": access.updatable_milestones(request.user, action, milestones),
            "reader_periods": reader_periods,
        },
    )


def _in_periods(record, period_ids: set[int]) -> bool:
    """An update or a correction of an update belongs to a period; anything else to none."""
    if isinstance(record, ProgressUpdate):
        return record.period_id in period_ids
    if isinstance(record, UpdateCorrection):
        return record.update.period_id in period_ids
    return True


def update_form(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _visible_subject(request, kind, pk)
    if not access.can_update(request.user, subject):
        raise PermissionDenied("Only the item's lead or an administrator may update it.")
    plan = subject.action.plan if isinstance(subject, Milestone) else subject.plan
    period = _update_period(request, plan)
    current = changes.update_for(subject, period, with_people=True)
    previous = changes.previous_update(subject, period)
    conflict = None
    if request.method == "POST":
        form = UpdateForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changes.record_update(
                    subject,
                    period,
                    by=request.user,
                    status=data["status"],
                    percent_complete=data["percent_complete"],
                    progress=data["progress"],
                    next_steps=data["next_steps"],
                    expected_version=data["version"],
                )
            except changes.EditConflict as exc:
                conflict = exc
                current = exc.current
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Your update for {period} has been saved.")
                if "and_next" in request.POST:
                    return _to_next_due(request, plan, period)
                action = subject.action if isinstance(subject, Milestone) else subject
                return redirect(action.get_absolute_url())
    else:
        start = current or previous
        form = UpdateForm(
            plan=plan,
            initial={
                "status": start.status if start else "",
                "percent_complete": start.percent_complete if start else None,
                "progress": start.progress if start else "",
                "next_steps": start.next_steps if start else "",
                "version": current.version if current else 0,
            },
        )
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(
        request,
        "plans/update_form.html",
        {
            "plan": plan,
            "subject": subject,
            "kind": kind,
            "period": period,
            "form": form,
            "current": current,
            "previous": previous,
            "conflict": conflict,
            "returned": current
            if current and current.state == ProgressUpdate.State.RETURNED
            else None,
            "prefilled_from": previous if current is None and previous else None,
        },
        status=status,
    )


def _to_next_due(request: HttpRequest, plan: Plan, period: Period) -> HttpResponse:
    """The form of the user's next item still to update in this plan, or home when none."""
    due = rounds.items_due(request.user, plan, period)
    if not due:
        messages.info(request, f"You have given all your {plan.title} updates for {period}.")
        return redirect("home")
    item = due[0].item
    url = reverse("plans:update", args=[_kind(item), item.pk])
    return redirect(f"{url}?{urlencode({'period': period.code})}")


def _update_period(request: HttpRequest, plan: Plan) -> Period:
    """The period open for updates; any other period named answers 404."""
    if plan.reporting_period is None:
        raise Http404("This plan is not open for updates.")
    text = request.GET.get("period") or request.POST.get("period")
    if text:
        try:
            key = parse_period(text)
        except PeriodError as exc:
            raise Http404(str(exc)) from exc
        if key != plan.reporting_period.key:
            open_now = plan.reporting_period.code
            raise Http404(f"Only {open_now} is open for updates on this plan, not {key.code}.")
    return plan.reporting_period


def _version(request: HttpRequest) -> int:
    """The version the approver read, from the form; a missing or bad one answers 400."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError) as exc:
        raise BadRequest("The form did not say which version you read.") from exc


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return a submitted update: by an approver in scope, as the version read."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related(
            "period", "action__plan__owner", "milestone__action__plan__owner"
        ),
        pk=pk,
    )
    subject = update.subject
    if not access.can_see(request.user, subject):
        raise Http404("No such update.")
    if not access.can_approve(request.user, subject):
        raise PermissionDenied("Only an approver of the plan's organisation may approve.")
    version = _version(request)
    try:
        if "return" in request.POST:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Say what the lead should change before returning it.")
                return redirect("plans:approvals")
            reason = form.cleaned_data["reason"]
            update = changes.return_update(
                update, by=request.user, reason=reason, expected_version=version
            )
            _tell_lead_of_return(request, update, reason)
        else:
            changes.approve_update(update, by=request.user, expected_version=version)
            messages.success(request, f"Approved the {update.period} update on {subject}.")
    except changes.ApprovalConflict as exc:
        return render_approvals(request, conflict=exc, status=409)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("plans:approvals")
    return redirect(target)


def _tell_lead_of_return(request: HttpRequest, update: ProgressUpdate, reason: str) -> None:
    subject = update.subject
    try:
        told = rounds.notify_returned(
            update, reason, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not email the leads of %s", subject)
        told = None
    if told is None:
        messages.warning(
            request,
            f"Returned {subject} for changes, but the email to its lead could not be sent: "
            "tell them yourself.",
        )
    else:
        sent = f" and emailed {', '.join(told)}" if told else ""
        messages.success(request, f"Returned {subject} for changes{sent}.")


def approvals(request: HttpRequest) -> HttpResponse:
    grants = grants_of(request.user)
    if not (grants.is_administrator or grants.has(Role.APPROVER)):
        raise PermissionDenied("Only approvers approve updates.")
    return render_approvals(request)


def render_approvals(request: HttpRequest, *, conflict=None, status: int = 200) -> HttpResponse:
    conflict_card = None
    if conflict is not None and isinstance(conflict.current, ProgressUpdate):
        conflict_card = approval_cards.update_cards([conflict.current])[0]
    return render(
        request,
        "plans/approvals.html",
        {
            "cards": approval_cards.update_cards(access.updates_awaiting_approval(request.user)),
            "revisions": list(access.revisions_awaiting_decision(request.user)),
            "corrections": approval_cards.correction_cards(
                access.corrections_awaiting_approval(request.user)
            ),
            "conflict": conflict,
            "conflict_card": conflict_card,
        },
        status=status,
    )


def propose_revision(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _visible_subject(request, kind, pk)
    if not access.can_update(request.user, subject):
        raise PermissionDenied("Only the item's lead or an administrator may propose a date.")
    form = RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.propose_revision(subject, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The revised date has been proposed for agreement.")
            action = subject.action if isinstance(subject, Milestone) else subject
            return redirect(action.get_absolute_url())
    return render(
        request,
        "plans/revision_form.html",
        {
            "subject": subject,
            "form": form,
            "current": changes.current_deadline(subject),
            "current_text": changes.current_deadline_text(subject),
        },
        status=400 if request.method == "POST" else 200,
    )


def _last_board(plan: Plan) -> str:
    """The board that last decided a revised date of the plan: its dates go to it again."""
    last = (
        DeadlineRevision.objects.filter(Q(action__plan=plan) | Q(milestone__action__plan=plan))
        .exclude(board="")
        .order_by("-decided_on", "-pk")
        .values_list("board", flat=True)
        .first()
    )
    return last or ""


def decide_revision(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a board's decision on a proposed date: once, by an approver in scope."""
    revision = get_object_or_404(
        DeadlineRevision.objects.select_related(
            "action__plan__owner", "milestone__action__plan__owner", "proposed_by"
        ),
        pk=pk,
    )
    if not access.can_see(request.user, revision.subject):
        raise Http404("No such revised date.")
    if not access.can_approve(request.user, revision.subject):
        raise PermissionDenied("Only an approver of the plan's organisation may decide.")
    form = DecisionForm(
        request.POST or None,
        initial={"version": revision.version, "board": _last_board(revision.subject.plan)},
    )
    conflict = None
    if revision.decision != DeadlineRevision.Decision.PROPOSED and request.method != "POST":
        conflict = changes.ApprovalConflict(revision, "This revised date has already been decided.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.decide_revision(
                revision,
                by=request.user,
                agreed=data["decision"] == "agreed",
                board=data["board"],
                decided_on=data["decided_on"],
                expected_version=data["version"],
            )
        except changes.ApprovalConflict as exc:
            conflict = exc
            revision = exc.current
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The board's decision has been recorded.")
            return redirect("plans:approvals")
    status = 200
    if request.method == "POST":
        status = 409 if conflict else 400
    return render(
        request,
        "plans/decision_form.html",
        {"revision": revision, "form": form, "conflict": conflict},
        status=status,
    )


def golden_thread_index(request: HttpRequest) -> HttpResponse:
    scope = grants_of(request.user).partner_scope
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    if scope is not None:
        partners = partners.filter(pk__in=scope)
    first = partners.order_by("code").first()
    if first is None:
        raise Http404("No partner councils are set up yet.")
    return redirect("plans:golden_thread", partner=first.code)


def golden_thread(request: HttpRequest, partner: str) -> HttpResponse:
    """A partner's corporate priorities → the actions serving them → their latest status."""
    organisation = get_object_or_404(Organisation, code=partner, kind=Organisation.Kind.PARTNER)
    scope = grants_of(request.user).partner_scope
    if scope is not None and organisation.pk not in scope:
        raise PermissionDenied("You can see the golden thread of your own council only.")
    actions = (
        access.visible_actions(request.user)
        .filter(corporate_priorities__organisation=organisation)
        .select_related("plan__reporting_period", "section")
        .prefetch_related("partners", "corporate_priorities", "updates__period", "lead_posts")
        .distinct()
    )
    positions = reading.latest_positions(request.user, actions)
    by_priority: dict[int, list] = {}
    for action in actions:
        period, row = positions[action.pk]
        for priority in action.corporate_priorities.all():
            if priority.organisation_id == organisation.pk:
                by_priority.setdefault(priority.pk, []).append(
                    {"action": action, "period": period, "row": row}
                )
    priorities = [
        {"priority": p, "actions": by_priority.get(p.pk, [])}
        for p in organisation.corporate_priorities.order_by("order")
    ]
    return render(
        request,
        "plans/golden_thread.html",
        {
            "organisation": organisation,
            "priorities": priorities,
            "partners": Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
            if scope is None
            else Organisation.objects.filter(pk__in=scope),
        },
    )


# -- the update round: who owes updates, chasing them, opening the next period -----------------


def _round_plan(request: HttpRequest, code: str) -> Plan:
    plan = _plan_for(request, code)
    if not grants_of(request.user).is_administrator:
        raise PermissionDenied("Only administrators run the update round.")
    return plan


def _period_choices(plan: Plan) -> list[tuple[str, str]]:
    """The open period, the one after it and the one after that (or this quarter's)."""
    open_now = plan.reporting_period
    start = open_now.key if open_now else period_containing(timezone.localdate())
    keys = [start, start.next(), start.next().next()]
    labels = ["open now", "next", "the one after"] if open_now else ["", "", ""]
    return [
        (k.code, f"{k.code} – {k.long_label}" + (f" ({label})" if label else ""))
        for k, label in zip(keys, labels, strict=True)
    ]


def update_round(request: HttpRequest, code: str) -> HttpResponse:
    """The period's updates by lead: given, awaiting approval, returned and not started."""
    plan = _round_plan(request, code)
    open_form = OpenPeriodForm(
        choices=_period_choices(plan),
        initial={
            "period": plan.reporting_period.code if plan.reporting_period else None,
            "updates_due_by": plan.updates_due_by,
        },
    )
    return _render_round(request, plan, open_form=open_form)


def _render_round(request, plan, *, open_form=None, reminder_form=None, status=200):
    the_round = rounds.round_for(plan, plan.reporting_period) if plan.reporting_period else None
    if open_form is None:
        open_form = OpenPeriodForm(choices=_period_choices(plan))
    if reminder_form is None and the_round:
        reminder_form = ReminderForm(choices=_lead_choices(the_round))
    return render(
        request,
        "plans/round.html",
        {
            "plan": plan,
            "round": the_round,
            "open_form": open_form,
            "reminder_form": reminder_form,
            "reminder_days": rounds.reminder_days(plan),
            "plan_periods": reading.plan_periods(plan),
        },
        status=status,
    )


# -- a plan's periods: open → closed → published -------------------------------------------------


def _plan_period(plan: Plan, text: str):
    try:
        key = parse_period(text or "")
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    found = next((p for p in reading.plan_periods(plan) if p.period.key == key), None)
    if found is None:
        raise Http404(f"{key.code} has not been opened for {plan.title}.")
    return found


@require_POST
def close_period(request: HttpRequest, code: str) -> HttpResponse:
    """End the round: no more updates; readers still see the last published period."""
    plan = _round_plan(request, code)
    found = _plan_period(plan, request.POST.get("period", ""))
    try:
        periods.close_period(plan, found.period, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{found.period.code} is closed: no more updates. Publish it when ready."
        )
    return redirect("plans:round", code=plan.code)


def publish_period(request: HttpRequest, code: str) -> HttpResponse:
    """What publishing would report as missing, and an explicit confirmation if anything is."""
    plan = _round_plan(request, code)
    found = _plan_period(plan, request.GET.get("period") or request.POST.get("period", ""))
    if found.is_published:
        raise Http404(f"{found.period.code} has been published already.")
    completeness = periods.completeness(plan, found.period)
    form = PublishPeriodForm(request.POST or None, needs_confirmation=bool(completeness.missing))
    if request.method == "POST" and form.is_valid():
        try:
            periods.publish_period(
                plan, found.period, by=request.user, confirmed=form.cleaned_data["confirm"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"{found.period.code} is published: readers now see it for {plan.title}."
            )
            return redirect(f"{plan.get_absolute_url()}?{urlencode({'period': found.period.code})}")
    return render(
        request,
        "plans/publish_period.html",
        {"plan": plan, "plan_period": found, "completeness": completeness, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _lead_choices(the_round: rounds.Round) -> list[tuple[int, str]]:
    return [(lead.post.pk, lead.post.title) for lead in the_round.leads]


@require_POST
def send_reminders(request: HttpRequest, code: str) -> HttpResponse:
    plan = _round_plan(request, code)
    if plan.reporting_period is None:
        raise Http404("No period is open for updates.")
    the_round = rounds.round_for(plan, plan.reporting_period)
    form = ReminderForm(request.POST, choices=_lead_choices(the_round))
    if form.is_valid():
        try:
            sent = rounds.send_reminders(plan, form.cleaned_data["leads"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.message_dict["leads"])
        except (smtplib.SMTPException, OSError):
            logger.exception("Reminders for %s could not be sent", plan.code)
            form.add_error(None, "The email could not be sent. Try again later.")
        else:
            names = ", ".join(r.person.get_full_name() or r.person.username for r in sent)
            people = "person" if len(sent) == 1 else "people"
            messages.success(request, f"Reminders sent to {len(sent)} {people}: {names}.")
            return redirect("plans:round", code=plan.code)
    return _render_round(request, plan, reminder_form=form, status=400)


@require_POST
def open_period(request: HttpRequest, code: str) -> HttpResponse:
    plan = _round_plan(request, code)
    form = OpenPeriodForm(request.POST, choices=_period_choices(plan))
    if form.is_valid():
        period = Period.objects.for_key(parse_period(form.cleaned_data["period"]))
        try:
            due_by = form.cleaned_data["updates_due_by"] or rounds.default_due_by(period)
            periods.open_period(plan, period, due_by, by=request.user)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name, errors)
        else:
            messages.success(request, f"{period.code} is open for updates.")
            return redirect("plans:round", code=plan.code)
    return _render_round(request, plan, open_form=form, status=400)
