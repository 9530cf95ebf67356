"""The plan page's list: filters, text search, sort and pages over a plan's reported items.

A plan reports on its actions, or on their milestones for a Best Value plan: those are
the *items* listed. Everything a reader chooses is in the address (a
:class:`~goldenthread.plans.listing_rules.ListQuery`), so a view can be bookmarked,
shared and exported exactly. The rules without the database are in
:mod:`goldenthread.plans.listing_rules`; here the database counts the whole filtered set
with aggregate queries and loads updates for the shown page's items only, in a fixed
number of queries whatever the plan's size.

Statuses follow :mod:`goldenthread.plans.rules`: only an approved update counts with its
status; a submitted one is "Awaiting approval", a returned one "Returned"; Overdue and
Stale are flags apart from RAG.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from goldenthread.core.models import Organisation, Period, Post
from goldenthread.documents.model import Chart, Series
from goldenthread.documents.model import Tone as ChartTone
from goldenthread.plans import reading, rules
from goldenthread.plans.listing_rules import (
    AWAITING,
    DEFAULT_SORT,
    RETURNED,
    SORTS,
    Choices,
    ListQuery,
    PageWindow,
    page_window,
    reported_statuses,
    status_code,
    status_order,
    status_param,
    summary_from_counts,
)
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, Section
from goldenthread.plans.reading import ItemRow, SectionView

# -- the database ---------------------------------------------------------------------------


def choices_for(plan: Plan, partners: Iterable[Organisation]) -> Choices:
    return Choices(
        partners=frozenset(p.code for p in partners),
        sections=frozenset(plan.sections.values_list("pk", flat=True)),
        statuses=frozenset(status_param(s) for s in reported_statuses(plan.status_scale)),
        leads=frozenset(lead_posts(plan).values_list("pk", flat=True)),
    )


def lead_posts(plan: Plan) -> QuerySet[Post]:
    """The posts leading any of the plan's items: the lead filter's choices."""
    if plan.tracks_milestones:
        led = Q(milestones__action__plan=plan) | Q(actions__plan=plan)
    else:
        led = Q(actions__plan=plan)
    ids = Post.objects.filter(led).values("pk")
    return Post.objects.filter(pk__in=ids).order_by("title")


def _reported_code(owner: str, earlier: list[int], complete: list[str]) -> Case:
    """An item's reported code, as :func:`rules.reported_status` gives it for the period's
    update (joined as ``current``); with none, the status of its latest approved earlier
    update if that was complete (it stays complete), else empty. The earlier update is
    looked up only for items with no update this period."""
    carried = (
        ProgressUpdate.objects.filter(
            **{owner: OuterRef("pk")}, period__in=earlier, state=rules.APPROVED_STATE
        )
        .exclude(status="")
        .order_by("-period__year", "-period__number")
        .annotate(code=Case(When(status__in=complete, then=F("status")), default=Value("")))
        .values("code")[:1]
    )
    return Case(
        When(current__isnull=True, then=Coalesce(Subquery(carried), Value(""))),
        When(Q(current__status="") | Q(current__status__isnull=True), then=Value("")),
        When(current__state=rules.APPROVED_STATE, then=F("current__status")),
        When(current__state=rules.RETURNED_STATE, then=Value(RETURNED)),
        default=Value(AWAITING),
    )


def _earlier(period: Period) -> list[int]:
    return [p.pk for p in Period.objects.all() if p.key < period.key]


def items(
    plan: Plan, period: Period, visible: QuerySet[Action], *, today: date
) -> QuerySet[Action] | QuerySet[Milestone]:
    """The plan's items the user may see, each annotated with its reported position as
    :func:`goldenthread.plans.reading.position` gives it, computed by the database:

    ``reported``: the status code readers are shown (a scale code, ``awaiting``,
    ``returned``, or empty for no update; an item completed and approved earlier with no
    update now stays complete); ``overdue`` and ``stale``, flags apart from it;
    ``target``, ``section_id`` and the orders a sort uses. Milestones completed before
    the period are left out of a milestone plan, as the papers leave them out.
    """
    milestones = plan.tracks_milestones
    scale = plan.scale
    complete = [s.code for s in scale.statuses if s.complete]
    owner = "milestone" if milestones else "action"
    earlier = _earlier(period)
    if milestones:
        query = Milestone.objects.filter(
            action__plan=plan, action__in=visible.filter(plan=plan).values("pk")
        ).annotate(
            section_id=F("action__section_id"),
            section_order=F("action__section__order"),
            parent_order=F("action__order"),
            target=F("deadline"),
        )
        done_before = ProgressUpdate.objects.filter(
            milestone=OuterRef("pk"),
            period__in=earlier,
            state=rules.APPROVED_STATE,
            status__in=complete,
        )
        query = query.exclude(Exists(done_before))
    else:
        query = Action.objects.filter(plan=plan, pk__in=visible.filter(plan=plan).values("pk"))
        query = query.annotate(section_order=F("section__order"), parent_order=F("order"))
        query = query.annotate(target=F("target_date"))
    query = query.annotate(
        current=FilteredRelation("updates", condition=Q(updates__period=period))
    ).annotate(reported=_reported_code(owner, earlier, complete))
    rank = status_order(scale.code)
    unreported = [AWAITING, RETURNED, ""]
    return query.annotate(
        overdue=ExpressionWrapper(
            Q(target__lt=rules.as_of(period.end, today)) & ~Q(reported__in=complete),
            output_field=BooleanField(),
        ),
        stale=ExpressionWrapper(Q(reported__in=unreported), output_field=BooleanField()),
        status_rank=Case(
            *[When(reported=code, then=Value(n)) for n, code in enumerate(rank)],
            default=Value(len(rank)),
            output_field=IntegerField(),
        ),
    )


def _in_subquery(through, column: str, **lookup):
    return through.objects.filter(**lookup).values(column)


def apply(query_set: QuerySet, plan: Plan, period: Period, query: ListQuery) -> QuerySet:
    """The items narrowed by the query's filters and search (not yet sorted or paged)."""
    milestones = plan.tracks_milestones
    action_pk = "action_id" if milestones else "pk"
    through_partners = Action.partners.through
    if query.partner:
        concerned = _in_subquery(through_partners, "action_id", organisation__code=query.partner)
        query_set = query_set.filter(
            Q(**{("action__all_partners" if milestones else "all_partners"): True})
            | Q(**{f"{action_pk}__in": concerned})
        )
    if query.section:
        query_set = query_set.filter(section_id=query.section)
    if query.status:
        query_set = query_set.filter(reported__in=[status_code(s) for s in query.status])
    if query.lead:
        led_actions = _in_subquery(Action.lead_posts.through, "action_id", post_id=query.lead)
        if milestones:
            led = _in_subquery(Milestone.lead_posts.through, "milestone_id", post_id=query.lead)
            query_set = query_set.filter(Q(pk__in=led) | Q(action_id__in=led_actions))
        else:
            query_set = query_set.filter(pk__in=led_actions)
    if query.overdue:
        query_set = query_set.filter(overdue=True)
    if query.stale:
        query_set = query_set.filter(stale=True)
    for term in query.terms:
        query_set = query_set.filter(_matches(term, milestones, period))
    return query_set


