"""Read side of indicators: each indicator's figure, target, status and direction.

A :class:`Scorecard` loads the targets, actuals and RAG schemes of a set of
indicators for some financial years in a handful of queries, then answers
every question of the pages, the grid, the imports and the reports in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import PeriodKey, PeriodKind, period_containing
from goldenthread.performance import rules
from goldenthread.performance.models import Actual, Indicator, RagScheme, SignOff, Target
from goldenthread.performance.units import Unit, format_value

_PER_YEAR = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
# Finer periods a coarser one is made of, most preferred first.
_FINER = {
    PeriodKind.YEAR: (PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.HALF),
    PeriodKind.HALF: (PeriodKind.QUARTER, PeriodKind.MONTH),
    PeriodKind.QUARTER: (PeriodKind.MONTH,),
    PeriodKind.MONTH: (),
}
WHOLE_SERVICE = "oneSource"


def latest_period() -> Period:
    """The latest quarter with any actual, else the current quarter."""
    found = (
        Period.objects.filter(kind=PeriodKind.QUARTER.value, pk__in=Actual.objects.values("period"))
        .order_by("-year", "-number")
        .first()
    )
    if found is not None:
        return found
    return Period.objects.to_read(period_containing(timezone.localdate()))


def partner_label(partner: Organisation | None) -> str:
    return partner.code if partner is not None else WHOLE_SERVICE


def lines_of(indicator: Indicator) -> list[Organisation | None]:
    """The partners an indicator is reported for; ``[None]`` for one whole-service figure.

    Expects ``partners`` to be prefetched.
    """
    partners = sorted(indicator.partners.all(), key=lambda p: p.code)
    return list(partners) or [None]


@dataclass
class Line:
    """One indicator for one partner in one period: figure, target, status, direction."""

    indicator: Indicator
    partner: Organisation | None
    period: Period
    actual: Actual | None
    figure: Decimal | None  # the actual, or one made from finer periods
    target_text: str  # the target as written for this partner
    assessment: rules.Assessment
    previous: Decimal | None
    last_year: Decimal | None
    short_term: rules.Direction
    long_term: rules.Direction
    year_to_date: Decimal | None
    signed_off: bool = False
    due: bool = True  # whether the period fits the indicator's reporting frequency

    @property
    def status(self) -> rules.Status:
        return self.assessment.status

    @property
    def partner_label(self) -> str:
        return partner_label(self.partner)

    @property
    def unit(self) -> Unit:
        return Unit(self.indicator.unit)

    @property
    def figure_label(self) -> str:
        return format_value(self.figure, self.unit)

    @property
    def ytd_label(self) -> str:
        return format_value(self.year_to_date, self.unit)

    @property
    def previous_label(self) -> str:
        return format_value(self.previous, self.unit)

    @property
    def last_year_label(self) -> str:
        return format_value(self.last_year, self.unit)

    @property
    def due_in_words(self) -> str:
        return rules.due_in_words(self.indicator.frequency)

    @property
    def reason(self) -> str:
        return self.actual.reason if self.actual else ""

    @property
    def remedial_action(self) -> str:
        return self.actual.remedial_action if self.actual else ""

    @property
    def demonstration(self) -> bool:
        return bool(self.actual and self.actual.demonstration)

    @property
    def key(self) -> tuple[str, str]:
        return (self.indicator.ref, self.partner_label)


def share_of_year(key: PeriodKey) -> tuple[int, int]:
    """How many periods of its kind the year has had by the end of ``key``, and of how many:
    (2, 4) for Q2. An annual target is pro rata by this share."""
    return key.number, _PER_YEAR[key.kind]


def _contains(outer: PeriodKey, inner: PeriodKey) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


class Scorecard:
    """Targets, actuals and schemes of some indicators over some financial years."""

    def __init__(self, indicators: Iterable[Indicator], years: Iterable[int]):
        self.indicators = list(indicators)
        self.years = sorted(set(years))
        ids = [i.pk for i in self.indicators]
        self._targets: dict[tuple[int, int, int | None], str] = {}
        for target in Target.objects.filter(indicator_id__in=ids, year__in=self.years):
            self._targets[(target.indicator_id, target.year, target.partner_id)] = target.text
        self._actuals: dict[tuple[int, int | None], dict[PeriodKey, Actual]] = {}
        actuals = Actual.objects.filter(
            indicator_id__in=ids, period__year__in=self.years
        ).select_related("period")
        for actual in actuals:
            line = self._actuals.setdefault((actual.indicator_id, actual.partner_id), {})
            line[actual.period.key] = actual
        self._schemes = {s.organisation_id: s for s in RagScheme.objects.all()}
        self._signed = {
            (s.period.key, s.partner_id)
            for s in SignOff.objects.filter(period__year__in=self.years).select_related("period")
        }

    # --- targets ----------------------------------------------------------------

    def target_text(self, indicator: Indicator, partner: Organisation | None, year: int) -> str:
        """The target as written for this partner: its own row, else the general one."""
        partner_id = partner.pk if partner else None
        own = self._targets.get((indicator.pk, year, partner_id)) if partner_id else None
        if own is not None:
            return own
        return self._targets.get((indicator.pk, year, None), "")

    def target_part(
        self, indicator: Indicator, partner: Organisation | None, year: int
    ) -> tuple[str, rules.TargetPart | None]:
        text = self.target_text(indicator, partner, year)
        if not text:
            return "", None
        part = rules.parse_target(text, indicator.unit).for_partner(partner_label(partner))
        return (part.text if part else text), part

    # --- figures ----------------------------------------------------------------

    def actual(
        self, indicator: Indicator, partner: Organisation | None, key: PeriodKey
    ) -> Actual | None:
        return self._actuals.get((indicator.pk, partner.pk if partner else None), {}).get(key)

    def figure(
        self, indicator: Indicator, partner: Organisation | None, key: PeriodKey
    ) -> Decimal | None:
        """The period's actual, or one made from its finer periods by the year-to-date rule."""
        direct = self.actual(indicator, partner, key)
        if direct is not None:
            return direct.value
        held = self._actuals.get((indicator.pk, partner.pk if partner else None), {})
        for kind in _FINER[key.kind]:
            inner = sorted((k, a) for k, a in held.items() if k.kind is kind and _contains(key, k))
            if inner:
                return self._combine(indicator, [a for _, a in inner])
        return None

    def _combine(self, indicator: Indicator, actuals: list[Actual]) -> Decimal | None:
        rule = rules.YtdRule(indicator.ytd_rule)
        denominators = [a.denominator for a in actuals] if rule is rules.YtdRule.WEIGHTED else None
        return rules.year_to_date([a.value for a in actuals], rule, denominators)

    def year_to_date(
        self,
        indicator: Indicator,
        partner: Organisation | None,
        key: PeriodKey,
        *,
        value: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> Decimal | None:
        """The figure for the year so far: periods 1 to ``key`` of its kind, by the YTD rule.

        ``value`` (and its ``denominator``) stand in for the period's actual: the
        year to date as it will be once they are saved.
        """
        if key.kind is PeriodKind.YEAR:
            return value if value is not None else self.figure(indicator, partner, key)
        values: list[Decimal | None] = []
        denominators: list[Decimal | None] = []
        for number in range(1, key.number + 1):
            so_far = PeriodKey(key.year, key.kind, number)
            actual = self.actual(indicator, partner, so_far)
            if so_far == key and value is not None:
                values.append(value)
                denominators.append(denominator)
            elif actual is not None:
                values.append(actual.value)
                denominators.append(actual.denominator)
            else:
                values.append(self.figure(indicator, partner, so_far))
                denominators.append(None)
        rule = rules.YtdRule(indicator.ytd_rule)
        if rule is rules.YtdRule.WEIGHTED and any(
            v is not None and d is None for v, d in zip(values, denominators, strict=True)
        ):
            return rules.year_to_date(values, rules.YtdRule.AVERAGE)  # a denominator is missing
        return rules.year_to_date(values, rule, denominators)

    # --- status -----------------------------------------------------------------

    def scheme_for(self, partner: Organisation | None) -> tuple[rules.Scheme, bool]:
        scheme = self._schemes.get(partner.pk) if partner else None
        if scheme is None:
            return rules.Scheme.TOLERANCE, False
        return rules.Scheme(scheme.scheme), scheme.narrative_blue

    def assess(
        self,
        indicator: Indicator,
        partner: Organisation | None,
        key: PeriodKey,
        value: Decimal | None,
        *,
        year_to_date: Decimal | None = None,
    ) -> rules.Assessment:
        """The status of ``value`` for this indicator, partner and period.

        An indicator whose target is for the whole year is assessed on its year
        to date against the target pro rata (:func:`rules.assess_to_date`).
        """
        _, part = self.target_part(indicator, partner, key.year)
        scheme, blue = self.scheme_for(partner)
        last_year = None
        if scheme is rules.Scheme.LAST_YEAR:
            last_year = self.figure(indicator, partner, key.same_period_last_year())
        rule = {
            "polarity": indicator.polarity,
            "unit": indicator.unit,
            "tolerance": indicator.tolerance_rule,
            "band": indicator.band,
            "scheme": scheme,
            "last_year": last_year,
            "narrative_blue": blue,
        }
        if indicator.annual_target and part is not None and value is not None:
            done, of = share_of_year(key)
            to_date = year_to_date if year_to_date is not None else value
            return rules.assess_to_date(to_date, part, done=done, of=of, **rule)
        return rules.assess(value, part, **rule)

    def target_to_date(
        self, indicator: Indicator, partner: Organisation | None, key: PeriodKey
    ) -> rules.TargetPart | None:
        """The target the period is judged against: an annual target pro rata to the period
        for indicators whose target is for the whole year, else the target as written."""
        _, part = self.target_part(indicator, partner, key.year)
        if part is not None and indicator.annual_target:
            return rules.pro_rata(part, *share_of_year(key))
        return part

    def signed_off(self, partner: Organisation | None, key: PeriodKey) -> bool:
        return (key, partner.pk if partner else None) in self._signed

    def line(self, indicator: Indicator, partner: Organisation | None, period: Period) -> Line:
        key = period.key
        actual = self.actual(indicator, partner, key)
        figure = actual.value if actual else self.figure(indicator, partner, key)
        ytd = self.year_to_date(indicator, partner, key)
        text, part = self.target_part(indicator, partner, key.year)
        due = rules.is_due(indicator.frequency, key)
        before = rules.previous_due(indicator.frequency, key)
        previous = self.figure(indicator, partner, before)
        last_year = self.figure(indicator, partner, key.same_period_last_year())
        goal = part.value if part is not None else None
        short_term = rules.direction(figure, previous, indicator.polarity, goal)
        if indicator.annual_target and indicator.ytd_rule == rules.YtdRule.LATEST:
            # Cumulative figures grow through the year: compare their annual run rates.
            short_term = rules.direction(
                rules.run_rate(figure, key.number, _PER_YEAR[key.kind]),
                rules.run_rate(previous, before.number, _PER_YEAR[before.kind]),
                indicator.polarity,
                goal,
            )
        if due or figure is not None:  # a figure entered before the rule is still assessed
            assessment = self.assess(indicator, partner, key, figure, year_to_date=ytd)
        else:
            reason = rules.not_due_reason(indicator.ref, indicator.frequency, key)
            assessment = rules.Assessment(rules.NOT_DUE, reason, part)
        return Line(
            indicator=indicator,
            partner=partner,
            period=period,
            actual=actual,
            figure=figure,
            target_text=text,
            assessment=assessment,
            previous=previous,
            last_year=last_year,
            short_term=short_term,
            long_term=rules.direction(figure, last_year, indicator.polarity, goal),
            year_to_date=ytd,
            signed_off=self.signed_off(partner, key),
            due=due,
        )


def scorecard_for(indicators: Iterable[Indicator], period: Period) -> Scorecard:
    """A scorecard holding the period's year and the year before (for directions)."""
    return Scorecard(indicators, [period.year - 1, period.year])


def with_lines(indicators: QuerySet[Indicator]) -> list[Indicator]:
    return list(
        indicators.select_related("service", "data_owner").prefetch_related("partners", "forums")
    )


def lines(
    indicators: Iterable[Indicator],
    period: Period,
    *,
    scope: frozenset[int] | None = None,
    partner: Organisation | None | str = "all",
    card: Scorecard | None = None,
) -> list[Line]:
    """Every line of the indicators for the period, limited to the partners in ``scope``.

    ``partner`` picks one line per indicator: a partner, ``None`` for the whole
    service's figures, or ``"all"`` for every line.
    """
    indicators = list(indicators)
    card = card or scorecard_for(indicators, period)
    found = []
    for indicator in indicators:
        for who in lines_of(indicator):
            if who is not None and scope is not None and who.pk not in scope:
                continue
            if partner != "all" and who != partner:
                continue
            found.append(card.line(indicator, who, period))
    return found


def trend(
    card: Scorecard, indicator: Indicator, partner: Organisation | None, keys: list[PeriodKey]
) -> list[Decimal | None]:
    return [card.figure(indicator, partner, key) for key in keys]


def quarters_of(years: Iterable[int]) -> list[PeriodKey]:
    return [PeriodKey(y, PeriodKind.QUARTER, n) for y in sorted(years) for n in range(1, 5)]
