"""Shared pieces of the finance reports: cells with formatted figures, the document frame."""

from __future__ import annotations

from decimal import Decimal

from goldenthread.core.models import Organisation
from goldenthread.documents.model import (
    Align,
    Cell,
    Column,
    Document,
    ReportRequest,
    Section,
)
from goldenthread.finance import rules

COMMITTEE = "oneSource Joint Committee"
ZERO = Decimal(0)


class ReportError(ValueError):
    """A report asked for something that cannot be reported (no such year, no figures)."""


# --- Cells ----------------------------------------------------------------------------------


def text(value: str, *, bold: bool = False, colspan: int = 1) -> Cell:
    return Cell(value, bold=bold, colspan=colspan)


def m(amount: Decimal | None, *, bold: bool = False) -> Cell:
    """£m to three decimals, underspends in brackets, in a £m column."""
    return Cell(rules.millions(amount, symbol=False), bold=bold, align=Align.RIGHT)


def gbp(amount: Decimal | None, *, bold: bool = False) -> Cell:
    """Whole pounds, savings in brackets, in a £ column; nil prints as "-" as in the seeds."""
    shown = "-" if amount is not None and amount == 0 else rules.pounds(amount, symbol=False)
    return Cell(shown, bold=bold, align=Align.RIGHT)


def pct(value: int | Decimal | None, *, bold: bool = False) -> Cell:
    return Cell(rules.percent_label(value), bold=bold, align=Align.RIGHT)


def num_column(title: str, width: float = 1.0) -> Column:
    return Column(title, width, Align.RIGHT)


def short_name(partner: Organisation) -> str:
    """ "Havering" for the London Borough of Havering, as the seeds' tables head their columns."""
    name = partner.name
    return name.split(" of ", 1)[1] if " of " in name else name


def year_of(request: ReportRequest) -> int:
    try:
        return rules.parse_year(request.subject)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc


def document(title: str, request: ReportRequest, sections: list[Section], **meta) -> Document:
    return Document(
        title=title,
        sections=tuple(sections),
        committee=COMMITTEE,
        meeting_date=request.report_date,
        document_date=request.report_date,
        metadata={"source": "Golden Thread finance", **meta},
    )


def viewer(request: ReportRequest):
    """The reader the figures are scoped to; ``None`` prints a committee paper for all partners."""
    return request.user
