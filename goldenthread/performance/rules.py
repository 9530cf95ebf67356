"""Indicator rules: targets, RAG status, direction of travel, year to date, reporting
frequency, quartiles.

Pure functions with no database. Numbers are :class:`~decimal.Decimal`; a
target is kept exactly as the seeds write it ("98.70% (LBH) 99.6% (LBN)",
"<£20,000", "TBD") and read into comparator, value and partner here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.performance.units import (  # noqa: F401 - the rules' vocabulary
    UNIT_LABELS,
    Unit,
    format_difference,
    format_value,
    plain,
)


class Polarity(StrEnum):
    HIGHER = "higher"  # more is better
    LOWER = "lower"  # less is better
    BAND = "band"  # goal post: within target ± band
    COMPLIANT = "compliant"  # compliant / not compliant


POLARITY_LABELS = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.BAND: "Within a band",
    Polarity.COMPLIANT: "Compliant / not compliant",
}


class Comparator(StrEnum):
    LT = "<"
    LE = "≤"
    GE = "≥"
    GT = ">"
    EQ = "="


_COMPARATOR_SPELLINGS = {
    "<": Comparator.LT,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    "=<": Comparator.LE,
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "=>": Comparator.GE,
    ">": Comparator.GT,
    "=": Comparator.EQ,
}

# The direction a comparator says is better; EQ is a goal post.
_COMPARATOR_POLARITY = {
    Comparator.LT: Polarity.LOWER,
    Comparator.LE: Polarity.LOWER,
    Comparator.GE: Polarity.HIGHER,
    Comparator.GT: Polarity.HIGHER,
}


class ToleranceKind(StrEnum):
    ABSOLUTE = "absolute"  # in the indicator's unit (percentage points for %)
    RELATIVE = "relative"  # per cent of the target value


class YtdRule(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    LATEST = "latest"
    WEIGHTED = "weighted"  # average weighted by a denominator


class Frequency(StrEnum):
    """How often an indicator is reported (DOMAIN.md: strategic indicators annually)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    BIANNUAL = "biannual"
    ANNUAL = "annual"


class Scheme(StrEnum):
    """How amber is decided: councils differ (DOMAIN.md "Indicator RAG")."""

    TOLERANCE = "tolerance"  # amber: worse than target but within the tolerance
    LAST_YEAR = "last_year"  # amber: worse than target but better than last year


class TargetError(ValueError):
    """A target that cannot be used as written for this indicator."""


