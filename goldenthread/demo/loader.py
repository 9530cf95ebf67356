"""Load the seeds' partnership from the data files under ``data/``.

The loader writes through the same models and audit trail as the app; the
demo's history shows the "demo loader" as the author of every row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from goldenthread.core import audit
from goldenthread.core.models import (
    CorporatePriority,
    ImprovementPriority,
    Organisation,
    Period,
    Post,
    RoleGrant,
    Service,
)
from goldenthread.plans.changes import posts_for_lead as _posts
from goldenthread.plans.models import (
    Action,
    DeadlineRevision,
    Milestone,
    OutcomeMeasure,
    Plan,
    PlanPeriod,
    ProgressUpdate,
    Section,
)
from goldenthread.plans.rounds import default_due_by

DATA_DIR = Path(__file__).resolve().parent / "data"
Report = Callable[[str], None]


class DemoDataError(ValueError):
    """A data file that does not match its schema: names the file and the item."""


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DemoDataError(f"{where}: {value!r} is not an ISO date.") from exc


@transaction.atomic
def load_organisations(by) -> None:
    data = read("organisations.yaml")
    services = {}
    for order, row in enumerate(data["services"]):
        services[row["code"]], _ = Service.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "lead": _text(row.get("lead")), "order": order},
        )
    for row in data["organisations"]:
        taken = row.get("services", "all")
        org, created = Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "gss_code": _text(row.get("gss_code")),
                "takes_all_services": taken == "all",
            },
        )
        if taken != "all":
            org.services.set([services[code] for code in taken])
        if created:
            audit.record_creation(org, by=by)
    for order, row in enumerate(data["corporate_priorities"]):
        CorporatePriority.objects.update_or_create(
            code=row["code"],
            defaults={
                "organisation": Organisation.objects.get(code=row["partner"]),
                "title": row["title"],
                "description": _text(row.get("description")),
                "order": order,
            },
        )
    for order, row in enumerate(data["improvement_priorities"]):
        ImprovementPriority.objects.update_or_create(
            code=row["code"],
            defaults={
                "title": row["title"],
                "description": _text(row.get("description")),
                "order": order,
            },
        )


@transaction.atomic
def load_people(password: str) -> list[dict]:
    """Create the demo users with their roles and posts; returns who they are."""
    user_model = get_user_model()
    people = []
    for row in read("people.yaml")["users"]:
        first, _, last = row["name"].partition(" ")
        user, _ = user_model.objects.update_or_create(
            username=row["username"],
            defaults={
                "first_name": first,
                "last_name": last,
                "email": row.get("email", ""),
                "is_staff": bool(row.get("staff")),
                "is_superuser": bool(row.get("staff")),
            },
        )
        user.set_password(password)
        user.save()
        for grant in row.get("roles", []):
            partner = grant.get("partner")
            RoleGrant.objects.get_or_create(
                user=user,
                role=grant["role"],
                partner=Organisation.objects.get(code=partner) if partner else None,
            )
        for title in row.get("posts", []):
            Post.objects.get_or_create(title=title)[0].holders.add(user)
        roles = ", ".join(
            g["role"] + (f" ({g['partner']})" if g.get("partner") else "") for g in row["roles"]
        )
        people.append({"username": user.username, "name": row["name"], "roles": roles})
    for title, manager in read("people.yaml").get("line_managers", {}).items():
        post = Post.objects.get_or_create(title=title)[0]
        post.reports_to = Post.objects.get_or_create(title=manager)[0]
        post.save(update_fields=["reports_to"])
    return people


def _update(item_field: str, item, row: dict, where: str, by) -> ProgressUpdate:
    period = Period.objects.for_code(row["period"])
    update = ProgressUpdate.objects.create(
        **{item_field: item},
        period=period,
        status=_text(row.get("status")),
        percent_complete=row.get("percent_complete"),
        progress=_text(row.get("progress")),
        next_steps=_text(row.get("next_steps")),
        state=ProgressUpdate.State.APPROVED,
        submitted_by=by,
        submitted_on=timezone.now(),
        approved_by=by,
        approved_on=timezone.now(),
    )
    plan = item.plan
    if update.status and plan.scale.get(update.status) is None:
        raise DemoDataError(f"{where}: status {update.status!r} is not on the plan's scale.")
    return update


@transaction.atomic
def load_plan(name: str, by, *, reporting_period: str | None = None) -> Plan | None:
    """Load one plan file; a plan whose code is already loaded is left alone."""
    data = read(name)
    if Plan.objects.filter(code=data["code"]).exists():
        return None
    owner_data = data.get("owner_organisation")
    if owner_data:
        Organisation.objects.get_or_create(
            code=owner_data["code"],
            defaults={
                "name": owner_data["name"],
                "kind": owner_data.get("kind", "partner"),
                "gss_code": _text(owner_data.get("gss_code")),
            },
        )
    open_now = Period.objects.for_code(reporting_period) if reporting_period else None
    plan = Plan.objects.create(
        code=data["code"],
        title=data["title"],
        kind=data["kind"],
        owner=Organisation.objects.get(code=data["owner"]),
        status_scale=data["status_scale"],
        leads=_text(data.get("leads")),
        source=_text(data.get("source")),
        reporting_period=open_now,
        updates_due_by=default_due_by(open_now) if open_now else None,
    )
    audit.record_creation(plan, by=by)
    partners = {o.code: o for o in Organisation.objects.all()}
    corporate = {p.code: p for p in CorporatePriority.objects.all()}
    improvement = {p.code: p for p in ImprovementPriority.objects.all()}
    services = {s.code: s for s in Service.objects.all()}
    action_order = 0
    for s_order, s_row in enumerate(data["sections"]):
        section = Section.objects.create(
            plan=plan,
            order=s_order,
            title=s_row["title"],
            kind=s_row.get("kind", "service"),
            service=services.get(s_row.get("service") or ""),
            lead=_text(s_row.get("lead")),
            desired_outcome=_text(s_row.get("desired_outcome")),
            overall_status=_text(s_row.get("overall_status")),
            summary=_text(s_row.get("summary")),
            completed_before_records=s_row.get("completed_not_shown") or 0,
        )
        for m_order, measure in enumerate(s_row.get("outcome_measures") or []):
            OutcomeMeasure.objects.create(
                section=section,
                order=m_order,
                group=_text(measure.get("group")),
                outcome=_text(measure["outcome"]),
                date_text=_text(measure.get("date")),
                current_status=_text(measure.get("current_status")),
            )
        for a_row in s_row.get("actions", []):
            where = f"{name} action {a_row.get('ref')}"
            action_order += 1
            codes = a_row.get("partners") or ["ALL"]
            action = Action.objects.create(
                plan=plan,
                section=section,
                order=action_order,
                ref=a_row["ref"],
                title=_text(a_row["title"]),
                theme=_text(a_row.get("theme")),
                all_partners=codes == ["ALL"],
                service=services.get(a_row.get("service") or ""),
                outcome=_text(a_row.get("outcome")),
                lead=_text(a_row.get("lead")),
                resources=_text(a_row.get("resources")),
                start_date=_date(a_row.get("start"), where),
                target_date=_date(a_row.get("target_date"), where),
                timeline=_text(a_row.get("timeline")),
            )
            try:
                if codes != ["ALL"]:
                    action.partners.set([partners[c] for c in codes])
                action.corporate_priorities.set(
                    [corporate[c] for c in a_row.get("corporate_priorities") or []]
                )
                action.improvement_priorities.set(
                    [improvement[c] for c in a_row.get("improvement_priorities") or []]
                )
            except KeyError as exc:
                raise DemoDataError(f"{where}: unknown code {exc}.") from exc
            action.lead_posts.set(_posts(action.lead))
            for u_row in a_row.get("updates") or []:
                _update("action", action, u_row, where, by)
            for m_order, m_row in enumerate(a_row.get("milestones") or []):
                _load_milestone(action, m_order, m_row, f"{where} milestone {m_order + 1}", by)
    mark_periods(plan, by)
    return plan


def mark_periods(plan: Plan, by) -> list[PlanPeriod]:
    """The seeds' periods as reported: every period with updates before the one open for
    updates was published (IP1920's 2019/20 Q1, the Best Value six-month report); the
    open one is open, due when the plan says."""
    updates = ProgressUpdate.objects.filter(action__plan=plan) | ProgressUpdate.objects.filter(
        milestone__action__plan=plan
    )
    periods = Period.objects.filter(pk__in=updates.values("period_id"))
    now = timezone.now()
    marked = []
    for period in sorted(periods, key=lambda p: p.key):
        if plan.reporting_period and period.key >= plan.reporting_period.key:
            continue
        marked.append(
            PlanPeriod.objects.create(
                plan=plan,
                period=period,
                state=PlanPeriod.State.PUBLISHED,
                closed_on=now,
                closed_by=by,
                published_on=now,
                published_by=by,
            )
        )
    if plan.reporting_period:
        marked.append(
            PlanPeriod.objects.create(
                plan=plan,
                period=plan.reporting_period,
                due_by=plan.updates_due_by,
                opened_on=now,
                opened_by=by,
            )
        )
    for row in marked:
        audit.record_creation(row, by=by)
    return marked


def _load_milestone(action: Action, order: int, row: dict, where: str, by) -> Milestone:
    deadline = _date(row.get("deadline"), where)
    original = _date(row.get("original_deadline"), where)
    milestone = Milestone.objects.create(
        action=action,
        order=order,
        title=_text(row["title"]),
        lead=_text(row.get("lead")),
        deadline=deadline,
        original_deadline=original,
        deadline_note=_text(row.get("deadline_note")),
    )
    milestone.lead_posts.set(_posts(milestone.lead))
    if original and deadline and original != deadline:
        DeadlineRevision.objects.create(
            milestone=milestone,
            previous_date=original,
            proposed_date=deadline,
            reason=_text(row.get("revision_reason")) or "As reported in the six-month report.",
            decision=(
                DeadlineRevision.Decision.AGREED
                if row.get("revised_by")
                else DeadlineRevision.Decision.PROPOSED
            ),
            board=_text(row.get("revised_by")),
            decided_on=_date(row.get("revised_on"), where),
            proposed_by=by,
            decided_by=by if row.get("revised_by") else None,
        )
    for u_row in row.get("updates") or []:
        _update("milestone", milestone, u_row, where, by)
    return milestone


PLAN_FILES = {
    "plan-improvement.yaml": "2019/20 Q2",
    "plan-best-value.yaml": "2015/16 Q4",
    "plan-programme.yaml": "2018/19 Q1",
}


def load_all(*, password: str, report: Report = print) -> list[dict]:
    """Everything ``make demo`` needs; safe to run again (loaded plans are kept)."""
    user_model = get_user_model()
    loader_user, _ = user_model.objects.get_or_create(
        username="demo-loader", defaults={"first_name": "Demo", "last_name": "loader"}
    )
    loader_user.set_unusable_password()
    loader_user.save()
    load_organisations(loader_user)
    report("Organisations, services and priorities loaded.")
    for name, period in PLAN_FILES.items():
        plan = load_plan(name, loader_user, reporting_period=period)
        report(f"{name}: {'loaded ' + plan.title if plan else 'already loaded'}")
    # After the plans: a plan file may bring its owning council (LBTH), whose approver
    # is a demo user.
    people = load_people(password)
    report(f"{len(people)} demo users ready.")
    for path in settings.GT_DEMO_LOADERS:
        import_string(path)(loader_user, report)
    return people
