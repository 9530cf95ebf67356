"""Who may see and change plan data. Every plan view asks here.

A plan belongs to an organisation (its ``owner``): the shared service, one of its partner
councils, or another council altogether (the Best Value plan's). Approvers act only within
their organisation's scope: on a shared-service plan, on the items that concern their
partner (or all partners); on a plan a council owns, only that council's approvers.
Administrators act everywhere.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation
from goldenthread.plans.models import (
    Action,
    DeadlineRevision,
    Milestone,
    Plan,
    ProgressUpdate,
    UpdateCorrection,
)


def visible_plans(user) -> QuerySet[Plan]:
    """Plans of the shared service, and plans owned by the user's partners."""
    scope = grants_of(user).partner_scope
    plans = Plan.objects.select_related("owner", "reporting_period")
    if scope is None:
        return plans
    return plans.filter(Q(owner__kind=Organisation.Kind.SHARED_SERVICE) | Q(owner_id__in=scope))


def visible_actions(user) -> QuerySet[Action]:
    """Actions concerning ALL partners or one of the user's partners, in visible plans.

    Every action of a plan the user's own council owns is theirs to see.
    """
    scope = grants_of(user).partner_scope
    actions = Action.objects.filter(plan__in=visible_plans(user))
    if scope is None:
        return actions
    return actions.filter(
        Q(all_partners=True) | Q(partners__in=scope) | Q(plan__owner_id__in=scope)
    ).distinct()


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


def updatable_milestones(user, action: Action, milestones: list[Milestone]) -> dict[int, bool]:
    """Milestone id → may the user update it, from prefetched ``lead_posts``: no query each."""
    grants = grants_of(user)
    if grants.is_administrator:
        return {m.pk: True for m in milestones}
    if not (grants.has(Role.LEAD) and grants.post_ids):
        return {m.pk: False for m in milestones}
    leads_action = action.lead_posts.filter(pk__in=grants.post_ids).exists()
    return {
        m.pk: leads_action or any(p.pk in grants.post_ids for p in m.lead_posts.all())
        for m in milestones
    }


def approvable_actions(user) -> QuerySet[Action]:
    """The actions whose updates and revised dates the user may approve or decide.

    The single rule behind :func:`can_approve`, the approvals page and the home page.
    """
    grants = grants_of(user)
    if grants.is_administrator:
        return Action.objects.all()
    partners = grants.partners_for(Role.APPROVER)
    if not partners:
        return Action.objects.none()
    actions = visible_actions(user)
    of_shared_service = Q(plan__owner__kind=Organisation.Kind.SHARED_SERVICE)
    if None in partners:
        # An approver for every partner of the shared service: not for another council's plan.
        return actions.filter(of_shared_service)
    shared = of_shared_service & (Q(all_partners=True) | Q(partners__in=partners))
    return actions.filter(shared | Q(plan__owner_id__in=partners)).distinct()


def can_approve(user, subject: Action | Milestone) -> bool:
    """May approve updates and decide revised dates for an item (see the module's rule)."""
    if grants_of(user).is_administrator:
        return True
    action = subject.action if isinstance(subject, Milestone) else subject
    return approvable_actions(user).filter(pk=action.pk).exists()


def can_see(user, subject: Action | Milestone) -> bool:
    action = subject.action if isinstance(subject, Milestone) else subject
    return visible_actions(user).filter(pk=action.pk).exists()


def _of_actions(actions: QuerySet[Action]) -> Q:
    return Q(action__in=actions) | Q(milestone__action__in=actions)


def updates_awaiting_approval(user) -> QuerySet[ProgressUpdate]:
    """Submitted updates the user may approve, with their item and plan."""
    return (
        ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED)
        .filter(_of_actions(approvable_actions(user)))
        .select_related(
            "action__plan",
            "milestone__action__plan",
            "period",
            "submitted_by",
        )
        .order_by("submitted_on", "pk")
    )


def revisions_awaiting_decision(user) -> QuerySet[DeadlineRevision]:
    """Proposed dates the user may decide: those of the plans they approve for."""
    return (
        DeadlineRevision.objects.filter(decision=DeadlineRevision.Decision.PROPOSED)
        .filter(_of_actions(approvable_actions(user)))
        .select_related("action__plan", "milestone__action__plan", "proposed_by")
        .order_by("proposed_on", "pk")
    )


def corrections_awaiting_approval(user) -> QuerySet[UpdateCorrection]:
    """Corrections of approved updates that the user may approve."""
    actions = approvable_actions(user)
    return (
        UpdateCorrection.objects.filter(state=UpdateCorrection.State.SUBMITTED)
        .filter(Q(update__action__in=actions) | Q(update__milestone__action__in=actions))
        .select_related(
            "update__action__plan",
            "update__milestone__action__plan",
            "update__period",
            "proposed_by",
        )
        .order_by("proposed_on", "pk")
    )
