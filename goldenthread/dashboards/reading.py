"""What a dashboard shows: one partner's (or the shared service's) plans by reported
status, overdue and stale items, indicators off target and headline finance.

Each figure comes from its domain's reading module (plans through the plan page's
:mod:`~goldenthread.plans.listing`, so a count and the list it links to always agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from goldenthread.core.access import grants_of
from goldenthread.core.models import Organisation, Period
from goldenthread.finance.home import glance as finance_glance
from goldenthread.performance import access as performance_access
from goldenthread.performance import reading as performance_reading
from goldenthread.performance import rules as performance_rules
from goldenthread.plans import access as plan_access
from goldenthread.plans import listing, listing_rules
from goldenthread.plans import reading as plan_reading
from goldenthread.plans.models import Plan


def organisations_for(user) -> list[Organisation]:
    """The dashboards ``user`` may open: their partners' own, and the shared service's
    for those who read every partner's work (administrators and leads)."""
    scope = grants_of(user).partner_scope
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("code")
    if scope is not None:
        return list(partners.filter(pk__in=scope))
    shared = Organisation.objects.filter(kind=Organisation.Kind.SHARED_SERVICE).order_by("code")
    return [*shared, *partners]


def organisation_for(user, code: str) -> Organisation:
    """The organisation whose dashboard is asked for: 404 if unknown or not the user's."""
    for organisation in organisations_for(user):
        if organisation.code == code:
            return organisation
    raise Http404("There is no dashboard of that name for you.")


def _is_partner(organisation: Organisation) -> bool:
    return organisation.kind == Organisation.Kind.PARTNER


@dataclass(frozen=True)
class PlanFigures:
    """A plan's reported position for one organisation, and the plan page's address for it."""

    plan: Plan
    period: Period | None
    query: listing_rules.ListQuery
    summary: listing.Summary | None

    @property
    def draft(self) -> bool:
        """Not yet reported: shown only to those who work on the round."""
        return self.period is not None and plan_reading.is_draft(self.plan, self.period)

    @property
    def counted(self) -> list:
        """The statuses with any items, in the summary's order."""
        if self.summary is None:
            return []
        return [row for row in self.summary.whole.columns if row.count]


def plans_for(user, organisation: Organisation) -> QuerySet[Plan]:
    """The shared service's plans (for a partner: with its items) and the organisation's own."""
    plans = plan_access.visible_plans(user)
    if _is_partner(organisation):
        shared = Q(owner__kind=Organisation.Kind.SHARED_SERVICE)
        return plans.filter(shared | Q(owner=organisation)).order_by("title")
    return plans.filter(owner=organisation).order_by("title")


def plan_figures(user, organisation: Organisation, *, today: date) -> list[PlanFigures]:
    """Per plan: counts by reported status, overdue and stale, over the items concerning
    the organisation (a partner's: those for it or for all partners)."""
    visible = plan_access.visible_actions(user)
    found = []
    for plan in plans_for(user, organisation):
        period = plan_reading.default_period(plan, user)
        if period is None:
            found.append(PlanFigures(plan, None, listing_rules.ListQuery(), None))
            continue
        partner = (
            organisation.code
            if _is_partner(organisation) and plan.owner_id != organisation.pk
            else ""
        )
        query = listing_rules.ListQuery(period=period.code, partner=partner)
        sections = list(plan.sections.order_by("order", "pk"))
        items = listing.apply(
            listing.items(plan, period, visible, today=today), plan, period, query
        )
        found.append(PlanFigures(plan, period, query, listing.summarise(items, plan, sections)))
    return found


@dataclass(frozen=True)
class IndicatorFigures:
    period: Period
    counts: tuple
    off_target: int
    due: int
    partner_code: str  # the exception report's partner ("" for the whole service)


def indicator_figures(user, organisation: Organisation) -> IndicatorFigures | None:
    """The latest quarter's indicator statuses: the partner's lines, or every line the
    shared service reports."""
    indicators = performance_access.visible_indicators(user)
    if not indicators.exists():
        return None
    period = performance_reading.latest_period()
    who = organisation if _is_partner(organisation) else "all"
    lines = performance_reading.lines(
        performance_reading.with_lines(indicators),
        period,
        scope=performance_access.partner_scope(user),
        partner=who,
    )
    due = [line for line in lines if line.status.code != performance_rules.NOT_DUE.code]
    return IndicatorFigures(
        period=period,
        counts=tuple(
            c for c in performance_rules.count_by_status(line.status for line in due) if c.count
        ),
        off_target=sum(1 for line in due if line.status.off_target),
        due=len(due),
        partner_code=organisation.code if _is_partner(organisation) else "",
    )


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    plans: list[PlanFigures]
    indicators: IndicatorFigures | None
    finance: dict

    @property
    def is_partner(self) -> bool:
        return _is_partner(self.organisation)

    @property
    def overdue(self) -> int:
        return sum(p.summary.overdue for p in self.plans if p.summary)

    @property
    def stale(self) -> int:
        return sum(p.summary.stale for p in self.plans if p.summary)


def dashboard(user, organisation: Organisation, *, today: date) -> Dashboard:
    return Dashboard(
        organisation=organisation,
        plans=plan_figures(user, organisation, today=today),
        indicators=indicator_figures(user, organisation),
        finance=finance_glance(user),
    )
