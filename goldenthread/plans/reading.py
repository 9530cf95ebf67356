"""Read side of plans: a plan's periods, sections, items and statuses, in few queries.

The reported position is the approved position: an item counts with its status only
when its update for the period is approved. A submitted, returned or missing update
shows as such ("Awaiting approval", "Returned", "No update – last reported Q1: Green")
and is counted apart. Readers see published periods only; the open or closed round is a
draft that administrators, the items' leads and their approvers may look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Period
from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.plans import access, rules
from goldenthread.plans.models import (
    Action,
    Milestone,
    Plan,
    PlanPeriod,
    ProgressUpdate,
    Section,
)

APPROVED = ProgressUpdate.State.APPROVED


# -- which periods a user may see ----------------------------------------------------------


def plan_periods(plan: Plan) -> list[PlanPeriod]:
    """The plan's periods in order, each with its state. The period open for updates is
    open even when nothing has recorded it yet. Read once per plan object."""
    cached = getattr(plan, "_gt_plan_periods", None)
    if cached is not None:
        return cached
    rows = list(PlanPeriod.objects.filter(plan=plan).select_related("period"))
    if plan.reporting_period_id and all(r.period_id != plan.reporting_period_id for r in rows):
        rows.append(
            PlanPeriod(
                plan=plan,
                period=plan.reporting_period,
                state=PlanPeriod.State.OPEN,
                due_by=plan.updates_due_by,
            )
        )
    rows.sort(key=lambda r: r.period.key)
    plan._gt_plan_periods = rows
    return rows


def may_see_drafts(user, plan: Plan) -> bool:
    """Administrators, leads of any of the plan's items and its approvers see the open
    round; ``None`` (the system itself, e.g. a committee paper's builder) does too."""
    if user is None:
        return True
    grants = grants_of(user)
    if grants.is_administrator:
        return True
    if grants.has(Role.LEAD) and grants.post_ids:
        led = Q(lead_posts__in=grants.post_ids) | Q(milestones__lead_posts__in=grants.post_ids)
        if Action.objects.filter(plan=plan).filter(led).exists():
            return True
    if grants.has(Role.APPROVER):
        return access.approvable_actions(user).filter(plan=plan).exists()
    return False


def visible_periods(user, plan: Plan) -> list[PlanPeriod]:
    """The periods ``user`` may look at, oldest first: published ones for everyone, and
    the open or closed round (a draft, not yet reported) for those who work on it."""
    periods = plan_periods(plan)
    if any(p.is_draft for p in periods) and may_see_drafts(user, plan):
        return periods
    return [p for p in periods if p.is_published]


def latest_published(plan: Plan) -> Period | None:
    published = [p.period for p in plan_periods(plan) if p.is_published]
    return published[-1] if published else None


def default_period(plan: Plan, user=None) -> Period | None:
    """The period a plan opens on: the latest published one (the reported position).

    Before anything is published, those who may see drafts get the latest draft; readers
    get ``None`` (nothing reported yet). ``user=None`` is the system's view.
    """
    published = latest_published(plan)
    if published is not None:
        return published
    drafts = [p.period for p in plan_periods(plan)]
    if drafts and may_see_drafts(user, plan):
        return drafts[-1]
    return None


def period_for(user, plan: Plan, period: Period) -> PlanPeriod | None:
    """The plan period ``user`` may look at for ``period``, or ``None`` when they may not."""
    return next((p for p in visible_periods(user, plan) if p.period_id == period.pk), None)


def state_of(plan: Plan, period: Period) -> PlanPeriod | None:
    return next((p for p in plan_periods(plan) if p.period_id == period.pk), None)


def is_draft(plan: Plan, period: Period) -> bool:
    """Not yet reported: anything but a published period."""
    found = state_of(plan, period)
    return found is None or found.is_draft


# -- an item's reported position ----------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """What is reported for an item in a period, and the flags beside its status."""

    status: rules.Status
    overdue: bool
    stale: bool
    last_reported: tuple[str, rules.Status] | None


def position(
    scale: rules.StatusScale,
    *,
    code: str | None,
    state: str | None,
    earlier: list[tuple[PeriodKey, str, str]],
    reported: PeriodKey,
    period_keys: frozenset[PeriodKey],
    target: date | None,
    as_of: date,
) -> Position:
    """The reported position of one item from its update's status ``code`` and ``state``
    and its ``earlier`` updates (period, status, state), for the period ``reported``.

    An item completed (and approved) earlier with no update now stays complete.
    """
    status = rules.reported_status(scale.code, code, state)
    approved = sorted(
        (key, status_code) for key, status_code, s in earlier if s == APPROVED and status_code
    )
    last = approved[-1] if approved else None
    last_reported = (last[0].code, rules.status_of(scale.code, last[1])) if last else None
    if status is rules.NO_UPDATE and last_reported and last_reported[1].complete:
        status = last_reported[1]
    complete = status.complete
    last_key = reported if state == APPROVED and code else (last[0] if last else None)
    missing = rules.periods_without_approved_update(period_keys, reported, last_key)
    return Position(
        status=status,
        overdue=rules.is_overdue(target, complete=complete, today=as_of),
        stale=not complete and rules.is_stale(missing),
        last_reported=last_reported,
    )


def _target(item: Action | Milestone) -> date | None:
    return item.deadline if isinstance(item, Milestone) else item.target_date


@dataclass
class ItemRow:
    """An action or milestone with its update for the period (or none).

    ``update`` is the period's update as the viewer may read it: readers get approved
    updates only (``state`` still says what became of an unapproved one). ``status``
    is the reported status; ``overdue`` and ``stale`` are flags apart from it.
    """

    item: Action | Milestone
    update: ProgressUpdate | None
    earlier: list[ProgressUpdate] = field(default_factory=list)
    period: Period | None = None
    scale: rules.StatusScale = rules.RAG
    period_keys: frozenset[PeriodKey] = frozenset()
    as_of: date | None = None
    state: str | None = None  # the period's update's state, also when its text is hidden
    code: str = ""  # that update's status code (never shown unless approved)

    @cached_property
    def position(self) -> Position:
        if self.period is None:
            return Position(rules.NO_UPDATE, False, False, None)
        return position(
            self.scale,
            code=self.code,
            state=self.state,
            earlier=[(u.period.key, u.status, u.state) for u in self.earlier],
            reported=self.period.key,
            period_keys=self.period_keys,
            target=_target(self.item),
            as_of=self.as_of or self.period.end,
        )

    @property
    def status(self) -> rules.Status:
        """The reported status: the approved update's, else awaiting/returned/no update."""
        return self.position.status

    @property
    def overdue(self) -> bool:
        """Its target date has passed (by the period's end, or today) and it is not complete."""
        return self.position.overdue

    @property
    def stale(self) -> bool:
        """No approved update for the period reported (or for more periods before it)."""
        return self.position.stale

    @property
    def last_reported(self) -> tuple[str, rules.Status] | None:
        """The period code and status of the latest approved update before this period."""
        return self.position.last_reported

    @property
    def status_label(self) -> str:
        """``Green``; ``No update – last reported Q1: Green``; ``Returned – last reported …``."""
        code = self.period.code if self.period else ""
        return rules.last_reported_label(self.status, self.last_reported, code)

    @property
    def last_reported_text(self) -> str:
        """``last reported Q1: Green`` beside an unreported status; else empty."""
        code = self.period.code if self.period else ""
        return rules.last_reported_phrase(self.status, self.last_reported, code)

    @property
    def reported(self) -> ProgressUpdate | None:
        """The approved update of the period: the only one whose words are reported."""
        if self.update is not None and self.update.state == APPROVED:
            return self.update
        return None

    @property
    def completed_before(self) -> bool:
        """Completed (and approved) in an earlier period: reported by exception."""
        return any(
            u.state == APPROVED and u.status and self._complete(u.status) for u in self.earlier
        )

    def _complete(self, code: str) -> bool:
        status = self.scale.get(code)
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

    @property
    def counted(self) -> list[ItemRow]:
        """The rows its summary counts: shown milestones, or actions."""
        if self.section.plan.tracks_milestones:
            return [m for a in self.actions for m in a.shown_milestones]
        return [a.row for a in self.actions]


def _period_keys(plan: Plan) -> frozenset[PeriodKey]:
    return frozenset(p.period.key for p in plan_periods(plan))


class DraftReaders:
    """Whose unapproved words ``user`` may read: administrators', the item's leads', its
    approvers'. From prefetched lead posts and one query for the approvable actions."""

    def __init__(self, user, plan: Plan):
        self.everything = user is None or grants_of(user).is_administrator
        grants = None if user is None else grants_of(user)
        self.posts = grants.post_ids if grants and grants.has(Role.LEAD) else frozenset()
        self.approvable: set[int] = set()
        if not self.everything and grants and grants.has(Role.APPROVER):
            self.approvable = set(
                access.approvable_actions(user).filter(plan=plan).values_list("pk", flat=True)
            )

    def may_read(self, item: Action | Milestone) -> bool:
        if self.everything:
            return True
        action = item.action if isinstance(item, Milestone) else item
        if action.pk in self.approvable:
            return True
        posts = {p.pk for p in item.lead_posts.all()}
        if isinstance(item, Milestone):
            posts |= {p.pk for p in action.lead_posts.all()}
        return bool(posts & self.posts)


def _row(
    item,
    updates: list[ProgressUpdate],
    period: Period,
    plan: Plan,
    keys: frozenset[PeriodKey],
    today: date,
    drafts: DraftReaders,
) -> ItemRow:
    current = next((u for u in updates if u.period_id == period.pk), None)
    earlier = [u for u in updates if u.period.key < period.key]
    shown = current
    if current is not None and current.state != APPROVED and not drafts.may_read(item):
        shown = None
    return ItemRow(
        item,
        shown,
        earlier,
        period=period,
        scale=plan.scale,
        period_keys=keys,
        as_of=rules.as_of(period.end, today),
        state=current.state if current else None,
        code=current.status if current else "",
    )


def _summary(plan: Plan, rows: list[ItemRow]) -> rules.StatusSummary:
    return rules.summarise(
        plan.status_scale,
        [r.status for r in rows],
        overdue=sum(1 for r in rows if r.overdue),
        stale=sum(1 for r in rows if r.stale),
    )


def plan_sections(
    plan: Plan, period: Period, actions: QuerySet[Action], *, user=None
) -> list[SectionView]:
    """The plan's sections with each visible action, its milestones and their updates.

    With ``user``, unapproved updates are shown only to those who may read drafts of
    the item; their status is never counted either way. Constant number of queries.
    """
    updates = ProgressUpdate.objects.select_related("period", "submitted_by", "approved_by")
    actions = (
        actions.filter(plan=plan)
        .select_related("section", "service", "plan")
        .prefetch_related(
            "partners",
            "lead_posts",
            Prefetch("updates", queryset=updates),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.prefetch_related(
                    "lead_posts", Prefetch("updates", queryset=updates)
                ).select_related("action__plan"),
            ),
        )
        .order_by("section__order", "order", "pk")
    )
    keys = _period_keys(plan)
    today = timezone.localdate()
    drafts = DraftReaders(user, plan)
    by_section: dict[int, list[ActionView]] = {}
    for action in actions:
        milestones = [
            _row(m, list(m.updates.all()), period, plan, keys, today, drafts)
            for m in action.milestones.all()
        ]
        row = _row(action, list(action.updates.all()), period, plan, keys, today, drafts)
        by_section.setdefault(action.section_id, []).append(ActionView(row, milestones))
    views = []
    sections = plan.sections.select_related("service", "plan").prefetch_related("outcome_measures")
    for section in sections.order_by("order", "pk"):
        view = SectionView(section, by_section.get(section.pk, []), rules.summarise("rag", []))
        view.summary = _summary(plan, view.counted)
        views.append(view)
    return views


