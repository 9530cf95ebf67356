"""Indicator reports as documents: the exception report and the strategic indicators report.

Each builder turns the scorecard into the shared rendering model
(:mod:`goldenthread.documents.model`); the HTML page, Word, PDF and Excel all
print the same document. Statuses come from the RAG rules, never from here.
"""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Q

from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, parse_period
from goldenthread.documents.model import (
    Align,
    Cell,
    Chart,
    Column,
    Document,
    Paragraph,
    ReportKind,
    ReportRequest,
    Row,
    RowKind,
    Section,
    Series,
    Table,
    Tone,
)
from goldenthread.performance import access, reading, rules
from goldenthread.performance.models import Forum, Indicator
from goldenthread.performance.units import Unit, format_value

DEMONSTRATION_NOTE = (
    "The actuals in this report are demonstration values generated for the demo: "
    "the source papers give targets but no actuals."
)
MAX_CHARTS = 8


class ReportError(ValueError):
    """A request that names no forum, partner or period the user may report on."""


def _tone(status: rules.Status) -> Tone:
    return Tone(status.tone)


def status_cell(status: rules.Status) -> Cell:
    return Cell(status.label, tone=_tone(status))


def direction_text(direction: rules.Direction) -> str:
    return direction.label


# ---------------------------------------------------------------------------
# What a request asks for


def parse_subject(subject: str, user) -> tuple[Forum, Organisation | None]:
    """``S151`` (every partner the user may see) or ``S151:LBH`` (one partner)."""
    code, _, partner_code = (subject or "").partition(":")
    forum = Forum.objects.filter(code=code).first()
    if forum is None:
        raise ReportError(f"There is no forum “{code}”.")
    partner = None
    if partner_code:
        partner = access.visible_partners(user).filter(code=partner_code).first()
        if partner is None:
            raise ReportError(f"You cannot report on the partner “{partner_code}”.")
    return forum, partner


def parse_report_period(text: str) -> Period:
    try:
        return Period.objects.to_read(parse_period(text))
    except PeriodError as exc:
        raise ReportError(str(exc)) from exc


def forum_subjects(user) -> list[tuple[str, str]]:
    """Each forum for every visible partner, then for each partner alone."""
    choices = []
    partners = list(access.visible_partners(user))
    for forum in Forum.objects.all():
        choices.append((forum.code, f"{forum.name} – all partners"))
        choices.extend((f"{forum.code}:{p.code}", f"{forum.name} – {p.name}") for p in partners)
    return choices


def _indicators(forum: Forum, user, level: str | None = None) -> list[Indicator]:
    indicators = access.visible_indicators(user).filter(forums=forum)
    if level:
        indicators = indicators.filter(level=level)
    return reading.with_lines(indicators.order_by("service__order", "level", "order"))


def _lines(indicators, period: Period, user, partner: Organisation | None) -> list[reading.Line]:
    scope = access.partner_scope(user)
    if partner is not None:
        scope = frozenset({partner.pk}) if scope is None or partner.pk in scope else frozenset()
    found = reading.lines(indicators, period, scope=scope)
    if partner is not None:
        # One partner's report: its own lines and the whole service's figures.
        found = [line for line in found if line.partner in (None, partner)]
    return found


# ---------------------------------------------------------------------------
# The exception report


EXCEPTION_COLUMNS = (
    Column("Ref", 0.6),
    Column("Indicator", 2.4),
    Column("Partner", 0.7),
    Column("Target", 1.0, Align.RIGHT),
    Column("Actual", 0.9, Align.RIGHT),
    Column("Status", 0.8),
    Column("Since last period", 1.0),
    Column("Since last year", 1.0),
    Column("Reason for performance", 2.2),
    Column("Remedial action", 2.2),
)

SUMMARY_STATUSES = (rules.GREEN, rules.AMBER, rules.RED, rules.NOT_RATED, rules.NO_ACTUAL)


def exceptions_of(lines: list[reading.Line]) -> list[reading.Line]:
    """The lines reported in full: those the RAG rules call red or amber."""
    return [line for line in lines if line.status.off_target]


