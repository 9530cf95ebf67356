"""The plan page's list, the rules without the database: the query in the address
(:class:`ListQuery`, read by :func:`parse_query`), sort orders, the order of statuses from
the most worrying, summaries from counts, and pages.

Statuses follow :mod:`goldenthread.plans.rules`: only an approved update counts with its
status; a submitted one is "Awaiting approval", a returned one "Returned".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.utils.http import urlencode

from goldenthread.plans import rules

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