def _matches(term: str, milestones: bool, period: Period) -> Q:
    """The item's words, or the words of its update for the period, contain ``term``."""
    words = ProgressUpdate.objects.filter(period=period).filter(
        Q(progress__icontains=term) | Q(next_steps__icontains=term)
    )
    if milestones:
        return (
            Q(title__icontains=term)
            | Q(lead__icontains=term)
            | Q(action__ref__icontains=term)
            | Q(action__title__icontains=term)
            | Q(pk__in=words.filter(milestone__isnull=False).values("milestone_id"))
        )
    return (
        Q(ref__icontains=term)
        | Q(title__icontains=term)
        | Q(lead__icontains=term)
        | Q(outcome__icontains=term)
        | Q(pk__in=words.filter(action__isnull=False).values("action_id"))
    )


def ordered(query_set: QuerySet, sort: str) -> QuerySet:
    expressions = []
    for name, descending in SORTS[sort].keys:
        expression = F(name)
        if descending:
            expressions.append(expression.desc(nulls_last=True))
        else:
            expressions.append(expression.asc(nulls_last=True))
    return query_set.order_by(*expressions)


# -- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class SectionCount:
    section: Section
    summary: rules.StatusSummary
    overdue: int
    stale: int


@dataclass(frozen=True)
class Summary:
    """Counts of the whole filtered list: per section and for the whole list."""

    sections: tuple[SectionCount, ...]
    whole: rules.StatusSummary
    overdue: int
    stale: int
    statuses: tuple[rules.Status, ...]

    @property
    def total(self) -> int:
        return self.whole.total


