"""Who may see and change the registers: the one place the pages, exports and imports ask.

* Administrators read and change every council's registers.
* Leads (staff of the shared service) and readers or approvers of every partner read all.
* Readers and approvers of a partner read that council's registers only.
* Fields withheld from publication (a sole trader's name, say) are shown to
  administrators, leads and approvers only; readers (councillors) see what the public
  sees ("everything public, nothing exempt").
* Anyone else reads nothing. The open data (:mod:`.opendata`) is public and needs no user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation
from goldenthread.registers.models import Contract, Grant, Waiver


def councils_readable(user) -> QuerySet[Organisation]:
    councils = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    if not user.is_authenticated:
        return councils.none()
    scope = grants_of(user).partner_scope
    return councils if scope is None else councils.filter(pk__in=scope)


def sees_withheld(user) -> bool:
    """Whether the user sees fields withheld from the published open data."""
    if not user.is_authenticated:
        return False
    grants = grants_of(user)
    return grants.is_administrator or grants.has(Role.LEAD) or grants.has(Role.APPROVER)


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
