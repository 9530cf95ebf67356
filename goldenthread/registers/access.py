"""Who may see and change the registers: the one place the pages, exports and imports ask.

* Administrators read and change every council's registers.
* Leads (staff of the shared service) and readers or approvers of every partner read all.
* Readers and approvers of a partner read that council's registers only.
* Anyone else reads nothing. The open data (:mod:`.opendata`) is public and needs no user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from goldenthread.core.access import grants_of
from goldenthread.core.models import Organisation
from goldenthread.registers.models import Contract, Grant, Waiver


def councils_readable(user) -> QuerySet[Organisation]:
    councils = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    if not user.is_authenticated:
        return councils.none()
    scope = grants_of(user).partner_scope
    if scope is None:
        grants = grants_of(user)
        return councils if grants.by_role else councils.none()
    return councils.filter(pk__in=scope)


def can_edit(user) -> bool:
    return user.is_authenticated and grants_of(user).is_administrator


def contracts_visible_to(user) -> QuerySet[Contract]:
    return Contract.objects.filter(council__in=councils_readable(user)).select_related("council")


def waivers_visible_to(user) -> QuerySet[Waiver]:
    return Waiver.objects.filter(council__in=councils_readable(user)).select_related(
        "council", "contract", "approver"
    )


def grants_visible_to(user) -> QuerySet[Grant]:
    return Grant.objects.filter(council__in=councils_readable(user)).select_related("council")