# ---------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class TargetPart:
    """One target: for every partner, or for the partner named in brackets.

    ``value`` is ``None`` when the target is not a number ("TBD", "Reactive");
    ``no_rag_reason`` then says why no RAG status is given.
    """

    text: str
    comparator: Comparator | None = None
    value: Decimal | None = None
    partner: str | None = None
    no_rag_reason: str = ""
    note: str = ""  # how the text was read, when not obvious ("0.9 read as 90%")
    compliance: bool = False  # the target is "Compliant"
    scaled: str = ""  # an annual target scaled to the year so far, in words

    @property
    def shown(self) -> str:
        """The target as the reason for a status names it."""
        return self.scaled or self.text

    @property
    def numeric(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Target:
    """A target as written, and the parts read from it."""

    text: str
    parts: tuple[TargetPart, ...]

    @property
    def by_partner(self) -> bool:
        return any(p.partner for p in self.parts)

    def for_partner(self, code: str | None) -> TargetPart | None:
        """The target for a partner (``None``: the whole shared service).

        A target written for named partners ("98.70% (LBH) 99.6% (LBN)") has
        none for other partners; a plain target applies to every partner.
        """
        if not self.by_partner:
            return self.parts[0] if self.parts else None
        return next((p for p in self.parts if p.partner == code), None)


_NOT_NUMBERS = {
    "tbd": "The target is to be decided (TBD)",
    "tbc": "The target is to be confirmed (TBC)",
    "reactive": "The indicator is reactive: it has no target",
    "n/a": "The target does not apply",
}

_NUMBER = re.compile(
    r"""^\s*
    (?P<cmp><=|>=|=<|=>|≤|≥|<|>|=)?\s*
    (?P<pound>£)?\s*
    (?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*
    (?P<mult>bn|m|k)?\s*
    (?P<unit>%|working\ days?|days?|weeks?|months?|points?)?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_PARTNER_PART = re.compile(r"([^()]+?)\s*\(\s*([A-Z]{2,10})\s*\)")
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}
_UNIT_WORDS = {
    "%": Unit.PERCENT,
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "working day": Unit.DAYS,
    "working days": Unit.DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
}


def parse_target(text: str, unit: Unit | str = Unit.COUNT) -> Target:
    """Read a target as the seeds write it; anything not a number is kept with a reason.

    ``"98.70% (LBH) 99.6% (LBN)"`` gives one part per partner, ``"<£20,000"``
    the comparator ``<`` and 20000, ``"TBD"`` a part with no value. A bare
    fraction for a percentage indicator ("0.9") is read as 90%, with a note.
    """
    written = " ".join((text or "").split())
    if not written:
        return Target("", (TargetPart("", no_rag_reason="No target has been set"),))
    matches = list(_PARTNER_PART.finditer(written))
    joined = " ".join(m.group(0) for m in matches)
    if matches and " ".join(joined.split()) == written:
        parts = tuple(_parse_part(m.group(1), Unit(unit), partner=m.group(2)) for m in matches)
        return Target(written, parts)
    return Target(written, (_parse_part(written, Unit(unit)),))


def _parse_part(text: str, unit: Unit, partner: str | None = None) -> TargetPart:
    text = text.strip()
    lowered = text.lower()
    if lowered in _NOT_NUMBERS:
        return TargetPart(text, partner=partner, no_rag_reason=_NOT_NUMBERS[lowered])
    if lowered in ("compliant", "yes"):
        return TargetPart(text, Comparator.EQ, Decimal(1), partner, compliance=True)
    match = _NUMBER.match(text)
    if not match:
        return TargetPart(
            text, partner=partner, no_rag_reason=f"The target “{text}” is not a number"
        )
    try:
        value = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return TargetPart(text, partner=partner, no_rag_reason=f"“{text}” is not a number")
    if match.group("mult"):
        value *= _MULTIPLIERS[match.group("mult").lower()]
    comparator = _COMPARATOR_SPELLINGS.get(match.group("cmp") or "")
    note = ""
    written_unit = (match.group("unit") or "").lower()
    if match.group("pound"):
        written_unit = "£"
    if written_unit and written_unit not in ("£", "point", "points"):
        found = _UNIT_WORDS.get(written_unit)
        if found is not None and found is not unit:
            return TargetPart(
                text,
                partner=partner,
                no_rag_reason=(
                    f"The target “{text}” is in {UNIT_LABELS[found]}, "
                    f"but the indicator is measured in {UNIT_LABELS[unit]}"
                ),
            )
    if written_unit == "£" and unit is not Unit.MONEY:
        return TargetPart(
            text,
            partner=partner,
            no_rag_reason=f"The target “{text}” is money, but the indicator is not",
        )
    if unit is Unit.PERCENT and not written_unit and value <= 1 and "." in match.group("num"):
        value = value * 100
        note = f"{text} read as {format_value(value, Unit.PERCENT)}"
    return TargetPart(text, comparator, value, partner, note=note)


def pro_rata(part: TargetPart, done: int, of: int) -> TargetPart:
    """A target for the whole year scaled to the part of the year gone: 2 quarters of 4 → half.

    Used for annual targets of cumulative figures (income, collection to date).
    """
    if part.value is None or part.compliance or done >= of:
        return part
    value = part.value * done / of
    shown = f"{plain(value, 2)}{'%' if part.text.rstrip().endswith('%') else ''}"
    shown = f"£{shown}" if part.text.lstrip("<>=≤≥ ").startswith("£") else shown
    scaled = f"{shown} ({part.text} pro rata for {done} of {of} periods)"
    return replace(part, value=value, scaled=scaled)


def run_rate(value: Decimal | None, done: int, of: int) -> Decimal | None:
    """A cumulative figure for part of the year scaled to a whole year: 24% after 1 of 4
    quarters runs at 96%. Compares cumulative figures of different points in the year."""
    if value is None:
        return None
    return value * of / done


def comparator_polarity(comparator: Comparator | None) -> Polarity | None:
    """The polarity a comparator implies (``<`` lower is better); ``None`` for none or ``=``."""
    return _COMPARATOR_POLARITY.get(comparator) if comparator else None


def check_target(target: Target, polarity: Polarity | str) -> list[str]:
    """Problems with using a target for an indicator of this polarity (empty if none)."""
    polarity = Polarity(polarity)
    problems = []
    for part in target.parts:
        implied = comparator_polarity(part.comparator)
        directional = polarity in (Polarity.HIGHER, Polarity.LOWER)
        if implied is not None and directional and implied is not polarity:
            problems.append(
                f"The target “{part.text}” says {POLARITY_LABELS[implied].lower()}, "
                f"but the indicator says {POLARITY_LABELS[polarity].lower()}."
            )
        if part.compliance and polarity is not Polarity.COMPLIANT:
            problems.append(
                f"The target “{part.text}” needs the polarity “compliant / not compliant”."
            )
    return problems


# ---------------------------------------------------------------------------
# Status


@dataclass(frozen=True)
class Status:
    """A computed status; ``tone`` is a GOV.UK tag colour, always shown with ``label``."""

    code: str
    label: str
    tone: str
    meaning: str
    rank: int  # 0 best; used to compare statuses

    @property
    def rated(self) -> bool:
        return self.code in ("G", "A", "R")

    @property
    def off_target(self) -> bool:
        return self.code in ("A", "R")


GREEN = Status("G", "Green", "green", "On or better than target", 0)
AMBER = Status("A", "Amber", "yellow", "Worse than target but within tolerance", 1)
RED = Status("R", "Red", "red", "Worse than target and outside tolerance", 2)
NOT_RATED = Status("N", "No RAG", "grey", "No numeric target, so no RAG status", 3)
NARRATIVE = Status("N", "Narrative only", "blue", "No numeric target: reported in words", 3)
NO_ACTUAL = Status("-", "No actual", "grey", "No actual recorded for the period", 4)
NOT_DUE = Status(
    "~", "Not due", "grey", "Not due this period: the indicator is reported less often", 5
)

STATUSES = (GREEN, AMBER, RED, NOT_RATED, NO_ACTUAL)
AMBER_LAST_YEAR = Status("A", "Amber", "yellow", "Worse than target but better than last year", 1)
RED_LAST_YEAR = Status("R", "Red", "red", "Worse than target and no better than last year", 2)


@dataclass(frozen=True)
class Tolerance:
    kind: ToleranceKind
    amount: Decimal

    def allowed(self, target: Decimal) -> Decimal:
        """How far worse than the target an actual may be and still be amber."""
        if self.kind is ToleranceKind.RELATIVE:
            return abs(target) * self.amount / 100
        return self.amount

    def __str__(self) -> str:
        if self.kind is ToleranceKind.RELATIVE:
            return f"{plain(self.amount)}% of the target"
        return plain(self.amount)


@dataclass(frozen=True)
class Assessment:
    status: Status
    reason: str  # in words: why this status
    target: TargetPart | None = None


def shortfall(
    actual: Decimal,
    target: TargetPart,
    polarity: Polarity | str,
    band: Decimal | None = None,
) -> tuple[bool, Decimal]:
    """Whether the actual meets the target, and how far short of it it falls (0 if met).

    A comparator written in the target decides the direction; without one the
    indicator's polarity does (``≥`` for higher is better, ``≤`` for lower).
    """
    if target.value is None:
        raise TargetError(target.no_rag_reason or "The target is not a number.")
    polarity = Polarity(polarity)
    goal = target.value
    if polarity is Polarity.COMPLIANT or target.compliance:
        met = actual == goal
        return met, Decimal(0) if met else abs(goal - actual)
    comparator = (
        target.comparator
        or {
            Polarity.HIGHER: Comparator.GE,
            Polarity.LOWER: Comparator.LE,
            Polarity.BAND: Comparator.EQ,
        }[polarity]
    )
    if comparator is Comparator.EQ:
        distance = abs(actual - goal)
        width = band or Decimal(0)
        return distance <= width, max(Decimal(0), distance - width)
    if comparator in (Comparator.GE, Comparator.GT):
        met = actual >= goal if comparator is Comparator.GE else actual > goal
        return met, max(Decimal(0), goal - actual)
    met = actual <= goal if comparator is Comparator.LE else actual < goal
    return met, max(Decimal(0), actual - goal)


def assess(
    actual: Decimal | None,
    target: TargetPart | None,
    *,
    polarity: Polarity | str,
    unit: Unit | str = Unit.COUNT,
    tolerance: Tolerance | None = None,
    band: Decimal | None = None,
    scheme: Scheme | str = Scheme.TOLERANCE,
    last_year: Decimal | None = None,
    narrative_blue: bool = False,
) -> Assessment:
    """The RAG status of an actual against its target, with the reason in words.

    Green: on or better than target. Under the tolerance scheme, amber is worse
    than target by no more than the tolerance and red is further off; under the
    last-year scheme, amber is worse than target but better than the same
    period last year. A target that is not a number gives no RAG status.
    """
    unit = Unit(unit)
    polarity = Polarity(polarity)
    if actual is None:
        return Assessment(NO_ACTUAL, "No actual has been recorded for the period.", target)
    unrated = NARRATIVE if narrative_blue else NOT_RATED
    if target is None:
        return Assessment(unrated, "There is no target for this partner and year.", None)
    if target.value is None:
        return Assessment(unrated, f"{target.no_rag_reason}, so no RAG status is given.", target)
    met, short = shortfall(actual, target, polarity, band)
    shown = format_value(actual, unit)
    if met:
        return Assessment(GREEN, f"{shown} meets the target {target.shown}.", target)
    if polarity is Polarity.COMPLIANT or target.compliance:
        return Assessment(RED, f"{shown}: not compliant.", target)
    if Scheme(scheme) is Scheme.LAST_YEAR:
        if last_year is not None and is_better(actual, last_year, polarity, target.value):
            return Assessment(
                AMBER_LAST_YEAR,
                f"{shown} misses the target {target.shown} but is better than last year "
                f"({format_value(last_year, unit)}).",
                target,
            )
        return Assessment(RED_LAST_YEAR, f"{shown} misses the target {target.shown}.", target)
    gap = format_difference(short, unit)
    if tolerance is not None:
        allowed = tolerance.allowed(target.value)
        if allowed > 0 and short <= allowed:
            return Assessment(
                AMBER,
                f"{shown} misses the target {target.shown} by {gap}, within the tolerance "
                f"({tolerance}).",
                target,
            )
        return Assessment(
            RED,
            f"{shown} misses the target {target.shown} by {gap}, outside the tolerance "
            f"({tolerance}).",
            target,
        )
    return Assessment(
        RED, f"{shown} misses the target {target.shown} by {gap}; no tolerance is set.", target
    )


def needs_explanation(status: Status) -> bool:
    """A red actual must come with the reason and the remedial action."""
    return status.code == RED.code


# ---------------------------------------------------------------------------
# Direction of travel


@dataclass(frozen=True)
class Direction:
    code: str
    symbol: str
    word: str

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.word}".strip()


IMPROVED = Direction("up", "▲", "Improved")
WORSENED = Direction("down", "▼", "Worse")
UNCHANGED = Direction("same", "►", "No change")
NO_COMPARISON = Direction("none", "", "No comparison")


def is_better(
    a: Decimal, b: Decimal, polarity: Polarity | str, target: Decimal | None = None
) -> bool:
    """Whether ``a`` is strictly better than ``b`` for an indicator of this polarity."""
    polarity = Polarity(polarity)
    if polarity is Polarity.LOWER:
        return a < b
    if polarity is Polarity.BAND:
        if target is None:
            return False
        return abs(a - target) < abs(b - target)
    return a > b  # higher is better; for compliance yes (1) beats no (0)


def direction(
    current: Decimal | None,
    earlier: Decimal | None,
    polarity: Polarity | str,
    target: Decimal | None = None,
) -> Direction:
    """▲ improved, ▼ worse or ► no change against an earlier value (better, not bigger).

    Arrows point to better or worse performance, not to larger or smaller
    numbers: for "lower is better" a fall is ▲ Improved.
    """
    if current is None or earlier is None:
        return NO_COMPARISON
    if Polarity(polarity) is Polarity.BAND and target is None:
        return NO_COMPARISON
    if is_better(current, earlier, polarity, target):
        return IMPROVED
    if is_better(earlier, current, polarity, target):
        return WORSENED
    return UNCHANGED


# ---------------------------------------------------------------------------
# Year to date


def year_to_date(
    values: Sequence[Decimal | None],
    rule: YtdRule | str,
    denominators: Sequence[Decimal | None] | None = None,
) -> Decimal | None:
    """The year-to-date figure from the periods so far, in order; ``None`` if there is none.

    ``sum`` adds them, ``average`` takes their mean, ``latest`` the most
    recent (cumulative figures such as collection rates), ``weighted`` the
    mean weighted by each period's denominator (cases, invoices...).
    """
    rule = YtdRule(rule)
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule is YtdRule.LATEST:
        return present[-1]
    if rule is YtdRule.SUM:
        return sum(present, Decimal(0))
    if rule is YtdRule.AVERAGE:
        return sum(present, Decimal(0)) / len(present)
    if denominators is None or len(denominators) != len(values):
        raise ValueError("A weighted year to date needs one denominator per period.")
    pairs = [(v, d) for v, d in zip(values, denominators, strict=True) if v is not None and d]
    weight = sum((d for _, d in pairs), Decimal(0))
    if weight == 0:
        return None
    return sum((v * d for v, d in pairs), Decimal(0)) / weight


def assess_to_date(
    year_to_date: Decimal | None,
    annual: TargetPart | None,
    *,
    done: int,
    of: int,
    polarity: Polarity | str,
    unit: Unit | str = Unit.COUNT,
    tolerance: Tolerance | None = None,
    band: Decimal | None = None,
    scheme: Scheme | str = Scheme.TOLERANCE,
    last_year: Decimal | None = None,
    narrative_blue: bool = False,
) -> Assessment:
    """The status of an indicator whose target is for the whole year, part way through it.

    The year to date (made by the indicator's rule: the sum of the periods for
    income, the latest cumulative figure for a collection rate) is judged
    against the annual target pro rata for the ``done`` periods of ``of`` gone:
    £1.0m a year is £250,000 after Q1, £500,000 after Q2 ... and the whole
    £1.0m at the year end. Otherwise as :func:`assess`.
    """
    return assess(
        year_to_date,
        pro_rata(annual, done, of) if annual is not None else None,
        polarity=polarity,
        unit=unit,
        tolerance=tolerance,
        band=band,
        scheme=scheme,
        last_year=last_year,
        narrative_blue=narrative_blue,
    )


# ---------------------------------------------------------------------------
# Reporting frequency
#
# Actuals are entered by quarter (the grid and the committee cycle are
# quarterly); months, half-years and the year exist as periods too. A period
# fits an indicator's frequency when it ends on one of the indicator's
# reporting dates and is no shorter than its reporting period, except that the
# quarter ending on a reporting date stands for the half-year or the year:
# an annual indicator takes Q4 (the year end) or the year, a biannual one Q2
# and Q4 (or H1 and H2), a quarterly one each quarter, a monthly one each
# month and each quarter. A longer period ending on a reporting date (the
# year's outturn of a quarterly indicator) fits too.

_MONTHS_OF_FREQUENCY = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.BIANNUAL: 6,
    Frequency.ANNUAL: 12,
}
_MONTHS_OF_KIND = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.YEAR: 12,
}
FREQUENCY_WORDS = {
    Frequency.MONTHLY: "monthly",
    Frequency.QUARTERLY: "quarterly",
    Frequency.BIANNUAL: "twice a year",
    Frequency.ANNUAL: "annually",
}
_DUE_IN_WORDS = {
    Frequency.MONTHLY: "each month (P1–P12) or each quarter",
    Frequency.QUARTERLY: "each quarter (Q1–Q4)",
    Frequency.BIANNUAL: "Q2 and Q4 (the half-year ends) or H1 and H2",
    Frequency.ANNUAL: "Q4 (the year end) or the whole year",
}


def is_due(frequency: Frequency | str, key: PeriodKey) -> bool:
    """Whether an actual may be recorded for this period, given the reporting frequency."""
    every = _MONTHS_OF_FREQUENCY[Frequency(frequency)]
    length = _MONTHS_OF_KIND[key.kind]
    ends_on_reporting_date = (key.number * length) % every == 0
    long_enough = length >= every or key.kind is PeriodKind.QUARTER
    return ends_on_reporting_date and long_enough


def due_quarters(frequency: Frequency | str) -> tuple[int, ...]:
    """The quarters in which an indicator of this frequency is entered: (4,) for annual."""
    return tuple(
        n for n in range(1, 5) if is_due(frequency, PeriodKey(2000, PeriodKind.QUARTER, n))
    )


def due_in_words(frequency: Frequency | str) -> str:
    """When actuals are entered, in words: "reported annually: enter Q4 (the year end) ..."."""
    frequency = Frequency(frequency)
    return (
        f"Reported {FREQUENCY_WORDS[frequency]}: enter its actual for {_DUE_IN_WORDS[frequency]}."
    )


def not_due_reason(ref: str, frequency: Frequency | str, key: PeriodKey) -> str:
    """Why no actual is taken for the period: "SI-3 is reported annually, so is not due for
    2019/20 Q2: enter its actual for Q4 (the year end) or the whole year."."""
    frequency = Frequency(frequency)
    return (
        f"{ref} is reported {FREQUENCY_WORDS[frequency]}, so is not due for {key.code}: "
        f"enter its actual for {_DUE_IN_WORDS[frequency]}."
    )


def previous_due(frequency: Frequency | str, key: PeriodKey) -> PeriodKey:
    """The last period of the same kind before ``key`` in which the indicator was due
    (the quarter before for a quarterly indicator, Q2 before Q4 for a biannual one, last
    year's Q4 for an annual one); the period before if none of that kind ever is."""
    earlier = key.previous()
    for _ in range(12):
        if is_due(frequency, earlier):
            return earlier
        earlier = earlier.previous()
    return key.previous()


# ---------------------------------------------------------------------------
# Benchmarks


def quartile_bounds(values: Iterable[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Lower quartile, median and upper quartile (inclusive method, as Excel's QUARTILE.INC)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("Quartiles need at least one comparator value.")

    def at(fraction: Decimal) -> Decimal:
        position = fraction * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(Decimal("0.25")), at(Decimal("0.5")), at(Decimal("0.75"))


QUARTILE_LABELS = {
    1: "Top quartile",
    2: "Second quartile",
    3: "Third quartile",
    4: "Bottom quartile",
}


def quartile(
    value: Decimal, comparators: Iterable[Decimal], polarity: Polarity | str
) -> int | None:
    """Which quarter of the comparators the value falls in: 1 is the best, 4 the worst.

    ``None`` for goal-post and compliance indicators, where "best" has no order.
    """
    polarity = Polarity(polarity)
    if polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return None
    lower, median, upper = quartile_bounds(comparators)
    if polarity is Polarity.HIGHER:
        for number, bound in ((1, upper), (2, median), (3, lower)):
            if value >= bound:
                return number
        return 4
    for number, bound in ((1, lower), (2, median), (3, upper)):
        if value <= bound:
            return number
    return 4


# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# Summaries


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


def count_by_status(statuses: Iterable[Status]) -> tuple[StatusCount, ...]:
    """How many of each status, in the fixed order green, amber, red, no RAG, no actual."""
    counts = Counter(s.code for s in statuses)
    return tuple(StatusCount(s, counts[s.code]) for s in STATUSES)