def plan_summary(plan: Plan, sections: list[SectionView]) -> rules.StatusSummary:
    """The whole plan's counts: the sum of its sections."""
    return _summary(plan, [row for view in sections for row in view.counted])


# -- plans at a glance (the home page) -----------------------------------------------------


@dataclass
class PlanGlance:
    """A plan at a glance: its latest published period and the count per status then."""

    plan: Plan
    period: Period | None
    summary: rules.StatusSummary | None
    draft: bool = False  # the period shown is not yet reported (only before any publishing)

    @property
    def counted(self) -> list[rules.SummaryRow]:
        """The statuses with any items, in the scale's order."""
        return [row for row in self.summary.rows if row.count] if self.summary else []

    @property
    def has_updates(self) -> bool:
        """Any item reported with a status of the scale (an approved update)."""
        return bool(self.summary and self.summary.reported)


def updates_in_play(plan: Plan, period: Period, *fields: str) -> tuple[dict[int, tuple], set[int]]:
    """Per item (action, or milestone in a milestone plan): this period's status and
    ``fields``, and the set of items completed (and approved) in an earlier period.
    Values only: cheap enough for every plan on the home page."""
    current, completed, _ = _item_updates(plan, period, *fields)
    return current, completed


def _item_updates(
    plan: Plan, period: Period, *fields: str
) -> tuple[dict[int, tuple], set[int], dict[int, list[tuple[PeriodKey, str, str]]]]:
    """One query: per item, this period's (status, *fields); the items completed and
    approved earlier; and each item's earlier updates as (period, status, state)."""
    item_field = "milestone_id" if plan.tracks_milestones else "action_id"
    if plan.tracks_milestones:
        query = ProgressUpdate.objects.filter(milestone__action__plan=plan)
    else:
        query = ProgressUpdate.objects.filter(action__plan=plan)
    columns = ("period__year", "period__kind", "period__number", "status", "state")
    current: dict[int, tuple] = {}
    completed: set[int] = set()
    earlier: dict[int, list[tuple[PeriodKey, str, str]]] = {}
    for item_id, year, kind, number, status, state, *rest in query.values_list(
        item_field, *columns, *fields
    ):
        key = PeriodKey(year, PeriodKind(kind), number)
        if key == period.key:
            current[item_id] = (status, *rest)
        elif key < period.key:
            earlier.setdefault(item_id, []).append((key, status, state))
            found = plan.scale.get(status)
            if state == APPROVED and found is not None and found.complete:
                completed.add(item_id)
    return current, completed, earlier


