"""Writes of the delegation app: atomic, audited action functions; views only call these.

A request is routed when made (and again when resubmitted) under the scheme version
in force on the day it was made; a decision is taken once, by a holder of a post that
may decide it, against the version the officer read (else :class:`StaleRequest`, 409).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Organisation
from goldenthread.delegation import access, rules
from goldenthread.delegation.models import Consultation, Scheme, WriteOffRequest

STALE_MESSAGE = (
    "Someone else changed this request after you opened it. Nothing was recorded: "
    "read it again below and make your decision on what it says now."
)


class StaleRequest(Exception):
    """The request changed after the officer read it: nothing was written."""

    def __init__(self, current: WriteOffRequest, message: str = STALE_MESSAGE):
        self.current = current
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


def scheme_in_force(council: Organisation, on: date) -> Scheme | None:
    """The council's scheme version in force on ``on`` (adopted on or before that day)."""
    schemes = {s.version: s for s in Scheme.objects.filter(council=council)}
    chosen = rules.in_force(
        (rules.Version(s.version, s.in_force_from) for s in schemes.values()), on
    )
    return schemes[chosen.number] if chosen else None


def _route(scheme: Scheme, debt_type: str, amount: Decimal) -> rules.Routing:
    try:
        return rules.route(scheme.rules, debt_type, amount)
    except rules.AmountError as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    except rules.SchemeError as exc:
        raise ValidationError({"debt_type": "Choose a type of debt the scheme lists."}) from exc


def _apply_routing(request: WriteOffRequest, routing: rules.Routing) -> None:
    request.band = routing.band.label
    request.authority = routing.deciding_post.key
    request.authority_title = routing.deciding_post.title
    request.source = routing.source_text


def _consultations(request: WriteOffRequest, routing: rules.Routing, *, by) -> None:
    for order, consultee in enumerate(routing.consultees, start=1):
        consultation = Consultation.objects.create(
            request=request, order=order, consultee=consultee
        )
        audit.record_creation(consultation, by=by)


def _check_evidence(evidence: UploadedFile | None, note: str) -> None:
    if evidence is None and not note.strip():
        raise ValidationError(
            {"evidence_note": "Attach the evidence or describe it: say why it cannot be recovered."}
        )