def summarise(query_set: QuerySet, plan: Plan, sections: Sequence[Section]) -> Summary:
    """Per section and status, and overdue and stale, counted by the database."""
    counts: dict[int, dict[str, int]] = {}
    flags: dict[int, tuple[int, int]] = {}
    grouped_counts = (
        query_set.order_by()
        .values("section_id", "reported")
        .annotate(
            n=Count("pk"),
            n_overdue=Count("pk", filter=Q(overdue=True)),
            n_stale=Count("pk", filter=Q(stale=True)),
        )
    )
    for group in grouped_counts:
        section_id = group["section_id"]
        counts.setdefault(section_id, {})[group["reported"] or ""] = group["n"]
        overdue, stale = flags.get(section_id, (0, 0))
        flags[section_id] = (overdue + group["n_overdue"], stale + group["n_stale"])
    rows = []
    whole: dict[str, int] = {}
    for section in sections:
        if section.pk not in counts:
            continue
        for code, n in counts[section.pk].items():
            whole[code] = whole.get(code, 0) + n
        overdue, stale = flags.get(section.pk, (0, 0))
        rows.append(
            SectionCount(
                section, summary_from_counts(plan.status_scale, counts[section.pk]), overdue, stale
            )
        )
    return Summary(
        tuple(rows),
        summary_from_counts(plan.status_scale, whole),
        sum(r.overdue for r in rows),
        sum(r.stale for r in rows),
        reported_statuses(plan.status_scale),
    )


def status_chart(plan: Plan, summary: Summary) -> Chart | None:
    """The papers' stacked bar chart (one bar per section, a segment per status in use)."""
    if not summary.sections:
        return None
    noun = "milestones" if plan.tracks_milestones else "actions"
    used = [s for s in summary.statuses if summary.whole.count(s.code)]
    categories = tuple(row.section.title for row in summary.sections)
    series = tuple(
        Series(
            s.label,
            tuple(float(row.summary.count(s.code)) for row in summary.sections),
            ChartTone(s.tone.value),
        )
        for s in used
    )
    described = []
    for row in summary.sections:
        parts = [
            f"{row.summary.count(s.code)} {s.label}" for s in used if row.summary.count(s.code)
        ]
        described.append(f"{row.section.title}: {', '.join(parts)}")
    kind = (summary.sections[0].section.get_kind_display() or "section").lower()
    return Chart(
        title=f"{noun.capitalize()} by status and {kind}",
        kind="stacked_bar",
        categories=categories,
        series=series,
        description=f"Stacked bar chart of {noun} by status. " + "; ".join(described) + ".",
        value_label=noun.capitalize(),
    )


@dataclass
class Listed:
    """An item on the page: its row as the plan's reading module reports it (status,
    overdue, stale, last reported, and the update's words only if the user may read them)."""

    row: ItemRow
    section: Section
    action: Action

    @property
    def item(self) -> Action | Milestone:
        return self.row.item

    @property
    def is_milestone(self) -> bool:
        return isinstance(self.row.item, Milestone)

    @property
    def target_label(self) -> str:
        item = self.row.item
        if isinstance(item, Milestone):
            return item.deadline_label or item.deadline_note
        return item.target_label


