"""Who may see and change the commercial pipeline: the one place pages and reports ask.

* Administrators and leads (staff of the shared service) read and change every opportunity.
* Readers and approvers of a partner read the opportunities whose work that partner's
  shared service would do; readers and approvers of every partner read all.
* Anyone else reads nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from goldenthread.commercial.models import Opportunity
from goldenthread.core.access import Role, grants_of


def can_edit(user) -> bool:
    if not user.is_authenticated:
        return False
    grants = grants_of(user)
    return grants.is_administrator or grants.has(Role.LEAD)


def visible_to(user) -> QuerySet[Opportunity]:
    opportunities = Opportunity.objects.select_related("service")
    if not user.is_authenticated:
        return opportunities.none()
    grants = grants_of(user)
    scope = grants.partner_scope
    if scope is None:
        return opportunities if grants.by_role else opportunities.none()
    ids = Opportunity.objects.filter(partners__in=scope).values("pk")
    return opportunities.filter(pk__in=ids)