@transaction.atomic
def make_request(
    council: Organisation,
    *,
    by,
    debt_type: str,
    debtor: str,
    account_reference: str,
    amount: Decimal,
    reason: str,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
    made_on: datetime | None = None,
) -> WriteOffRequest:
    """Record a write-off request, routed to the post that decides it and its consultees.

    ``made_on`` is now, except for the demo loader recording past requests: it chooses
    the scheme version in force.
    """
    if not access.councils_raisable(by).filter(pk=council.pk).exists():
        raise PermissionDenied("You may not raise write-off requests for this council.")
    made_on = made_on or timezone.now()
    scheme = scheme_in_force(council, timezone.localdate(made_on))
    if scheme is None:
        raise ValidationError(
            {"council": f"{council.name} has no scheme of delegation in force today."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the debt cannot be recovered."})
    _check_evidence(evidence, evidence_note)
    routing = _route(scheme, debt_type, amount)
    request = WriteOffRequest(
        council=council,
        scheme=scheme,
        debt_type=debt_type,
        debtor=debtor.strip(),
        account_reference=account_reference.strip(),
        amount=amount,
        reason=reason.strip(),
        evidence_note=evidence_note.strip(),
        made_by=by,
        made_on=made_on,
        state=rules.State.SUBMITTED,
    )
    _apply_routing(request, routing)
    if evidence is not None:
        request.evidence.save(evidence.name, evidence, save=False)
    request.save()
    audit.record_creation(request, by=by)
    _consultations(request, routing, by=by)
    return request


def _locked(request: WriteOffRequest, event: rules.Event, expected_version: int | None):
    current = WriteOffRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRequest(current)
    try:
        state = rules.next_state(current.state, event)
    except rules.TransitionRefused as exc:
        raise StaleRequest(current, str(exc)) from exc
    return current, state


@transaction.atomic
def decide(
    request: WriteOffRequest,
    event: rules.Event,
    *,
    by,
    note: str = "",
    responses: Sequence[str] = (),
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WriteOffRequest:
    """Write the debt off, refuse it or return it to the officer who asked.

    Writing off needs each consultee's response, in order; refusing or returning needs
    a reason. Only a holder of a post that may decide the request may decide it.
    """
    if event not in (rules.Event.WRITE_OFF, rules.Event.REFUSE, rules.Event.RETURN):
        raise ValueError(f"{event} is not a decision.")
    current, state = _locked(request, event, expected_version)
    if not access.can_decide(by, current):
        raise PermissionDenied("Only the post the scheme names, or a more senior one, decides.")
    consultations = list(current.consultations.order_by("order"))
    if event is rules.Event.WRITE_OFF:
        answers = [r.strip() for r in responses]
        if len(answers) != len(consultations) or not all(answers):
            raise ValidationError(
                {"responses": "Record what each consultee said before writing the debt off."}
            )
    elif not note.strip():
        raise ValidationError({"note": "Say why, for the officer who asked."})
    now = at or timezone.now()
    if event is rules.Event.WRITE_OFF:
        for consultation, answer in zip(consultations, answers, strict=True):
            before = audit.snapshot(consultation)
            consultation.response = answer
            consultation.recorded_on = now
            consultation.save(update_fields=["response", "recorded_on"])
            audit.record_changes(consultation, before, by=by)
    before = audit.snapshot(current)
    current.state = state
    current.decided_by = by
    current.decided_on = now
    current.decided_as = _decided_as(by, current)
    current.decision_note = note.strip()
    current.version += 1
    current.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_on",
            "decided_as",
            "decision_note",
            "version",
        ]
    )
    audit.record_changes(current, before, by=by)
    if event is rules.Event.WRITE_OFF:
        audit.record_event(current, AuditEntry.Verb.APPROVED, by=by, field="written off")
    return current


def _decided_as(user, request: WriteOffRequest) -> str:
    scheme = request.scheme.rules
    held = access.designations(user).get(request.council_id, set())
    posts = [
        p
        for p in scheme.posts
        if p.key in held and rules.may_decide(scheme, request.debt_type, request.amount, p.key)
    ]
    return posts[-1].title if posts else ""


@transaction.atomic
def resubmit(
    request: WriteOffRequest,
    *,
    by,
    debt_type: str,
    debtor: str,
    account_reference: str,
    amount: Decimal,
    reason: str,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
    expected_version: int | None = None,
) -> WriteOffRequest:
    """Send a returned request back for decision, changed; routed again under its own
    scheme (the one in force when it was first made)."""
    current, state = _locked(request, rules.Event.RESUBMIT, expected_version)
    if not access.can_resubmit(by, current):
        raise PermissionDenied("Only the officer who made the request may resubmit it.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the debt cannot be recovered."})
    _check_evidence(evidence if evidence is not None else (current.evidence or None), evidence_note)
    routing = _route(current.scheme, debt_type, amount)
    before = audit.snapshot(current)
    current.debt_type = debt_type
    current.debtor = debtor.strip()
    current.account_reference = account_reference.strip()
    current.amount = amount
    current.reason = reason.strip()
    current.evidence_note = evidence_note.strip()
    if evidence is not None:
        current.evidence.save(evidence.name, evidence, save=False)
    _apply_routing(current, routing)
    current.state = state
    current.decided_by = None
    current.decided_on = None
    current.decided_as = ""
    current.version += 1
    current.save()
    audit.record_changes(current, before, by=by)
    for consultation in current.consultations.all():
        audit.record_event(consultation, AuditEntry.Verb.DELETED, by=by, old=str(consultation))
    current.consultations.all().delete()
    _consultations(current, routing, by=by)
    return current
