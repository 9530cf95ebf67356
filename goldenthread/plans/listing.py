"""The plan page's list: filters, text search, sort and pages over a plan's reported items.

A plan reports on its actions, or on their milestones for a Best Value plan: those are
the *items* listed. Everything a reader chooses is in the address (:class:`ListQuery`),
so a view can be bookmarked, shared and exported exactly.

The pure parts (reading the query, sort orders, status order, page windows, summaries
from counts) need no database. The database parts count the whole filtered set with
aggregate queries and load updates for the shown page's items only, in a fixed number
of queries whatever the plan's size.

Statuses follow :mod:`goldenthread.plans.rules`: only an approved update counts with its
status; a submitted one is "Awaiting approval", a returned one "Returned"; Overdue and
Stale are flags apart from RAG.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
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
from django.utils.http import urlencode

from goldenthread.core.access import Role, grants_of
from goldenthread.core.models import Organisation, Period, Post
from goldenthread.documents.model import Chart, Series
from goldenthread.documents.model import Tone as ChartTone
from goldenthread.plans import access, reading, rules
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, Section
from goldenthread.plans.reading import ItemRow, SectionView

PER_PAGE = 50
MAX_SEARCH_TERMS = 8
NO_UPDATE_PARAM = "none"  # the address's word for "No update" (its status code is empty)

# Reported codes beside a scale's own: what an update that is not approved shows as.
AWAITING = rules.AWAITING_APPROVAL.code
RETURNED = rules.RETURNED.code


# -- the query in the address -------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    label: str
    # (field, descending) pairs; ``target`` is the item's target date or deadline,
    # ``status_rank`` the reported status's place in :func:`status_order`.
    keys: tuple[tuple[str, bool], ...]


PLAN_ORDER = (("section_order", False), ("parent_order", False), ("order", False), ("pk", False))
SORTS: dict[str, Sort] = {
    "plan": Sort("Plan order", PLAN_ORDER),
    "status": Sort("Status, most worrying first", (("status_rank", False), *PLAN_ORDER)),
    "target": Sort("Target date, soonest first", (("target", False), *PLAN_ORDER)),
    "-target": Sort("Target date, latest first", (("target", True), *PLAN_ORDER)),
    "title": Sort("Title, A to Z", (("title", False), ("pk", False))),
}
DEFAULT_SORT = "plan"


@dataclass(frozen=True)
class Choices:
    """What the filters may name on this plan page: anything else is ignored, with a message."""

    partners: frozenset[str] = frozenset()
    sections: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()  # address values: scale codes, awaiting, returned, none
    leads: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ListQuery:
    """One view of a plan: its period, filters, search, sort and page."""

    period: str = ""
    partner: str = ""
    section: int | None = None
    status: tuple[str, ...] = ()
    lead: int | None = None
    overdue: bool = False
    stale: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    @property
    def filtered(self) -> bool:
        """Any filter or search narrowing the list (the period, sort and page do not)."""
        return bool(
            self.partner
            or self.section
            or self.status
            or self.lead
            or self.overdue
            or self.stale
            or self.q
        )

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)

    def params(self, **changes) -> list[tuple[str, str]]:
        """The query as address parameters, defaults left out; ``changes`` replace fields."""
        query = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if query.period:
            pairs.append(("period", query.period))
        if query.partner:
            pairs.append(("partner", query.partner))
        if query.section:
            pairs.append(("section", str(query.section)))
        pairs += [("status", s) for s in query.status]
        if query.lead:
            pairs.append(("lead", str(query.lead)))
        if query.overdue:
            pairs.append(("overdue", "1"))
        if query.stale:
            pairs.append(("stale", "1"))
        if query.q:
            pairs.append(("q", query.q))
        if query.sort != DEFAULT_SORT:
            pairs.append(("sort", query.sort))
        if query.page != 1:
            pairs.append(("page", str(query.page)))
        return pairs

    def querystring(self, **changes) -> str:
        """``?period=…&status=R`` (or empty): for links to this view or a variant of it."""
        pairs = self.params(**changes)
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def export_querystring(self) -> str:
        """The view without its page: an export holds the whole filtered list."""
        return self.querystring(page=1)


def _whole_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _flag(text: str) -> bool | None:
    """Tick-box values: ``1``/``yes``/``true``/``on`` → True, empty → False, else None."""
    text = text.strip().lower()
    if text in {"1", "yes", "true", "on"}:
        return True
    if text in {"", "0", "no", "false", "off"}:
        return False
    return None


def parse_query(
    params: Mapping[str, Sequence[str]], choices: Choices
) -> tuple[ListQuery, list[str]]:
    """The list query from the address, and a message for each value that was ignored.

    ``params`` maps each name to its values (a ``QueryDict`` read with ``lists()``, or a
    plain dict of lists). A value the page does not offer is dropped, never an error.
    """
    problems: list[str] = []

    def first(name: str) -> str:
        values = params.get(name) or [""]
        return values[0].strip()

    partner = first("partner")
    if partner and partner not in choices.partners:
        problems.append(f"There is no partner “{partner}” on this plan: showing every partner.")
        partner = ""

    section = None
    if text := first("section"):
        section = _whole_number(text)
        if section not in choices.sections:
            problems.append("That service or section is not in this plan: showing them all.")
            section = None

    statuses: list[str] = []
    for value in params.get("status") or []:
        value = value.strip()
        if not value:
            continue
        if value not in choices.statuses:
            problems.append(f"“{value}” is not a status of this plan: it was left out.")
        elif value not in statuses:
            statuses.append(value)

    lead = None
    if text := first("lead"):
        lead = _whole_number(text)
        if lead not in choices.leads:
            problems.append("That lead leads nothing in this plan: showing every lead.")
            lead = None

    flags = {}
    for name in ("overdue", "stale"):
        value = _flag(first(name))
        if value is None:
            problems.append(f"“{first(name)}” is not a choice for {name}: it was left out.")
            value = False
        flags[name] = value

    q = " ".join(first("q").split())[:200]

    sort = first("sort") or DEFAULT_SORT
    if sort not in SORTS:
        problems.append(f"“{sort}” is not a way to sort this list: shown in plan order.")
        sort = DEFAULT_SORT

    page = 1
    if text := first("page"):
        number = _whole_number(text)
        if number is None or number < 1:
            problems.append(f"“{text}” is not a page number: showing the first page.")
        else:
            page = number

    query = ListQuery(
        period=first("period"),
        partner=partner,
        section=section,
        status=tuple(statuses),
        lead=lead,
        overdue=flags["overdue"],
        stale=flags["stale"],
        q=q,
        sort=sort,
        page=page,
    )
    return query, problems


def search_terms(text: str) -> list[str]:
    """Words to find (each somewhere in the item); "quoted phrases" stay whole."""
    terms = []
    for quoted, word in re.findall(r'"([^"]+)"|(\S+)', text or ""):
        term = (quoted or word).strip()
        if term and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_SEARCH_TERMS]


# -- statuses -------------------------------------------------------------------------------


def reported_statuses(scale_code: str) -> tuple[rules.Status, ...]:
    """Every status an item can be shown with, in the summary's column order."""
    return (
        *rules.SCALES[scale_code].statuses,
        rules.AWAITING_APPROVAL,
        rules.RETURNED,
        rules.NO_UPDATE,
    )


