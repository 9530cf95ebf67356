"""Who may see and change plan data. Every plan view asks here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate


def visible_plans(user) -> QuerySet[Plan]:
    """Plans of the shared service, and plans owned by the user's partners."""
    scope = grants_of(user).partner_scope
    plans = Plan.objects.select_related("owner", "reporting_period")
    if scope is None:
        return plans
    return plans.filter(Q(owner__kind=Organisation.Kind.SHARED_SERVICE) | Q(owner_id__in=scope))


def visible_actions(user) -> QuerySet[Action]:
    """Actions concerning ALL partners or one of the user's partners, in visible plans."""
    scope = grants_of(user).partner_scope
    actions = Action.objects.filter(plan__in=visible_plans(user))
    if scope is None:
        return actions
    return actions.filter(Q(all_partners=True) | Q(partners__in=scope)).distinct()


def _leads(user, subject: Action | Milestone) -> bool:
    posts = grants_of(user).post_ids
    if not posts:
        return False
    if isinstance(subject, Milestone):
        # A milestone is the milestone lead's, and also its action lead's.
        if subject.lead_posts.filter(pk__in=posts).exists():
            return True
        subject = subject.action
    return subject.lead_posts.filter(pk__in=posts).exists()


def can_update(user, subject: Action | Milestone) -> bool:
    """May record progress and propose revised dates: administrators and the item's leads."""
    grants = grants_of(user)
    if grants.is_administrator:
        return True
    return grants.has(Role.LEAD) and _leads(user, subject)


def _partner_ids(action: Action) -> set[int]:
    return {p.pk for p in action.partners.all()}


def can_approve(user, subject: Action | Milestone) -> bool:
    """May approve updates and revised dates for an item: approvers of its partners."""
    action = subject.action if isinstance(subject, Milestone) else subject
    return grants_of(user).may_approve_for(_partner_ids(action), all_partners=action.all_partners)


def can_see(user, subject: Action | Milestone) -> bool:
    action = subject.action if isinstance(subject, Milestone) else subject
    return visible_actions(user).filter(pk=action.pk).exists()


def updates_awaiting_approval(user) -> QuerySet[ProgressUpdate]:
    grants = grants_of(user)
    if not (grants.is_administrator or grants.has(Role.APPROVER)):
        return ProgressUpdate.objects.none()
    actions = visible_actions(user)
    partners = grants.partners_for(Role.APPROVER)
    if not grants.is_administrator and None not in partners:
        actions = actions.filter(Q(all_partners=True) | Q(partners__in=partners))
    return (
        ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED)
        .filter(Q(action__in=actions) | Q(milestone__action__in=actions))
        .select_related("action__plan", "milestone__action__plan", "period", "submitted_by")
    )