def glance_summary(
    plan: Plan, period: Period, actions: QuerySet[Action], *, today: date | None = None
) -> rules.StatusSummary:
    """The plan's status counts for the period, as the plan page's whole-plan row has them
    (overdue and stale included), from values only."""
    visible = actions.filter(plan=plan)
    if plan.tracks_milestones:
        items = Milestone.objects.filter(action__in=visible).values_list("pk", "deadline")
    else:
        items = visible.values_list("pk", "target_date")
    targets = dict(items)
    current, completed, earlier = _item_updates(plan, period, "state")
    keys = _period_keys(plan)
    as_of = rules.as_of(period.end, today or timezone.localdate())
    positions = []
    for item_id, target in targets.items():
        if plan.tracks_milestones and item_id in completed:
            continue
        code, state = current.get(item_id, ("", None))
        positions.append(
            position(
                plan.scale,
                code=code,
                state=state,
                earlier=earlier.get(item_id, []),
                reported=period.key,
                period_keys=keys,
                target=target,
                as_of=as_of,
            )
        )
    return rules.summarise(
        plan.status_scale,
        [p.status for p in positions],
        overdue=sum(1 for p in positions if p.overdue),
        stale=sum(1 for p in positions if p.stale),
    )


def at_a_glance(plans: QuerySet[Plan], actions: QuerySet[Action], *, user) -> list[PlanGlance]:
    """Each plan's counts for its latest published period, over the actions the user may
    see. Before a plan publishes anything, those who may see drafts get the draft."""
    glances = []
    for plan in plans.order_by("title"):
        period = default_period(plan, user)
        summary = glance_summary(plan, period, actions) if period else None
        glances.append(PlanGlance(plan, period, summary, bool(period and is_draft(plan, period))))
    return glances


# -- a partner's golden thread ----------------------------------------------------------------


def latest_positions(user, actions: QuerySet[Action]) -> dict[int, tuple[Period | None, ItemRow]]:
    """Per action: the period its plan reports to ``user`` (the latest published) and the
    action's row then. Plans are read once each."""
    plans: dict[int, Plan] = {}
    result: dict[int, tuple[Period | None, ItemRow]] = {}
    today = timezone.localdate()
    for action in actions:
        plan = plans.setdefault(action.plan_id, action.plan)
        period = default_period(plan, user)
        if period is None:
            result[action.pk] = (None, ItemRow(action, None, scale=plan.scale))
            continue
        drafts = getattr(plan, "_gt_drafts", None) or DraftReaders(user, plan)
        plan._gt_drafts = drafts
        row = _row(
            action, list(action.updates.all()), period, plan, _period_keys(plan), today, drafts
        )
        result[action.pk] = (period, row)
    return result