def status_param(status: rules.Status) -> str:
    """The address value of a reported status."""
    return status.code or NO_UPDATE_PARAM


def status_code(param: str) -> str:
    """The reported code behind an address value (``none`` → "")."""
    return "" if param == NO_UPDATE_PARAM else param


def status_from_code(scale_code: str, code: str) -> rules.Status:
    for status in reported_statuses(scale_code):
        if status.code == code:
            return status
    raise ValueError(f"{code!r} is not a reported status on the {scale_code} scale.")


def status_order(scale_code: str) -> list[str]:
    """Reported codes, most worrying first: red, amber, returned, awaiting approval,
    no update, then on track and complete (the scale's order within a colour)."""
    worry = {rules.Tone.RED: 0, rules.Tone.AMBER: 1, rules.Tone.GREEN: 5, rules.Tone.BLUE: 6}
    others = {RETURNED: 2, AWAITING: 3, "": 4}
    statuses = list(reported_statuses(scale_code))

    def rank(status: rules.Status) -> tuple[int, int]:
        place = others.get(status.code, worry.get(status.tone, 4))
        return (place, statuses.index(status))

    return [status.code for status in sorted(statuses, key=rank)]


def summary_from_counts(scale_code: str, counts: Mapping[str, int]) -> rules.StatusSummary:
    """Counts per reported code → every column (zeros included) with whole percentages."""
    total = sum(counts.values())
    return rules.StatusSummary(
        tuple(
            rules.SummaryRow(s, counts.get(s.code, 0), rules.percent(counts.get(s.code, 0), total))
            for s in reported_statuses(scale_code)
        ),
        total,
    )


# -- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageWindow:
    number: int
    count: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def start(self) -> int:
        """Index of the first item on the page (0-based)."""
        return (self.number - 1) * self.per_page

    @property
    def end(self) -> int:
        return min(self.start + self.per_page, self.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def links(self) -> list[int | None]:
        """Page numbers to offer, ``None`` for an ellipsis: first, last and the current
        page's neighbours, as the GOV.UK pagination component shows them."""
        wanted = {1, self.pages, self.number - 1, self.number, self.number + 1}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        result: list[int | None] = []
        for n in shown:
            if result and n - result[-1] > 1:  # type: ignore[operator]
                result.append(None)
            result.append(n)
        return result


def page_window(number: int, count: int, per_page: int = PER_PAGE) -> tuple[PageWindow, bool]:
    """The page to show, and whether the asked-for number was past the end (then the last)."""
    pages = max(1, math.ceil(count / per_page))
    if number > pages:
        return PageWindow(pages, count, per_page), True
    return PageWindow(max(1, number), count, per_page), False


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


class _Readable:
    """Whose unapproved words ``user`` may read, as the reading module decides for the plan
    page: administrators', the item's leads' (its own or its action's posts), and its
    approvers'. One query for the approvable actions; lead posts come prefetched."""

    def __init__(self, user, plan: Plan):
        grants = grants_of(user)
        self.everything = grants.is_administrator
        self.posts = grants.post_ids if grants.has(Role.LEAD) else frozenset()
        self.approvable: set[int] = set()
        if not self.everything and grants.has(Role.APPROVER):
            self.approvable = set(
                access.approvable_actions(user).filter(plan=plan).values_list("pk", flat=True)
            )

    def __call__(self, item: Action | Milestone) -> bool:
        if self.everything:
            return True
        action = item.action if isinstance(item, Milestone) else item
        if action.pk in self.approvable:
            return True
        posts = {p.pk for p in item.lead_posts.all()}
        if isinstance(item, Milestone):
            posts |= {p.pk for p in action.lead_posts.all()}
        return bool(posts & self.posts)


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
    readable = _Readable(user, plan)
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