def _summary_table(lines: list[reading.Line], caption: str) -> Table:
    by_service: OrderedDict[str, list[reading.Line]] = OrderedDict()
    for line in lines:
        by_service.setdefault(line.indicator.service.name, []).append(line)
    columns = (
        Column("Service", 2.0),
        *(Column(s.label, 0.7, Align.RIGHT) for s in SUMMARY_STATUSES),
        Column("Total", 0.7, Align.RIGHT),
    )
    rows = []
    for service, found in by_service.items():
        counts = {c.status.code: c.count for c in rules.count_by_status(x.status for x in found)}
        rows.append(
            Row(
                (
                    Cell(service),
                    *(Cell(str(counts[s.code]), align=Align.RIGHT) for s in SUMMARY_STATUSES),
                    Cell(str(len(found)), align=Align.RIGHT),
                )
            )
        )
    totals = {c.status.code: c.count for c in rules.count_by_status(x.status for x in lines)}
    rows.append(
        Row(
            (
                Cell("All services", bold=True),
                *(
                    Cell(str(totals[s.code]), bold=True, align=Align.RIGHT)
                    for s in SUMMARY_STATUSES
                ),
                Cell(str(len(lines)), bold=True, align=Align.RIGHT),
            ),
            RowKind.TOTAL,
        )
    )
    return Table(columns, tuple(rows), caption=caption, name="Summary")


def exception_row(line: reading.Line) -> Row:
    return Row(
        (
            Cell(line.indicator.ref),
            Cell(line.indicator.name),
            Cell(line.partner_label),
            Cell(line.target_text, align=Align.RIGHT),
            Cell(line.figure_label, align=Align.RIGHT),
            status_cell(line.status),
            Cell(direction_text(line.short_term)),
            Cell(direction_text(line.long_term)),
            Cell(line.reason),
            Cell(line.remedial_action),
        )
    )


def _exceptions_table(exceptions: list[reading.Line], caption: str) -> Table:
    rows = []
    service = None
    for line in exceptions:
        if line.indicator.service.name != service:
            service = line.indicator.service.name
            rows.append(
                Row((Cell(service, bold=True, colspan=len(EXCEPTION_COLUMNS)),), RowKind.GROUP)
            )
        rows.append(exception_row(line))
    return Table(EXCEPTION_COLUMNS, tuple(rows), caption=caption, name="Exceptions")


def _ordered_keys(period: Period, count: int = 8) -> list[PeriodKey]:
    keys = [period.key]
    while len(keys) < count:
        keys.insert(0, keys[0].previous())
    return keys


def trend_chart(
    card: reading.Scorecard,
    indicator: Indicator,
    partner: Organisation | None,
    keys: list[PeriodKey],
) -> Chart | None:
    """An indicator's figures over the periods, with its target line for the latest year.

    An indicator whose target is for the whole year is judged on its year to
    date against the target pro rata, and its chart shows just that: the
    year to date against the target to date (:func:`to_date_chart`).
    """
    if indicator.annual_target:
        return to_date_chart(card, indicator, partner, keys)
    values = reading.trend(card, indicator, partner, keys)
    shown = [(k, v) for k, v in zip(keys, values, strict=True) if v is not None]
    if len(shown) < 2:
        return None
    _, part = card.target_part(indicator, partner, keys[-1].year)
    goal = part.value if part is not None else None
    unit = Unit(indicator.unit)
    who = reading.partner_label(partner)
    target_words = f"; target {part.text}" if part is not None and part.numeric else ""
    described = ", ".join(f"{k.code} {format_value(v, unit)}" for k, v in shown)
    return Chart(
        title=f"{indicator.ref} {indicator.name[:70]} – {who}",
        kind="line",
        categories=tuple(k.code for k, _ in shown),
        series=(Series(who, tuple(float(v) for _, v in shown), Tone.BLUE),),
        description=f"{indicator.ref} for {who} by period: {described}{target_words}.",
        value_label=rules.UNIT_LABELS[unit],
        target=float(goal) if goal is not None else None,
    )