def rows_for(
    item_ids: Sequence[int], plan: Plan, period: Period, *, user, today: date
) -> list[Listed]:
    """The items (in the given order) as the reading module reports them (its
    :class:`~goldenthread.plans.reading.ItemRow`), from this period's updates and the
    earlier approved ones of these items only: a fixed number of queries."""
    if not item_ids:
        return []
    milestones = plan.tracks_milestones
    if milestones:
        found = Milestone.objects.select_related("action__section", "action__plan")
        found = found.prefetch_related("lead_posts", "action__lead_posts")
    else:
        found = Action.objects.select_related("section", "plan")
        found = found.prefetch_related("partners", "lead_posts")
    items = {item.pk: item for item in found.filter(pk__in=item_ids)}
    owner = "milestone_id" if milestones else "action_id"
    updates = ProgressUpdate.objects.filter(**{f"{owner}__in": item_ids})
    current = {
        getattr(u, owner): u
        for u in updates.filter(period=period).select_related(
            "period", "submitted_by", "approved_by"
        )
    }
    earlier: dict[int, list[ProgressUpdate]] = {}
    for update in (
        updates.filter(period__in=_earlier(period), state=rules.APPROVED_STATE)
        .select_related("period")
        .only("pk", owner, "period", "status", "state")
    ):
        earlier.setdefault(getattr(update, owner), []).append(update)
    keys = frozenset(p.period.key for p in reading.plan_periods(plan))
    as_of = rules.as_of(period.end, today)
    readable = reading.DraftReaders(user, plan).may_read
    rows = []
    for pk in item_ids:
        item = items.get(pk)
        if item is None:
            continue
        update = current.get(pk)
        shown = update
        if update is not None and update.state != rules.APPROVED_STATE and not readable(item):
            shown = None
        row = ItemRow(
            item,
            shown,
            earlier.get(pk, []),
            period=period,
            scale=plan.scale,
            period_keys=keys,
            as_of=as_of,
            state=update.state if update else None,
            code=update.status if update else "",
        )
        action = item.action if milestones else item
        rows.append(Listed(row, action.section, action))
    return rows


@dataclass(frozen=True)
class SectionGroup:
    """The page's rows of one section, in order (a section may appear in several groups
    when the list is sorted other than in plan order)."""

    section: Section
    rows: tuple[Listed, ...]


def grouped(rows: Sequence[Listed], *, by_section: bool) -> list[SectionGroup]:
    """Consecutive rows of the same section together (one group when not in plan order)."""
    if not rows:
        return []
    if not by_section:
        return [SectionGroup(rows[0].section, tuple(rows))]
    groups: list[SectionGroup] = []
    for row in rows:
        if groups and groups[-1].section.pk == row.section.pk:
            groups[-1] = SectionGroup(groups[-1].section, (*groups[-1].rows, row))
        else:
            groups.append(SectionGroup(row.section, (row,)))
    return groups


@dataclass
class Listing:
    """Everything the plan page's results show for one query."""

    query: ListQuery
    summary: Summary
    window: PageWindow
    rows: list[Listed]
    groups: list[SectionGroup]
    chart: Chart | None
    problems: list[str]


def listing(
    plan: Plan,
    period: Period,
    visible: QuerySet[Action],
    query: ListQuery,
    *,
    today: date,
    sections: Sequence[Section],
    user,
    problems: list[str] | None = None,
) -> Listing:
    """Count the filtered list, then load only the asked-for page."""
    problems = list(problems or [])
    filtered = apply(items(plan, period, visible, today=today), plan, period, query)
    summary = summarise(filtered, plan, sections)
    window, past_end = page_window(query.page, summary.total)
    if past_end:
        problems.append(f"There are only {window.pages} pages: showing the last.")
        query = replace(query, page=window.number)
    page_ids = list(
        ordered(filtered, query.sort).values_list("pk", flat=True)[window.start : window.end]
    )
    rows = rows_for(page_ids, plan, period, user=user, today=today)
    return Listing(
        query=query,
        summary=summary,
        window=window,
        rows=rows,
        groups=grouped(rows, by_section=query.sort == DEFAULT_SORT),
        chart=status_chart(plan, summary),
        problems=problems,
    )


def export_sections(
    plan: Plan, period: Period, visible: QuerySet[Action], query: ListQuery, *, today: date, user
) -> list[SectionView]:
    """The whole filtered list (every page) as the plan exports write it: the sections of
    :func:`reading.plan_sections` holding only the listed actions (or milestones)."""
    filtered = apply(items(plan, period, visible, today=today), plan, period, query)
    ids = set(filtered.values_list("pk", flat=True))
    if not plan.tracks_milestones:
        return reading.plan_sections(plan, period, visible.filter(pk__in=ids), user=user)
    action_ids = Milestone.objects.filter(pk__in=ids).values("action_id")
    views = reading.plan_sections(plan, period, visible.filter(pk__in=action_ids), user=user)
    for view in views:
        for action_view in view.actions:
            action_view.milestones = [m for m in action_view.milestones if m.item.pk in ids]
    return views
