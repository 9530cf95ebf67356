"""The pipeline as documents: an opportunity's business case in the Five Case Model, and
the Joint Committee's report on commercial activity and income (an appendix kind offered
to committee papers through ``REPORT_KINDS``; the subject is ``ALL`` or a partner's code).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.http import Http404

from goldenthread.commercial import access, rules
from goldenthread.commercial.models import BusinessCase, Opportunity
from goldenthread.core.models import Organisation
from goldenthread.documents.htmldoc import long_date
from goldenthread.documents.model import (
    Align,
    Cell,
    Column,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    ReportKind,
    ReportRequest,
    Row,
    RowKind,
    Section,
    Table,
)

COMMITTEE = "oneSource Joint Committee"
ACTIVITY_TITLE = "Commercial activity and income"
ALL = "ALL"
DEMO_NOTE = "Demonstration content: the seed gives no figures for this opportunity."


def _paragraphs(text: str) -> list[Paragraph]:
    parts = text.replace("\r\n", "\n").split("\n\n")
    return [Paragraph(part.strip()) for part in parts if part.strip()]


def _facts(opportunity: Opportunity) -> KeyValues:
    return KeyValues(
        (
            ("Reference", opportunity.reference),
            ("Client", f"{opportunity.client} ({opportunity.get_client_kind_display()})"),
            ("Service", opportunity.service.name),
            ("Partner councils", opportunity.partner_label),
            ("Stage", opportunity.stage_label),
            ("Route", rules.proportion_label(opportunity.one_off)),
            ("Estimated income", rules.money(opportunity.estimated_income)),
            ("Estimated costs", rules.money(opportunity.estimated_costs)),
            ("Estimated surplus", rules.money(opportunity.surplus)),
        )
    )


def business_case_document(case: BusinessCase, report_date: date | None = None) -> Document:
    """The business case as the rendering model: its facts, then the five cases in order."""
    opportunity = case.opportunity
    phase = rules.CASE_PHASE_LABELS[rules.CasePhase(case.phase)]
    blocks: list = [
        Heading(f"{phase}: {opportunity.title}", 1),
        Paragraph(
            "Prepared under the oneSource Commercial Protocol in HM Treasury's Five Case "
            "Model. The detail is proportionate to the nature and scale of the opportunity."
        ),
    ]
    if opportunity.demonstration:
        blocks.append(Paragraph(DEMO_NOTE, bold=True))
    blocks.append(_facts(opportunity))
    for name, heading, question in rules.FIVE_CASES:
        blocks.append(Heading(heading, 2))
        blocks.append(Paragraph(question, small=True))
        blocks.extend(_paragraphs(getattr(case, name)))
    tests = list(opportunity.tests.all())
    if tests:
        blocks.append(Heading("Protocol tests recorded", 2))
        blocks.append(_tests_table(tests))
    return Document(
        title=f"{phase}: {opportunity.reference} {opportunity.title}",
        sections=(Section(tuple(blocks), title=phase),),
        subtitle=f"{opportunity.client}, {opportunity.service.name}",
        committee=COMMITTEE,
        document_date=report_date or case.updated_on.date(),
        metadata={"business_case": f"{opportunity.reference} {case.phase}"},
    )


def _tests_table(tests: Iterable) -> Table:
    columns = (
        Column("Test", 1.2),
        Column("Stage", 1.2),
        Column("Evidence", 2.6),
        Column("Recorded", 1.2),
    )
    rows = tuple(
        Row(
            (
                Cell(t.get_test_display()),
                Cell(t.get_stage_display()),
                Cell(t.evidence),
                Cell(f"{t.recorded_by_name}, {long_date(t.recorded_on.date())}"),
            )
        )
        for t in tests
    )
    return Table(columns, rows, caption="Protocol tests", name="Tests")


# -- the Joint Committee's report ----------------------------------------------------------


def subjects(user) -> list[tuple[str, str]]:
    choices = []
    if access.visible_to(user).exists():
        choices.append((ALL, "All commercial opportunities you may read"))
    partners = Organisation.objects.filter(
        kind=Organisation.Kind.PARTNER, commercial_opportunities__in=access.visible_to(user)
    ).distinct()
    choices += [(p.code, p.name) for p in partners.order_by("code")]
    return choices


def opportunities_for(subject: str, user):
    found = access.visible_to(user).prefetch_related("partners").select_related("service")
    if subject == ALL:
        return found
    partner = Organisation.objects.filter(code=subject, kind=Organisation.Kind.PARTNER).first()
    if partner is None:
        raise Http404("There is no such partner council.")
    return found.filter(partners=partner).distinct()


def _money_cells(values: Iterable[Decimal], bold: bool = False) -> tuple[Cell, ...]:
    return tuple(Cell(rules.money(v), align=Align.RIGHT, bold=bold) for v in values)


def activity_document(
    subject: str, opportunities: list[Opportunity], report_date: date | None = None
) -> Document:
    by_stage: dict[str, list[Opportunity]] = {s.value: [] for s in rules.Stage}
    for o in opportunities:
        by_stage[o.stage].append(o)
    money_columns = (
        Column("Estimated income", 1.0, Align.RIGHT),
        Column("Estimated costs", 1.0, Align.RIGHT),
        Column("Estimated surplus", 1.0, Align.RIGHT),
    )
    stage_rows = []
    for stage in rules.Stage:
        group = by_stage[stage.value]
        stage_rows.append(
            Row(
                (
                    Cell(rules.STAGE_LABELS[stage]),
                    Cell(str(len(group)), align=Align.RIGHT),
                    *_money_cells(_sums(group)),
                )
            )
        )
    stage_rows.append(
        Row(
            (
                Cell("Total", bold=True),
                Cell(str(len(opportunities)), align=Align.RIGHT, bold=True),
                *_money_cells(_sums(opportunities), bold=True),
            ),
            kind=RowKind.TOTAL,
        )
    )
    stages = Table(
        (Column("Stage", 2.0), Column("Opportunities", 0.8, Align.RIGHT), *money_columns),
        tuple(stage_rows),
        caption="Pipeline by stage",
        name="By stage",
    )
    list_columns = (
        Column("Reference", 0.8),
        Column("Opportunity and client", 2.0),
        Column("Service", 1.0),
        Column("Partners", 0.7),
        Column("Stage", 1.2),
        *money_columns,
    )
    rows = [
        Row(
            (
                Cell(o.reference),
                Cell(
                    f"{o.title}, for {o.client}"
                    + (" (one-off)" if o.one_off else "")
                    + (" [demonstration]" if o.demonstration else "")
                ),
                Cell(o.service.name),
                Cell(o.partner_label),
                Cell(o.stage_label),
                *_money_cells((o.estimated_income, o.estimated_costs, o.surplus)),
            )
        )
        for o in opportunities
    ]
    if not rows:
        rows = [Row((Cell("No commercial opportunities.", colspan=len(list_columns)),))]
    listing = Table(list_columns, tuple(rows), caption="Opportunities", name="Opportunities")
    income, costs, surplus = _sums(opportunities)
    where = "all partner councils" if subject == ALL else subject
    blocks = (
        Heading(f"{ACTIVITY_TITLE}: {where}", 1),
        Paragraph(
            "The Commercial Protocol asks that the Joint Committee receive regular reports on "
            "commercial activity and income at its meetings. This report lists the external "
            "work opportunities in the pipeline, the stage each has reached, and their "
            "estimated income, costs and surplus."
        ),
        KeyValues(
            (
                ("Opportunities", str(len(opportunities))),
                ("Estimated income", rules.money(income)),
                ("Estimated costs", rules.money(costs)),
                ("Estimated surplus", rules.money(surplus)),
            )
        ),
        Heading("Pipeline by stage", 2),
        stages,
        Heading("Opportunities", 2),
        listing,
    )
    return Document(
        title=f"{ACTIVITY_TITLE}: {where}",
        sections=(Section(blocks, title="Commercial activity", landscape=True),),
        committee=COMMITTEE,
        document_date=report_date,
        metadata={"commercial_activity": subject},
    )


def _sums(opportunities: Iterable[Opportunity]) -> tuple[Decimal, Decimal, Decimal]:
    income = costs = Decimal("0.00")
    for o in opportunities:
        income += o.estimated_income
        costs += o.estimated_costs
    return income, costs, rules.surplus(income, costs)


def build(request: ReportRequest) -> Document:
    subject = (request.subject or "").strip()
    opportunities = list(opportunities_for(subject, request.user))
    if subject != ALL and not opportunities:
        raise Http404("There are no commercial opportunities you may read for that council.")
    return activity_document(subject, opportunities, request.report_date)


REPORT_KINDS = [
    ReportKind(
        "commercial.activity",
        "Commercial activity and income",
        subjects,
        build,
        needs_period=False,
    )
]