def to_date_chart(
    card: reading.Scorecard,
    indicator: Indicator,
    partner: Organisation | None,
    keys: list[PeriodKey],
) -> Chart | None:
    """The year to date of an indicator with a target for the whole year, period by period,
    against the target to date: £1.0m a year is drawn at £250,000 after Q1, £500,000 after
    Q2... A year without a numeric target of its own is drawn against the latest year's."""
    kept = [k for k in keys if card.figure(indicator, partner, k) is not None]
    to_date = [(k, card.year_to_date(indicator, partner, k)) for k in kept]
    shown = [(k, v) for k, v in to_date if v is not None]
    if len(shown) < 2:
        return None
    unit = Unit(indicator.unit)
    who = reading.partner_label(partner)
    _, latest = card.target_part(indicator, partner, keys[-1].year)
    targets: list[rules.TargetPart | None] = []
    borrowed: set[str] = set()
    for key, _ in shown:
        part = card.target_to_date(indicator, partner, key)
        if (part is None or not part.numeric) and latest is not None and latest.numeric:
            part = rules.pro_rata(latest, *reading.share_of_year(key))
            borrowed.add(key.financial_year)
        targets.append(part if part is not None and part.numeric else None)
    drawn = all(t is not None for t in targets)
    series = [Series(f"{who} year to date", tuple(float(v) for _, v in shown), Tone.BLUE)]
    if drawn:
        values = tuple(float(t.value) for t in targets if t is not None and t.value is not None)
        series.append(Series("Target to date", values, Tone.GREY))
        described = ", ".join(
            f"{k.code} {format_value(v, unit)} against {format_value(t.value, unit)}"
            for (k, v), t in zip(shown, targets, strict=True)
            if t is not None
        )
        annual = targets[-1].text if targets[-1] is not None else ""
        words = (
            f"{indicator.ref} for {who}, year to date against the target to date: {described}. "
            f"The target {annual} is for the whole year, shown pro rata to each period "
            "(a quarter of it after Q1, half after Q2 and so on)."
        )
        if borrowed:
            words += (
                f" {', '.join(sorted(borrowed))} had no numeric target: "
                f"{keys[-1].financial_year}'s is shown."
            )
    else:
        described = ", ".join(f"{k.code} {format_value(v, unit)}" for k, v in shown)
        words = (
            f"{indicator.ref} for {who}, year to date by period: {described}; no numeric target."
        )
    return Chart(
        title=f"{indicator.ref} {indicator.name[:70]} – {who}, year to date",
        kind="line",
        categories=tuple(k.code for k, _ in shown),
        series=tuple(series),
        description=words,
        value_label=rules.UNIT_LABELS[unit],
    )


PARTNER_TONES = (Tone.BLUE, Tone.GREEN, Tone.AMBER, Tone.GREY, Tone.RED)


def partners_chart(
    card: reading.Scorecard,
    indicator: Indicator,
    partners: list[Organisation],
    keys: list[PeriodKey],
) -> Chart | None:
    """The partners side by side, period by period, for an indicator reported for several."""
    if len(partners) < 2:
        return None
    series = []
    kept = [k for k in keys if all(card.figure(indicator, p, k) is not None for p in partners)]
    if not kept:
        return None
    unit = Unit(indicator.unit)
    words = []
    for number, partner in enumerate(partners):
        values = [card.figure(indicator, partner, k) for k in kept]
        series.append(
            Series(partner.code, tuple(float(v) for v in values), PARTNER_TONES[number % 5])
        )
        words.append(
            f"{partner.code}: "
            + ", ".join(
                f"{k.code} {format_value(v, unit)}" for k, v in zip(kept, values, strict=True)
            )
        )
    return Chart(
        title=f"{indicator.ref} {indicator.name[:70]} – partners side by side",
        kind="bar",
        categories=tuple(k.code for k in kept),
        series=tuple(series),
        description=f"{indicator.ref} by partner and period. " + "; ".join(words) + ".",
        value_label=rules.UNIT_LABELS[unit],
    )


