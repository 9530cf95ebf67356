"""Rows of the registers as files: the register's own exports (everything) and the
Transparency Code's quarterly open data (contracts over £5,000 and grants to voluntary
bodies, with withheld fields written ``REDACTED``). Every cell goes through
:mod:`goldenthread.documents.cells`, so none is run as a formula."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from goldenthread.core.periods import PeriodKey
from goldenthread.documents import cells
from goldenthread.registers import rules
from goldenthread.registers.models import Contract, Grant


def _cell(record, name: str, value: str, *, publish: bool) -> str:
    return rules.REDACTED if publish and record.redaction.hides(name) else value


def contract_row(c: Contract, *, publish: bool = False) -> list[str]:
    """One contract in :data:`rules.CONTRACT_COLUMNS` order."""
    return [
        c.council.name,
        c.council.gss_code,
        c.reference,
        c.title,
        c.department,
        _cell(c, "description", c.description, publish=publish),
        _cell(c, "supplier_name", c.supplier_name, publish=publish),
        _cell(c, "supplier_company_number", c.supplier_company_number, publish=publish),
        _cell(c, "supplier_charity_number", c.supplier_charity_number, publish=publish),
        rules.yes_no(c.sme),
        rules.yes_no(c.vcse),
        rules.money_text(c.value),
        rules.money_text(c.irrecoverable_vat),
        rules.date_text(c.starts_on),
        rules.date_text(c.ends_on),
        rules.date_text(c.review_on),
        c.route_label,
        rules.redaction_columns(c.redaction.fields, rules.CONTRACT_REDACTABLE),
        c.redaction.reason,
    ]


def grant_row(g: Grant, *, publish: bool = False, register: bool = False) -> list[str]:
    """One grant in :data:`rules.GRANT_COLUMNS` order (then, for the register's own
    export, :data:`rules.GRANT_REGISTER_EXTRA`)."""
    extra = [g.programme, rules.yes_no(g.voluntary_body)] if register else []
    return [
        g.council.name,
        g.council.gss_code,
        g.reference,
        rules.date_text(g.awarded_on),
        rules.date_text(g.starts_on),
        rules.date_text(g.ends_on),
        g.department,
        _cell(g, "recipient", g.recipient, publish=publish),
        _cell(g, "recipient_number", g.recipient_number, publish=publish),
        _cell(g, "purpose", g.purpose, publish=publish),
        rules.money_text(g.amount),
        rules.redaction_columns(g.redaction.fields, rules.GRANT_REDACTABLE),
        g.redaction.reason,
        *extra,
    ]


# --- The quarterly open data ---------------------------------------------------------------


def published_contracts(quarter: PeriodKey) -> QuerySet[Contract]:
    """Contracts over £5,000 that ran on any day of the quarter, every council."""
    return (
        Contract.objects.filter(value__gt=rules.PUBLISH_OVER, starts_on__lte=quarter.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=quarter.start))
        .select_related("council")
        .order_by("council__code", "starts_on", "reference")
    )


def published_grants(quarter: PeriodKey) -> QuerySet[Grant]:
    """Grants to voluntary bodies awarded in the quarter, every council."""
    return (
        Grant.objects.filter(
            voluntary_body=True, awarded_on__gte=quarter.start, awarded_on__lte=quarter.end
        )
        .select_related("council")
        .order_by("council__code", "awarded_on", "reference")
    )


def contracts_csv(quarter: PeriodKey) -> str:
    rows = (contract_row(c, publish=True) for c in published_contracts(quarter))
    return cells.csv_text(rules.CONTRACT_COLUMNS, rows)


def grants_csv(quarter: PeriodKey) -> str:
    rows = (grant_row(g, publish=True) for g in published_grants(quarter))
    return cells.csv_text(rules.GRANT_COLUMNS, rows)


@dataclass(frozen=True)
class QuarterFiles:
    quarter: PeriodKey
    slug: str
    contracts: int
    grants: int


def publishable_quarters() -> list[PeriodKey]:
    """From the first quarter with published data to the current one: each has a file."""
    firsts = [
        d
        for d in (
            Contract.objects.filter(value__gt=rules.PUBLISH_OVER)
            .order_by("starts_on")
            .values_list("starts_on", flat=True)
            .first(),
            Grant.objects.filter(voluntary_body=True)
            .order_by("awarded_on")
            .values_list("awarded_on", flat=True)
            .first(),
        )
        if d is not None
    ]
    if not firsts:
        return []
    current = rules.quarter_of(timezone.localdate())
    return rules.quarters_between(rules.quarter_of(min(firsts)), current)


def index(quarters: list[PeriodKey]) -> list[QuarterFiles]:
    """The quarters' files with their row counts, newest first (two queries in all)."""
    contracts = list(
        Contract.objects.filter(value__gt=rules.PUBLISH_OVER).values_list("starts_on", "ends_on")
    )
    grants = list(Grant.objects.filter(voluntary_body=True).values_list("awarded_on", flat=True))
    files = [
        QuarterFiles(
            quarter=q,
            slug=rules.quarter_slug(q),
            contracts=sum(1 for s, e in contracts if rules.live_in(q, s, e)),
            grants=sum(1 for d in grants if q.contains(d)),
        )
        for q in reversed(quarters)
    ]
    # Quarters with nothing in either file still have their (empty) files; the index lists
    # those with rows, and the current quarter.
    return [f for i, f in enumerate(files) if i == 0 or f.contracts or f.grants]
