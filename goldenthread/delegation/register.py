"""The register of write-offs: debts written off for a council in a financial year, with
totals by value band, type of debt and quarter, for the pages, exports and report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from goldenthread.core.models import Organisation
from goldenthread.core.periods import PeriodKey, PeriodKind, financial_year_of, period_containing
from goldenthread.delegation import access, rules
from goldenthread.delegation.changes import scheme_in_force
from goldenthread.delegation.models import WriteOffRequest

# Band labels in the scheme's order (every table of the seed has the same five).
TOTAL = "Total"


@dataclass(frozen=True)
class Register:
    council: Organisation
    year: int
    entries: list[WriteOffRequest]
    debt_types: list[tuple[str, str]]  # (key, title)
    bands: list[str]  # labels, lowest first
    by_band: dict[tuple[str, str], tuple[int, Decimal]]  # (band, type) → (count, total)
    quarters: list[str]
    by_quarter: dict[tuple[str, str], tuple[int, Decimal]]  # (quarter, type) → count, total
    total: Decimal

    @property
    def year_label(self) -> str:
        return PeriodKey(self.year, PeriodKind.YEAR).financial_year


def year_label(year: int) -> str:
    return PeriodKey(year, PeriodKind.YEAR).financial_year


def council_or_404(user, code: str | None) -> Organisation:
    """The council a page asks for, if the user may read its register (else 404)."""
    councils = access.councils_readable(user)
    if not code:
        council = councils.filter(pk__in=WriteOffRequest.objects.values("council")).first()
        council = council or councils.first()
    else:
        council = councils.filter(code=code).first()
    if council is None:
        raise Http404("There is no register of write-offs you may read for that council.")
    return council


def year_or_404(text: str | None) -> int:
    if not text:
        return financial_year_of(timezone.localdate())
    try:
        year = int(text)
    except ValueError:
        raise Http404("The year must be the one a financial year starts in, like 2019.") from None
    if not 2000 <= year <= 2098:
        raise Http404("That financial year is outside the years we keep.")
    return year


def written_off(council: Organisation, year: int) -> QuerySet[WriteOffRequest]:
    start = PeriodKey(year, PeriodKind.YEAR).start
    end = PeriodKey(year, PeriodKind.YEAR).end
    return (
        WriteOffRequest.objects.filter(
            council=council,
            state=rules.State.WRITTEN_OFF,
            decided_on__date__gte=start,
            decided_on__date__lte=end,
        )
        .select_related("council", "scheme", "decided_by", "made_by")
        .prefetch_related("consultations")
        .order_by("decided_on", "pk")
    )


def years_with_entries(council: Organisation) -> list[int]:
    days = WriteOffRequest.objects.filter(council=council, state=rules.State.WRITTEN_OFF).dates(
        "decided_on", "day"
    )
    years = {financial_year_of(d) for d in days}
    years.add(financial_year_of(timezone.localdate()))
    return sorted(years, reverse=True)


def register(council: Organisation, year: int) -> Register:
    entries = list(written_off(council, year))
    debt_types: dict[str, str] = {}
    bands: list[str] = []
    schemes = {e.scheme_id: e.scheme for e in entries}
    current = scheme_in_force(council, timezone.localdate())
    if current is not None:
        schemes.setdefault(current.pk, current)
    for scheme in sorted(schemes.values(), key=lambda s: s.version):
        for kind in scheme.rules.debt_types:
            debt_types.setdefault(kind.key, kind.title)
            for band in kind.bands:
                if band.label not in bands:
                    bands.append(band.label)
    by_band: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal("0.00")])
    by_quarter: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal("0.00")])
    quarters = [PeriodKey(year, PeriodKind.QUARTER, n).code for n in range(1, 5)]
    total = Decimal("0.00")
    for entry in entries:
        quarter = period_containing(timezone.localdate(entry.decided_on)).code
        for key in ((entry.band, entry.debt_type), (entry.band, TOTAL)):
            by_band[key][0] += 1
            by_band[key][1] += entry.amount
        for key in ((quarter, entry.debt_type), (quarter, TOTAL)):
            by_quarter[key][0] += 1
            by_quarter[key][1] += entry.amount
        for key in ((TOTAL, entry.debt_type), (TOTAL, TOTAL)):
            by_band[key][0] += 1
            by_band[key][1] += entry.amount
            by_quarter[key][0] += 1
            by_quarter[key][1] += entry.amount
        total += entry.amount
        debt_types.setdefault(entry.debt_type, entry.debt_type)
        if entry.band not in bands:
            bands.append(entry.band)
    return Register(
        council=council,
        year=year,
        entries=entries,
        debt_types=list(debt_types.items()),
        bands=bands,
        by_band={k: (v[0], v[1]) for k, v in by_band.items()},
        quarters=quarters,
        by_quarter={k: (v[0], v[1]) for k, v in by_quarter.items()},
        total=total,
    )


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def totals_rows(labels: list[str], types: list[tuple[str, str]], cells: dict) -> list[list[str]]:
    """Rows of a totals table: label, then "count, £amount" per type and the total."""
    rows = []
    for label in [*labels, TOTAL]:
        row = [label]
        for key in [*(k for k, _ in types), TOTAL]:
            count, amount = cells.get((label, key), (0, Decimal("0.00")))
            row.append(f"{count} · {money(amount)}" if count else "–")
        rows.append(row)
    return rows


EXPORT_COLUMNS = [
    "Reference",
    "Council",
    "Type of debt",
    "Debtor",
    "Account reference",
    "Amount (£)",
    "Value band",
    "Decided by (post)",
    "Decided by",
    "Decided on",
    "Consultees",
    "Statutory source",
    "Scheme version",
    "Reason",
]


def export_rows(reg: Register) -> list[list]:
    titles = dict(reg.debt_types)
    rows = []
    for e in reg.entries:
        rows.append(
            [
                e.reference,
                e.council.code,
                titles.get(e.debt_type, e.debt_type),
                e.debtor,
                e.account_reference,
                e.amount,
                e.band,
                e.decided_as or e.authority_title,
                e.decided_by.get_full_name() if e.decided_by else "",
                e.decided_date.isoformat() if e.decided_date else "",
                "; ".join(c.consultee for c in e.consultations.all()),
                e.source,
                e.scheme.version,
                e.reason,
            ]
        )
    return rows