def build_exception_report(request: ReportRequest) -> Document:
    """Indicators for a forum and period, reported by exception.

    Off-target indicators (red or amber) in full: actual, target, status,
    direction, reason and remedial action; the rest counted by status per service.
    """
    forum, partner = parse_subject(request.subject, request.user)
    period = parse_report_period(request.period)
    indicators = _indicators(forum, request.user)
    card = reading.scorecard_for(indicators, period)
    every_line = _lines(indicators, period, request.user, partner)
    lines = [line for line in every_line if line.status.code != rules.NOT_DUE.code]
    exceptions = exceptions_of(lines)
    who = partner.name if partner else "all partners"
    keys = _ordered_keys(period)
    not_due = len(every_line) - len(lines)
    blocks: list = [
        Paragraph(
            f"All {len(lines)} indicator figures for {period.long_label} are provided but reported "
            f"by exception: the {len(exceptions)} off target (red or amber) are shown in full "
            f"below; the other {len(lines) - len(exceptions)} are counted by status per service."
            + (
                f" {not_due} more {'is' if not_due == 1 else 'are'} not due this period "
                "(reported twice a year or annually) and not counted."
                if not_due
                else ""
            )
        ),
    ]
    if any(line.demonstration for line in lines):
        blocks.append(Paragraph(DEMONSTRATION_NOTE, bold=True))
    blocks.append(_summary_table(lines, f"Indicators by status and service, {period.code}"))
    blocks.append(
        Paragraph(
            "Green: on or better than target. Amber: worse than target but within its "
            "tolerance. Red: outside tolerance. No RAG: the target is not a number (TBD, TBC, "
            "Reactive...). ▲ improved, ▼ worse, ► no change.",
            small=True,
        )
    )
    sections = [Section(tuple(blocks), title="Summary")]
    detail: list = []
    if exceptions:
        detail.append(
            _exceptions_table(exceptions, f"Indicators off target, {period.code} ({who})")
        )
    else:
        detail.append(Paragraph("No indicator is off target for this period."))
    sections.append(Section(tuple(detail), title="Indicators off target", landscape=True))
    charts: list = []
    worst_first = sorted(exceptions, key=lambda line: -line.status.rank)  # red, then amber
    for line in worst_first[:MAX_CHARTS]:
        chart = trend_chart(card, line.indicator, line.partner, keys)
        if chart is not None:
            charts.append(chart)
    if charts:
        if len(exceptions) > MAX_CHARTS:
            charts.insert(
                0,
                Paragraph(
                    f"Trends of {MAX_CHARTS} of the {len(exceptions)} indicators off target, "
                    "red first; every trend is on the indicator's page."
                ),
            )
        sections.append(Section(tuple(charts), title="Trends of the indicators off target"))
    return Document(
        title=f"Performance indicators: exception report – {period.code}",
        subtitle=f"{forum.name} · {period.long_label} · {who}",
        committee=forum.name,
        meeting_date=request.report_date,
        document_date=request.report_date or period.end,
        author="oneSource Business Development",
        sections=tuple(sections),
        metadata={
            "forum": forum.code,
            "period": period.code,
            "partner": partner.code if partner else "",
        },
    )


# ---------------------------------------------------------------------------
# The annual strategic indicators report


STRATEGIC_COLUMNS = (
    Column("Ref", 0.6),
    Column("Indicator", 2.4),
    Column("Partner", 0.7),
    Column("Target", 1.0, Align.RIGHT),
    Column("Year's figure", 1.0, Align.RIGHT),
    Column("Status", 0.8),
    Column("Last year", 1.0, Align.RIGHT),
    Column("Since last year", 1.0),
    Column("Reason for performance", 2.2),
    Column("Remedial action", 2.2),
)


def _year_period(text: str) -> Period:
    try:
        key = parse_period(text)
    except PeriodError as exc:
        raise ReportError(str(exc)) from exc
    return Period.objects.to_read(PeriodKey(key.year, PeriodKind.YEAR))


def _explanations(card: reading.Scorecard, line: reading.Line) -> tuple[str, str]:
    """The year's explanation: its own actual's, else the latest quarter's."""
    if line.actual is not None:
        return line.reason, line.remedial_action
    for number in range(4, 0, -1):
        quarter = PeriodKey(line.period.year, PeriodKind.QUARTER, number)
        held = card.actual(line.indicator, line.partner, quarter)
        if held is not None:
            return held.reason, held.remedial_action
    return "", ""


