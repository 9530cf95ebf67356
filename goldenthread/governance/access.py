"""Who may see and do what with committee reports. Every governance view asks here.

Administrators create, edit, make files for and publish reports, and publish
corrections of published reports. Leads (staff
of the shared service) read every report, drafts included. Readers and
approvers read the published reports of committees on which their partner
sits; a committee with no partners listed is open to every partner.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goldenthread.core.access import Role, grants_of
from goldenthread.governance.models import Committee, CommitteeReport


def reads_drafts(user) -> bool:
    grants = grants_of(user)
    return grants.is_administrator or grants.has(Role.LEAD)


def visible_committees(user) -> QuerySet[Committee]:
    committees = Committee.objects.all()
    scope = grants_of(user).partner_scope
    if scope is None:
        return committees
    return committees.filter(Q(partners__isnull=True) | Q(partners__in=scope)).distinct()


def visible_reports(user) -> QuerySet[CommitteeReport]:
    """Reports the user may read: everything for staff, published papers for readers."""
    reports = CommitteeReport.objects.select_related("meeting__committee", "published_by")
    if reads_drafts(user):
        return reports
    grants = grants_of(user)
    if not (grants.has(Role.READER) or grants.has(Role.APPROVER)):
        return reports.none()
    return reports.filter(
        state=CommitteeReport.State.PUBLISHED,
        meeting__committee__in=visible_committees(user),
    )


def can_manage(user) -> bool:
    """May create reports and add meetings' papers: administrators."""
    return grants_of(user).is_administrator


def can_edit(user, report: CommitteeReport) -> bool:
    """May change the narrative and appendices: administrators, until it is published."""
    return can_manage(user) and not report.is_published


def can_make_files(user, report: CommitteeReport) -> bool:
    return can_manage(user) and not report.is_published


def can_publish(user, report: CommitteeReport) -> bool:
    return can_manage(user) and not report.is_published


def can_correct(user, report: CommitteeReport) -> bool:
    """May publish a corrected version of a published report: administrators."""
    return can_manage(user) and report.is_published


def can_see(user, report: CommitteeReport) -> bool:
    return visible_reports(user).filter(pk=report.pk).exists()
