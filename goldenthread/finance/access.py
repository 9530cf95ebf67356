"""Who may see and change the money. Every finance view asks here.

Administrators set budgets, the formula, reserves and savings and upload
sheets. A lead may update the forecasts of the cost areas their posts lead.
Approvers and readers read, scoped to their partners: shared figures (and
their split between all partners) are everyone's; a partner's non-shared
lines and reserve are that partner's alone.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation
from goldenthread.finance.models import BudgetLine, CostArea, ReserveMovement


def partner_scope(user) -> frozenset[int] | None:
    """Partner ids whose own figures the user may read; ``None`` for every partner.

    No user at all (``None``) is a committee paper printed for the whole Joint
    Committee: every partner's figures, as the seed's reports print them.
    """
    if user is None:
        return None
    return grants_of(user).partner_scope


def visible_lines(user) -> QuerySet[BudgetLine]:
    """Shared lines, and non-shared lines of the user's partners (or of all together)."""
    lines = BudgetLine.objects.select_related("cost_area", "partner")
    scope = partner_scope(user)
    if scope is None:
        return lines
    return lines.filter(
        Q(cost_area__kind=CostArea.Kind.SHARED) | Q(partner__isnull=True) | Q(partner_id__in=scope)
    )


def visible_reserve_movements(user) -> QuerySet[ReserveMovement]:
    movements = ReserveMovement.objects.select_related("partner")
    scope = partner_scope(user)
    if scope is None:
        return movements
    return movements.filter(partner_id__in=scope)


def visible_partners(user) -> QuerySet[Organisation]:
    """The partner councils whose own figures (non-shared, reserves) the user may read."""
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    scope = partner_scope(user)
    return partners if scope is None else partners.filter(pk__in=scope)


def can_administer(user) -> bool:
    """May set budgets, the formula, reserves and savings, and upload sheets."""
    return grants_of(user).is_administrator


def led_cost_areas(user) -> QuerySet[CostArea]:
    grants = grants_of(user)
    if grants.is_administrator:
        return CostArea.objects.all()
    if not grants.has(Role.LEAD) or not grants.post_ids:
        return CostArea.objects.none()
    return CostArea.objects.filter(lead_posts__in=grants.post_ids).distinct()


def can_update_forecast(user, line: BudgetLine) -> bool:
    """Administrators, and leads of the line's cost area (through the posts they hold)."""
    grants = grants_of(user)
    if grants.is_administrator:
        return True
    if not grants.has(Role.LEAD) or not grants.post_ids:
        return False
    return line.cost_area.lead_posts.filter(pk__in=grants.post_ids).exists()