def _demonstration(card: reading.Scorecard, line: reading.Line) -> bool:
    """Whether the year's figure is, or is made from, demonstration values."""
    if line.actual is not None:
        return line.actual.demonstration
    quarters = [PeriodKey(line.period.year, PeriodKind.QUARTER, n) for n in range(1, 5)]
    held = [card.actual(line.indicator, line.partner, q) for q in quarters]
    return any(a is not None and a.demonstration for a in held)


def build_strategic_report(request: ReportRequest) -> Document:
    """The strategic indicators for the Joint Committee: the year's figure per partner."""
    forum, partner = parse_subject(request.subject or "JC", request.user)
    year = _year_period(request.period)
    indicators = _indicators(forum, request.user, Indicator.Level.STRATEGIC)
    card = reading.scorecard_for(indicators, year)
    lines = _lines(indicators, year, request.user, partner)
    rows = []
    for line in lines:
        reason, remedial = _explanations(card, line)
        rows.append(
            Row(
                (
                    Cell(line.indicator.ref),
                    Cell(line.indicator.name),
                    Cell(line.partner_label),
                    Cell(line.target_text or "No target", align=Align.RIGHT),
                    Cell(line.figure_label or "Not yet available", align=Align.RIGHT),
                    status_cell(line.status),
                    Cell(line.last_year_label, align=Align.RIGHT),
                    Cell(direction_text(line.long_term)),
                    Cell(reason),
                    Cell(remedial),
                )
            )
        )
    blocks: list = [
        Paragraph(
            f"The {len(indicators)} strategic indicators the Joint Committee agreed, reported "
            f"annually: the figure for {year.key.financial_year} against its target, with the "
            "direction of travel since last year. A year's figure is made from its quarters by "
            "each indicator's year-to-date rule (latest figure for collection rates, average for "
            "satisfaction, sum for savings)."
        )
    ]
    if any(_demonstration(card, line) for line in lines):
        blocks.append(Paragraph(DEMONSTRATION_NOTE, bold=True))
    blocks.append(
        Table(
            STRATEGIC_COLUMNS,
            tuple(rows),
            caption=f"Strategic indicators {year.key.financial_year}",
            name="Strategic indicators",
        )
    )
    sections = [Section(tuple(blocks), title="Strategic indicators", landscape=True)]
    keys = [
        PeriodKey(y, PeriodKind.QUARTER, n) for y in (year.year - 1, year.year) for n in range(1, 5)
    ]
    charts: list = []
    for indicator in indicators:
        partners = [p for p in reading.lines_of(indicator) if p is not None]
        if partner is not None:
            partners = [p for p in partners if p == partner]
        side = partners_chart(card, indicator, partners, keys)
        if side is not None:
            charts.append(side)
        for who in reading.lines_of(indicator):
            if partner is not None and who not in (None, partner):
                continue
            if not access.may_read_partner(request.user, who):
                continue
            chart = trend_chart(card, indicator, who, keys)
            if chart is not None:
                charts.append(chart)
    if charts:
        sections.append(Section(tuple(charts), title="Trends by quarter"))
    return Document(
        title=f"Strategic performance indicators {year.key.financial_year}",
        subtitle=f"{forum.name} · annual report",
        committee=forum.name,
        meeting_date=request.report_date,
        document_date=request.report_date or year.end,
        author="oneSource Business Development",
        sections=tuple(sections),
        metadata={"forum": forum.code, "year": year.code},
    )


def strategic_subjects(user) -> list[tuple[str, str]]:
    forums = Forum.objects.filter(Q(indicators__level=Indicator.Level.STRATEGIC)).distinct()
    return [(f.code, f.name) for f in forums]


REPORT_KINDS = [
    ReportKind(
        code="performance.exceptions",
        title="Performance indicators: exception report",
        subjects=forum_subjects,
        build=build_exception_report,
    ),
    ReportKind(
        code="performance.strategic",
        title="Strategic performance indicators (annual)",
        subjects=strategic_subjects,
        build=build_strategic_report,
    ),
]
