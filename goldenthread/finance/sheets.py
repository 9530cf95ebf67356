"""Reading uploaded sheets: rows of cells, headings matched to partners and cost areas, and
the problems found, each named by row and column. Shared by every kind of finance sheet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from goldenthread.core import sheets
from goldenthread.core.models import Organisation
from goldenthread.finance import rules
from goldenthread.finance.models import CostArea


class SheetKind(StrEnum):
    BUDGET = "budget"
    FORECAST = "forecast"
    FORMULA = "formula"
    SAVINGS = "savings"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a sheet: where (row and column) and what."""

    row: int | None
    column: str
    message: str
    label: str = ""  # what the row is, e.g. the savings item's name

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}" + (f" ({self.label})" if self.label else ""))
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class SheetRefused(Exception):
    """The sheet was not loaded; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class ImportResult:
    kind: SheetKind
    rows: int
    summary: list[str] = field(default_factory=list)


# --- Reading the file -----------------------------------------------------------------------


Row = tuple[int, list[object]]  # the sheet's own row number, and its cells


def read_rows(name: str, source: sheets.Source) -> list[Row]:
    """The non-empty rows of a CSV or the first sheet of an Excel workbook."""
    try:
        rows = sheets.read_rows(name, source)
    except sheets.SheetError as exc:
        column = f"column {exc.column}" if exc.column else ""
        raise SheetRefused([Problem(exc.row, column, exc.message)]) from exc
    if not rows:
        raise SheetRefused([Problem(None, "", "The sheet is empty.")])
    return [(number, ["" if c is None else c for c in cells]) for number, cells in rows]


def norm(text: object) -> str:
    cleaned = re.sub(r"\(?£\)?|\s+", " ", str(text or "")).strip().lower()
    return re.sub(r"\s+", " ", cleaned)


def match_partner(heading: object, candidates: Sequence[Organisation]) -> Organisation | None:
    """A partner named by code, full name or place: "LBH", "Havering", "London Borough of ..."."""
    wanted = norm(heading)
    if not wanted:
        return None
    for partner in candidates:
        name = partner.name.lower()
        if wanted in (partner.code.lower(), name) or name.endswith(f" of {wanted}"):
            return partner
    return None


def match_area(text: object, areas: Sequence[CostArea]) -> CostArea | None:
    wanted = norm(text)
    return next((a for a in areas if wanted in (a.code.lower(), a.name.lower())), None)


class Sheet:
    """The header and rows of an uploaded sheet, with problems collected as it is read."""

    def __init__(self, rows: list[Row]):
        self.header_row, self.header = rows[0][0], [str(c).strip() for c in rows[0][1]]
        self.rows = rows[1:]
        self.problems: list[Problem] = []

    def column(self, *names: str) -> int | None:
        wanted = {norm(n) for n in names}
        return next((i for i, h in enumerate(self.header) if norm(h) in wanted), None)

    @staticmethod
    def cell(cells: list[object], index: int | None) -> object:
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return value.strip() if isinstance(value, str) else value

    def problem(self, row: int | None, column: str, message: str, label: str = "") -> None:
        self.problems.append(Problem(row, column, message, label))

    def amount(self, number: int, cells: list[object], index: int | None, label: str = ""):
        try:
            return rules.parse_amount(self.cell(cells, index))
        except ValueError as exc:
            self.problem(number, self.header[index], f"{exc}.", label)
            return None

    def require_columns(self, **columns: int | None) -> bool:
        missing = [name for name, index in columns.items() if index is None]
        for name in missing:
            self.problem(self.header_row, name, f"There is no “{name}” column.")
        return not missing


def is_total(text: object) -> bool:
    return norm(text) in ("total", "totals", "grand total")


def mismatch_text(mismatch: rules.TotalMismatch) -> str:
    return (
        f"the total given is {rules.pounds(mismatch.stated)} but the parts add up to "
        f"{rules.pounds(mismatch.computed)}: a difference of {rules.pounds(mismatch.difference)}."
    )


def partner_columns(sheet: Sheet) -> dict[int, Organisation]:
    candidates = list(Organisation.objects.filter(kind=Organisation.Kind.PARTNER))
    found = {}
    for index, heading in enumerate(sheet.header):
        partner = match_partner(heading, candidates)
        if partner is not None:
            found[index] = partner
    return found
