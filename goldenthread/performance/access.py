"""Who may see and change indicator data. Every performance view asks here.

Readers and approvers see the indicators reported for the whole shared service
and for their own partners; leads enter the actuals of the indicators they own
(as data owner, or as the lead of the indicator's service); approvers sign off
their partners' periods.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation, Post, Service
from goldenthread.performance.models import Indicator


def partner_scope(user) -> frozenset[int] | None:
    """Partner ids whose figures the user may read; ``None`` means every partner.

    No user at all is the system itself (a report built for a committee paper).
    """
    if user is None:
        return None
    return grants_of(user).partner_scope


def visible_indicators(user) -> QuerySet[Indicator]:
    scope = partner_scope(user)
    indicators = Indicator.objects.select_related("service", "data_owner")
    if scope is None:
        return indicators
    return indicators.filter(Q(partners__isnull=True) | Q(partners__in=scope)).distinct()


def may_read_partner(user, partner: Organisation | None) -> bool:
    """Figures for the whole shared service are for everyone; a partner's for its readers."""
    scope = partner_scope(user)
    return scope is None or partner is None or partner.pk in scope


def visible_partners(user) -> QuerySet[Organisation]:
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("code")
    scope = partner_scope(user)
    return partners if scope is None else partners.filter(pk__in=scope)


def _post_titles(user) -> list[str]:
    cached = getattr(user, "_gt_post_titles", None)
    if cached is None:
        ids = grants_of(user).post_ids
        cached = list(Post.objects.filter(pk__in=ids).values_list("title", flat=True))
        user._gt_post_titles = cached
    return cached


def enterable_indicators(user) -> QuerySet[Indicator]:
    """Indicators whose actuals the user may enter: all for administrators; a lead's own."""
    grants = grants_of(user)
    if grants.is_administrator:
        return Indicator.objects.all()
    if not grants.has(Role.LEAD) or not grants.post_ids:
        return Indicator.objects.none()
    return Indicator.objects.filter(
        Q(data_owner_id__in=grants.post_ids) | Q(service__lead__in=_post_titles(user))
    )


def can_enter(user, indicator: Indicator) -> bool:
    grants = grants_of(user)
    if grants.is_administrator:
        return True
    if not grants.has(Role.LEAD):
        return False
    if indicator.data_owner_id in grants.post_ids:
        return True
    return bool(indicator.service.lead) and indicator.service.lead in _post_titles(user)


def enterable_services(user) -> QuerySet[Service]:
    return Service.objects.filter(indicators__in=enterable_indicators(user)).distinct()


def can_sign_off(user, partner: Organisation | None) -> bool:
    """Approvers sign off their partners' figures; the whole service's need an approver
    for every partner (or an administrator)."""
    grants = grants_of(user)
    if grants.is_administrator:
        return True
    partners = grants.partners_for(Role.APPROVER)
    if None in partners:
        return True
    return partner is not None and partner.pk in partners
