"""Correcting an approved update of a period no longer open: proposed by a lead, approved in turn.

Views parse, authorise and render; the rules are in :mod:`goldenthread.plans.changes`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from goldenthread.plans import access, changes, rules
from goldenthread.plans.forms import CorrectionForm, ReturnForm
from goldenthread.plans.models import Milestone, ProgressUpdate, UpdateCorrection
from goldenthread.plans.views import render_approvals

_RELATED = ("period", "action__plan__owner", "milestone__action__plan__owner")


def _action_url(update: ProgressUpdate) -> str:
    subject = update.subject
    action = subject.action if isinstance(subject, Milestone) else subject
    return action.get_absolute_url()


def correct_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead's form to correct an approved update of a closed period, with a reason."""
    update = get_object_or_404(ProgressUpdate.objects.select_related(*_RELATED), pk=pk)
    subject = update.subject
    if not access.can_see(request.user, subject):
        raise Http404("No such update.")
    if not access.can_update(request.user, subject):
        raise PermissionDenied("Only the item's lead or an administrator may correct it.")
    plan = subject.plan
    if update.state != rules.APPROVED_STATE or plan.reporting_period_id == update.period_id:
        raise Http404("Only an approved update of a period no longer open is corrected.")
    form = CorrectionForm(
        request.POST or None,
        plan=plan,
        initial={
            "status": update.status,
            "percent_complete": update.percent_complete,
            "progress": update.progress,
            "next_steps": update.next_steps,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes.propose_correction(update, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Your correction of the {update.period} update is awaiting approval. "
                "The approved update stands until then.",
            )
            return redirect(_action_url(update))
    return render(
        request,
        "plans/correction_form.html",
        {"update": update, "subject": subject, "plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def decide_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return a correction: by an approver in scope, as the version read."""
    correction = get_object_or_404(
        UpdateCorrection.objects.select_related(*(f"update__{r}" for r in _RELATED)), pk=pk
    )
    subject = correction.update.subject
    if not access.can_see(request.user, subject):
        raise Http404("No such correction.")
    if not access.can_approve(request.user, subject):
        raise PermissionDenied("Only an approver of the plan's organisation may decide.")
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError) as exc:
        raise BadRequest("The form did not say which version you read.") from exc
    try:
        if "return" in request.POST:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Say what the lead should change before returning it.")
                return redirect("plans:approvals")
            changes.return_correction(
                correction,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=version,
            )
            messages.success(request, f"Returned the correction of {subject} to its lead.")
        else:
            changes.approve_correction(correction, by=request.user, expected_version=version)
            messages.success(request, f"Approved the correction of {subject}.")
    except changes.ApprovalConflict as exc:
        return render_approvals(request, conflict=exc, status=409)
    return redirect("plans:approvals")
