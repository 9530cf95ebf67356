"""Read side of plans: a plan's sections, items and statuses for a period, in few queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from goldenthread.core.models import Period
from goldenthread.plans import rules
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, Section


@dataclass
class ItemRow:
    """An action or milestone with its update for the period (or none)."""

    item: Action | Milestone
    update: ProgressUpdate | None
    earlier: list[ProgressUpdate] = field(default_factory=list)
    status: rules.Status = rules.NO_UPDATE

    @property
    def completed_before(self) -> bool:
        """Completed in an earlier period: reported by exception, not shown again."""
        return any(u.status and self._complete(u.status) for u in self.earlier)

    def _complete(self, code: str) -> bool:
        plan = self.item.action.plan if isinstance(self.item, Milestone) else self.item.plan
        status = plan.scale.get(code)
        return bool(status and status.complete)


@dataclass
class ActionView:
    row: ItemRow
    milestones: list[ItemRow]

    @property
    def action(self) -> Action:
        return self.row.item  # type: ignore[return-value]

    @property
    def shown_milestones(self) -> list[ItemRow]:
        return [m for m in self.milestones if not m.completed_before]


@dataclass
class SectionView:
    section: Section
    actions: list[ActionView]
    summary: rules.StatusSummary

    @property
    def milestones_shown(self) -> int:
        return sum(len(a.shown_milestones) for a in self.actions)

    @property
    def milestones_completed_not_shown(self) -> int:
        held = sum(len(a.milestones) - len(a.shown_milestones) for a in self.actions)
        return self.section.completed_before_records + held


def periods_with_updates(plan: Plan) -> list[Period]:
    ids = set(
        ProgressUpdate.objects.filter(action__plan=plan).values_list("period_id", flat=True)
    ) | set(
        ProgressUpdate.objects.filter(milestone__action__plan=plan).values_list(
            "period_id", flat=True
        )
    )
    if plan.reporting_period_id:
        ids.add(plan.reporting_period_id)
    return sorted(Period.objects.filter(pk__in=ids), key=lambda p: p.key)


def default_period(plan: Plan) -> Period | None:
    """The latest period with any update, else the period open for updates."""
    periods = [
        p
        for p in periods_with_updates(plan)
        if p.pk != plan.reporting_period_id or _has_updates(plan, p)
    ]
    if periods:
        return periods[-1]
    return plan.reporting_period


def _has_updates(plan: Plan, period: Period) -> bool:
    return (
        ProgressUpdate.objects.filter(action__plan=plan, period=period).exists()
        or ProgressUpdate.objects.filter(milestone__action__plan=plan, period=period).exists()
    )


def _row(item, updates: list[ProgressUpdate], period: Period, scale: rules.StatusScale) -> ItemRow:
    current = next((u for u in updates if u.period_id == period.pk), None)
    earlier = [u for u in updates if u.period.key < period.key]
    return ItemRow(item, current, earlier, rules.status_of(scale.code, current and current.status))


def plan_sections(plan: Plan, period: Period, actions: QuerySet[Action]) -> list[SectionView]:
    """The plan's sections with each visible action, its milestones and their updates."""
    updates = ProgressUpdate.objects.select_related("period", "submitted_by", "approved_by")
    actions = (
        actions.filter(plan=plan)
        .select_related("section", "service", "plan")
        .prefetch_related(
            "partners",
            Prefetch("updates", queryset=updates),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.prefetch_related(
                    Prefetch("updates", queryset=updates)
                ).select_related("action__plan"),
            ),
        )
        .order_by("section__order", "order", "pk")
    )
    by_section: dict[int, list[ActionView]] = {}
    for action in actions:
        milestones = [
            _row(m, list(m.updates.all()), period, plan.scale) for m in action.milestones.all()
        ]
        row = _row(action, list(action.updates.all()), period, plan.scale)
        by_section.setdefault(action.section_id, []).append(ActionView(row, milestones))
    views = []
    sections = plan.sections.select_related("service").prefetch_related("outcome_measures")
    for section in sections.order_by("order", "pk"):
        action_views = by_section.get(section.pk, [])
        if plan.tracks_milestones:
            statuses = [
                m.update.status if m.update else None
                for a in action_views
                for m in a.shown_milestones
            ]
        else:
            statuses = [a.row.update.status if a.row.update else None for a in action_views]
        views.append(
            SectionView(section, action_views, rules.summarise(plan.status_scale, statuses))
        )
    return views


@dataclass
class PlanGlance:
    """A plan at a glance: its latest period and the count per status then."""

    plan: Plan
    period: Period | None
    summary: rules.StatusSummary | None

    @property
    def counted(self) -> list[rules.SummaryRow]:
        """The statuses with any items, in the scale's order."""
        return [row for row in self.summary.rows if row.count] if self.summary else []

    @property
    def has_updates(self) -> bool:
        return any(row.status.code for row in self.counted)


def updates_in_play(plan: Plan, period: Period, *fields: str) -> tuple[dict[int, tuple], set[int]]:
    """Per item (action, or milestone in a milestone plan): this period's status and
    ``fields``, and the set of items completed in an earlier period. Values only: cheap
    enough for every plan on the home page."""
    item_field = "milestone_id" if plan.tracks_milestones else "action_id"
    if plan.tracks_milestones:
        query = ProgressUpdate.objects.filter(milestone__action__plan=plan)
    else:
        query = ProgressUpdate.objects.filter(action__plan=plan)
    keys = {p.pk: p.key for p in Period.objects.filter(pk__in=query.values("period_id"))}
    current: dict[int, tuple] = {}
    completed: set[int] = set()
    for item_id, period_id, status, *rest in query.values_list(
        item_field, "period_id", "status", *fields
    ):
        if period_id == period.pk:
            current[item_id] = (status, *rest)
        elif keys[period_id] < period.key:
            found = plan.scale.get(status)
            if found is not None and found.complete:
                completed.add(item_id)
    return current, completed


def glance_summary(plan: Plan, period: Period, actions: QuerySet[Action]) -> rules.StatusSummary:
    """The plan's status counts for the period, as the plan page's whole-plan row has them."""
    visible = actions.filter(plan=plan)
    if plan.tracks_milestones:
        ids = Milestone.objects.filter(action__in=visible).values_list("pk", flat=True)
    else:
        ids = visible.values_list("pk", flat=True)
    current, completed = updates_in_play(plan, period)
    statuses = [
        current[i][0] if i in current else None
        for i in set(ids)
        if not (plan.tracks_milestones and i in completed)
    ]
    return rules.summarise(plan.status_scale, statuses)


def at_a_glance(plans: QuerySet[Plan], actions: QuerySet[Action]) -> list[PlanGlance]:
    """Each plan's status counts for its latest period, over the actions the user may see."""
    glances = []
    for plan in plans.order_by("title"):
        period = default_period(plan)
        summary = glance_summary(plan, period, actions) if period else None
        glances.append(PlanGlance(plan, period, summary))
    return glances


def plan_summary(plan: Plan, sections: list[SectionView]) -> rules.StatusSummary:
    """The whole plan's counts: the sum of its sections."""
    statuses: list[str | None] = []
    for view in sections:
        for row in view.summary.rows:
            statuses.extend([row.status.code or None] * row.count)
    return rules.summarise(plan.status_scale, statuses)
