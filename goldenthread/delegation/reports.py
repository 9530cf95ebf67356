"""The Joint Committee's report on write-offs under delegated powers, as a document.

Offered to committee papers as an appendix kind (``REPORT_KINDS``); the subject is a
council and financial year (``LBH 2019/20``). The same document is downloaded from the
register page in Word, PDF, HTML or Excel.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from goldenthread.core.models import Organisation
from goldenthread.core.periods import PeriodError, parse_period
from goldenthread.delegation import access
from goldenthread.delegation.changes import scheme_in_force
from goldenthread.delegation.register import (
    Register,
    money,
    register,
    totals_rows,
    year_label,
    years_with_entries,
)
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

TITLE = "Write-off of debt under delegated powers"


def subject_of(council: Organisation, year: int) -> str:
    return f"{council.code} {year_label(year)}"


def parse_subject(subject: str, user) -> tuple[Organisation, int]:
    """``LBH 2019/20`` → the council (if the user may read it) and 2019, else 404."""
    code, _, year_text = (subject or "").strip().partition(" ")
    try:
        year = parse_period(year_text).year
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    council = access.councils_readable(user).filter(code=code).first()
    if council is None:
        raise Http404("There is no register of write-offs you may read for that council.")
    return council, year


def subjects(user) -> list[tuple[str, str]]:
    choices = []
    for council in access.councils_readable(user).order_by("code"):
        if scheme_in_force(council, _today()) is None:
            continue
        for year in years_with_entries(council):
            value = subject_of(council, year)
            choices.append((value, f"{council.name}, {value.split(' ', 1)[1]}"))
    return choices


def _today():
    return timezone.localdate()


def _totals_table(caption: str, first: str, labels, reg: Register, cells) -> Table:
    columns = (
        Column(first, 1.4),
        *(Column(title, 1.0, Align.RIGHT) for _, title in reg.debt_types),
        Column("Total", 1.0, Align.RIGHT),
    )
    rows = []
    for values in totals_rows(labels, reg.debt_types, cells):
        kind = RowKind.TOTAL if values[0] == "Total" else RowKind.BODY
        rows.append(
            Row(
                (
                    Cell(values[0], bold=kind is RowKind.TOTAL),
                    *(Cell(v, align=Align.RIGHT, bold=kind is RowKind.TOTAL) for v in values[1:]),
                ),
                kind=kind,
            )
        )
    return Table(columns, tuple(rows), caption=caption)


def _entries_table(reg: Register) -> Table:
    titles = dict(reg.debt_types)
    columns = (
        Column("Reference", 1.1),
        Column("Type of debt", 1.0),
        Column("Account", 1.0),
        Column("Amount", 1.0, Align.RIGHT),
        Column("Band", 1.2),
        Column("Decided by", 1.4),
        Column("Consulted", 2.0),
        Column("Decided on", 1.0),
    )
    rows = [
        Row(
            (
                Cell(e.reference),
                Cell(titles.get(e.debt_type, e.debt_type)),
                Cell(e.account_reference),
                Cell(money(e.amount), align=Align.RIGHT),
                Cell(e.band),
                Cell(e.decided_as or e.authority_title),
                Cell("; ".join(c.consultee for c in e.consultations.all()) or "No one"),
                Cell(long_date(e.decided_date) if e.decided_date else ""),
            )
        )
        for e in reg.entries
    ]
    if not rows:
        rows = [Row((Cell("No debts were written off in the year.", colspan=len(columns)),))]
    return Table(columns, tuple(rows), caption="Debts written off", name="Write-offs")


def document(council: Organisation, year: int, report_date=None) -> Document:
    reg = register(council, year)
    scheme = scheme_in_force(council, _today())
    facts = [("Council", council.name), ("Financial year", reg.year_label)]
    if scheme is not None:
        adoptions = "; ".join(
            f"{a.body} on {long_date(a.adopted_on)}" for a in scheme.adoptions.all()
        )
        facts += [
            ("Scheme of delegation", f"{scheme.title}, version {scheme.version}"),
            ("Adopted by", adoptions),
            ("Statutory source", "s.101 Local Government Act 1972; s.9E Local Government Act 2000"),
        ]
    facts.append(("Debts written off", f"{len(reg.entries)}, totalling {money(reg.total)}"))
    blocks = (
        Heading(f"{TITLE}: {council.name}, {reg.year_label}", 1),
        Paragraph(
            "Debts written off by officers under the scheme of delegation, with the post "
            "that decided each one and those consulted, for the Joint Committee's oversight."
        ),
        KeyValues(tuple(facts)),
        Heading("Totals by value band and type of debt", 2),
        _totals_table("By value band", "Value band", reg.bands, reg, reg.by_band),
        Heading("Totals by quarter", 2),
        _totals_table("By quarter", "Quarter", reg.quarters, reg, reg.by_quarter),
        Heading("Debts written off", 2),
        _entries_table(reg),
    )
    return Document(
        title=f"{TITLE}: {council.name}, {reg.year_label}",
        sections=(Section(blocks, title="Write-offs", landscape=True),),
        subtitle=f"{council.name}, {reg.year_label}",
        committee="oneSource Joint Committee",
        document_date=report_date,
        metadata={"delegation_register": f"{council.code} {year}"},
    )


def build(request: ReportRequest) -> Document:
    council, year = parse_subject(request.subject, request.user)
    return document(council, year, request.report_date)


REPORT_KINDS = [
    ReportKind(
        "delegation.writeoffs",
        "Write-offs under delegated powers",
        subjects,
        build,
        needs_period=False,
    )
]
