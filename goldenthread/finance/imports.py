"""Budget, forecast, formula and savings sheets in, CSV or Excel: checked row by row, all or none.

A sheet is read whole and every row checked before anything is written. Any
problem refuses the whole sheet, each problem named by its row and column.
Where a sheet carries its own totals (a Total column, a TOTAL row, a % row)
they must equal the totals computed from the parts: a blank total is filled
in, a different one is refused with the difference shown.

Layouts (headers are matched without regard to case; partners are columns
headed by their code or name, e.g. "Havering"):

- budget:   Year | Cost area | Partner | Budget | Outturn | Variance | Commentary
- forecast: Year | Period | Cost area | Partner | Forecast | Variance | Commentary
- formula:  Year | Cost area | <partner>... | Total   (percentages)
- savings, by partner (001 Table 1): Item | [Status] | [Year] | <partner>... | Total
  (without a Year column the year comes from the first heading, "19/20 Savings")
- savings, by year (001 Table 2): Item | [Status] | 2020/21 | 2021/22 ... | Total
- savings targets by partner (001 Table 3): Year | <partner>... | Total
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from goldenthread.core.models import Organisation
from goldenthread.finance import changes, reading, rules
from goldenthread.finance.models import BudgetLine, CostArea, SavingsItem

MAX_ROWS = 5000


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


def read_rows(name: str, content: bytes) -> list[Row]:
    """The non-empty rows of a CSV or the first sheet of an Excel workbook."""
    lower = name.lower()
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SheetRefused([Problem(None, "", "The CSV file is not UTF-8 text.")]) from exc
        raw = list(csv.reader(io.StringIO(text)))
    elif lower.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetRefused([Problem(None, "", "The file is not an Excel workbook.")]) from exc
        sheet = book.worksheets[0]
        raw = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        raise SheetRefused([Problem(None, "", "Upload a .csv or .xlsx file.")])
    rows = [
        (number, list(cells))
        for number, cells in enumerate(raw, start=1)
        if any(str(c).strip() for c in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise SheetRefused([Problem(None, "", f"A sheet may have at most {MAX_ROWS} rows.")])
    if not rows:
        raise SheetRefused([Problem(None, "", "The sheet is empty.")])
    return rows


def _norm(text: object) -> str:
    cleaned = re.sub(r"\(?£\)?|\s+", " ", str(text or "")).strip().lower()
    return re.sub(r"\s+", " ", cleaned)


def match_partner(heading: object, candidates: Sequence[Organisation]) -> Organisation | None:
    """A partner named by code, full name or place: "LBH", "Havering", "London Borough of ..."."""
    wanted = _norm(heading)
    if not wanted:
        return None
    for partner in candidates:
        name = partner.name.lower()
        if wanted in (partner.code.lower(), name) or name.endswith(f" of {wanted}"):
            return partner
    return None


def match_area(text: object, areas: Sequence[CostArea]) -> CostArea | None:
    wanted = _norm(text)
    return next((a for a in areas if wanted in (a.code.lower(), a.name.lower())), None)


class Sheet:
    """The header and rows of an uploaded sheet, with problems collected as it is read."""

    def __init__(self, rows: list[Row]):
        self.header_row, self.header = rows[0][0], [str(c).strip() for c in rows[0][1]]
        self.rows = rows[1:]
        self.problems: list[Problem] = []

    def column(self, *names: str) -> int | None:
        wanted = {_norm(n) for n in names}
        return next((i for i, h in enumerate(self.header) if _norm(h) in wanted), None)

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
    return _norm(text) in ("total", "totals", "grand total")


# --- Budget and forecast sheets -------------------------------------------------------------


@dataclass
class LineRow:
    number: int
    year: int
    area: CostArea
    partner: Organisation | None
    figures: dict[str, Decimal | None]
    commentary: str
    month: int | None = None


def _line_rows(sheet: Sheet, kind: SheetKind, default_year: int | None) -> list[LineRow]:
    areas = list(CostArea.objects.all())
    candidates = list(Organisation.objects.filter(kind=Organisation.Kind.PARTNER))
    year_col = sheet.column("year", "financial year")
    area_col = sheet.column("cost area", "service", "area")
    partner_col = sheet.column("partner", "council")
    period_col = sheet.column("period", "month")
    comment_col = sheet.column("commentary", "comments", "comment")
    variance_col = sheet.column("variance", "over/(under)spend", "over / (under) spend")
    if kind is SheetKind.BUDGET:
        measures = {"budget": sheet.column("budget"), "outturn": sheet.column("outturn")}
        required = {"Cost area": area_col}
    else:
        measures = {"forecast": sheet.column("forecast", "forecast outturn")}
        required = {"Cost area": area_col, "Period": period_col}
    if not sheet.require_columns(**required):
        return []
    if not any(i is not None for i in [*measures.values(), variance_col]):
        sheet.problem(sheet.header_row, "", "There is no column of figures.")
        return []
    found: list[LineRow] = []
    block: list[LineRow] = []
    seen: dict[tuple, int] = {}
    for number, cells in sheet.rows:
        area_text = sheet.cell(cells, area_col)
        if is_total(area_text) or is_total(sheet.cell(cells, 0)):
            _check_line_totals(sheet, number, cells, block, measures, variance_col)
            block = []
            continue
        before = len(sheet.problems)
        year = default_year
        if year_col is not None:
            try:
                year = rules.parse_year(sheet.cell(cells, year_col))
            except ValueError as exc:
                sheet.problem(number, "Year", f"{exc}.")
        elif year is None:
            sheet.problem(number, "Year", "There is no Year column: choose the year.")
        area = match_area(area_text, areas)
        if area is None:
            sheet.problem(number, "Cost area", f"“{area_text}” is not a cost area.")
        partner = None
        partner_text = sheet.cell(cells, partner_col)
        if str(partner_text).strip():
            partner = match_partner(partner_text, candidates)
            if partner is None:
                sheet.problem(number, "Partner", f"“{partner_text}” is not a partner council.")
        label = str(area_text)
        figures = {
            name: sheet.amount(number, cells, index, label) for name, index in measures.items()
        }
        figures["stated_variance"] = sheet.amount(number, cells, variance_col, label)
        month = None
        if kind is SheetKind.FORECAST and year is not None:
            try:
                month = rules.parse_month(sheet.cell(cells, period_col), year)
            except ValueError as exc:
                sheet.problem(number, "Period", f"{exc}.", label)
        if len(sheet.problems) > before or area is None or year is None:
            continue
        if all(v is None for v in figures.values()):
            sheet.problem(number, "", "The row has no figures.", label)
            continue
        key = (year, area.pk, partner.pk if partner else None, month)
        if key in seen:
            sheet.problem(number, "", f"This line is already on row {seen[key]}.", label)
            continue
        seen[key] = number
        row = LineRow(
            number, year, area, partner, figures, str(sheet.cell(cells, comment_col)), month
        )
        _check_line_row(sheet, kind, row, label)
        found.append(row)
        block.append(row)
    return found


def _row_variance(row: LineRow, budget: Decimal | None) -> Decimal | None:
    actual = row.figures.get("outturn", row.figures.get("forecast"))
    try:
        return rules.variance(budget, actual, row.figures["stated_variance"])
    except rules.VarianceMismatch:
        return None


def _line_budget(row: LineRow) -> Decimal | None:
    if "budget" in row.figures:
        return row.figures["budget"]
    line = BudgetLine.objects.filter(year=row.year, cost_area=row.area, partner=row.partner).first()
    return line.budget if line else None


def _check_line_row(sheet: Sheet, kind: SheetKind, row: LineRow, label: str) -> None:
    figures = row.figures
    budget = _line_budget(row)
    actual = figures.get("outturn", figures.get("forecast"))
    try:
        rules.variance(budget, actual, figures["stated_variance"])
    except rules.VarianceMismatch as exc:
        sheet.problem(row.number, "Variance", f"{exc}.", label)
    if kind is SheetKind.BUDGET:
        errors = changes.check_line(
            row.year,
            row.area,
            row.partner,
            budget=figures["budget"],
            outturn=figures["outturn"],
            stated_variance=figures["stated_variance"],
        )
        errors.pop("stated_variance", None)  # reported above with its row
    else:
        exists = BudgetLine.objects.filter(
            year=row.year, cost_area=row.area, partner=row.partner
        ).exists()
        errors = (
            {}
            if exists
            else changes.check_line(
                row.year, row.area, row.partner, budget=None, outturn=None, stated_variance=None
            )
        )
        if figures["forecast"] is None and budget is not None:
            errors["forecast"] = "This line has a budget: give the forecast."
    for column, message in errors.items():
        sheet.problem(row.number, column.replace("_", " ").capitalize(), message, label)


def _check_line_totals(sheet, number, cells, block, measures, variance_col) -> None:
    for name, index in [*measures.items(), ("variance", variance_col)]:
        if index is None:
            continue
        stated = sheet.amount(number, cells, index, "Total")
        if name == "variance":
            parts = [_row_variance(r, _line_budget(r)) for r in block]
        else:
            parts = [r.figures[name] for r in block]
        _, mismatch = rules.check_total(f"Row {number}", sheet.header[index], stated, parts)
        if mismatch:
            sheet.problem(number, sheet.header[index], _mismatch_text(mismatch), "Total")


def _mismatch_text(mismatch: rules.TotalMismatch) -> str:
    return (
        f"the total given is {rules.pounds(mismatch.stated)} but the parts add up to "
        f"{rules.pounds(mismatch.computed)}: a difference of {rules.pounds(mismatch.difference)}."
    )


def _apply_lines(rows: list[LineRow], kind: SheetKind, by) -> list[str]:
    for row in rows:
        figures = row.figures
        if kind is SheetKind.BUDGET:
            changes.save_line(
                row.year,
                row.area,
                row.partner,
                by=by,
                budget=figures["budget"],
                outturn=figures["outturn"],
                stated_variance=figures["stated_variance"],
                commentary=row.commentary,
            )
            continue
        line = BudgetLine.objects.filter(
            year=row.year, cost_area=row.area, partner=row.partner
        ).first()
        if line is None:
            line = changes.save_line(row.year, row.area, row.partner, by=by, budget=None)
        changes.record_forecast(
            line,
            row.month,
            by=by,
            forecast=figures["forecast"],
            stated_variance=figures["stated_variance"],
            commentary=row.commentary,
        )
    return [f"{len(rows)} {kind.value} lines saved."]


# --- Formula sheets -------------------------------------------------------------------------


def _partner_columns(sheet: Sheet) -> dict[int, Organisation]:
    candidates = list(Organisation.objects.filter(kind=Organisation.Kind.PARTNER))
    found = {}
    for index, heading in enumerate(sheet.header):
        partner = match_partner(heading, candidates)
        if partner is not None:
            found[index] = partner
    return found


def _formula_rows(sheet: Sheet, default_year: int | None) -> list[tuple]:
    areas = list(CostArea.objects.all())
    year_col = sheet.column("year", "financial year")
    area_col = sheet.column("cost area", "service", "area")
    total_col = sheet.column("total")
    columns = _partner_columns(sheet)
    if not sheet.require_columns(**{"Cost area": area_col}):
        return []
    if not columns:
        sheet.problem(sheet.header_row, "", "No column is headed by a partner council.")
        return []
    found = []
    for number, cells in sheet.rows:
        label = str(sheet.cell(cells, area_col))
        before = len(sheet.problems)
        year = default_year
        if year_col is not None:
            try:
                year = rules.parse_year(sheet.cell(cells, year_col))
            except ValueError as exc:
                sheet.problem(number, "Year", f"{exc}.", label)
        elif year is None:
            sheet.problem(number, "Year", "There is no Year column: choose the year.", label)
        area = match_area(label, areas)
        if area is None:
            sheet.problem(number, "Cost area", f"“{label}” is not a cost area.")
        shares = {}
        for index, partner in columns.items():
            try:
                value = rules.parse_percent(sheet.cell(cells, index))
            except ValueError as exc:
                sheet.problem(number, sheet.header[index], f"{exc}.", label)
                continue
            shares[partner] = value if value is not None else Decimal(0)
        try:
            stated = rules.parse_percent(sheet.cell(cells, total_col))
        except ValueError as exc:
            sheet.problem(number, "Total", f"{exc}.", label)
            stated = None
        total = sum(shares.values(), Decimal(0))
        if stated is not None and stated != total:
            sheet.problem(
                number,
                "Total",
                f"the total given is {stated}% but the shares add up to {total}%.",
                label,
            )
        elif total != 100:
            sheet.problem(number, "", f"The shares add up to {total}%, not 100%.", label)
        if area is not None:
            for partner, share in shares.items():
                if share and not changes.takes_service(partner, area):
                    sheet.problem(
                        number,
                        sheet.header[next(i for i, p in columns.items() if p == partner)],
                        f"{partner.name} does not take {area.name}, so cannot share its cost.",
                        label,
                    )
            if not area.is_shared:
                sheet.problem(number, "Cost area", f"{area.name} is not shared.", label)
        if len(sheet.problems) == before:
            found.append((year, area, shares))
    return found


def _apply_formula(rows: list[tuple], by) -> list[str]:
    for year, area, shares in rows:
        changes.set_formula(year, area, shares, by=by)
    return [f"{len(rows)} funding formula rows saved."]


# --- Savings sheets -------------------------------------------------------------------------


@dataclass
class SavingsRow:
    number: int
    title: str
    status: str
    year: int
    amounts: dict[Organisation | None, Decimal]


@dataclass
class TargetRow:
    number: int
    year: int
    amounts: dict[Organisation, Decimal]


def _status(sheet: Sheet, number: int, text: object, default: str, label: str) -> str:
    wanted = _norm(text)
    if not wanted:
        return default
    for value, name in SavingsItem.Status.choices:
        if wanted in (value, name.lower()) or name.lower().startswith(wanted):
            return value
    sheet.problem(number, "Status", f"“{text}” is not a status: existing or potential.", label)
    return default


def _year_columns(sheet: Sheet) -> dict[int, int]:
    found = {}
    for index, heading in enumerate(sheet.header):
        if re.match(r"^\d{2,4}\s*[/-]\s*\d{2}$", heading.strip()):
            try:
                found[index] = rules.parse_year(heading)
            except ValueError:
                continue
    return found


def _heading_year(sheet: Sheet) -> int | None:
    match = re.search(r"(\d{2,4})\s*/\s*(\d{2})", sheet.header[0] if sheet.header else "")
    if not match:
        return None
    try:
        return rules.parse_year(f"{match[1]}/{match[2]}")
    except ValueError:
        return None


def _check_savings_total(sheet, number, cells, total_col, parts, label) -> Decimal:
    stated = sheet.amount(number, cells, total_col, label)
    computed, mismatch = rules.check_total(label, "Total", stated, parts)
    if mismatch:
        sheet.problem(number, sheet.header[total_col], _mismatch_text(mismatch), label)
    return computed


def _check_column_totals(sheet, number, cells, columns: dict[int, list[Decimal | None]]) -> None:
    for index, parts in columns.items():
        stated = sheet.amount(number, cells, index, "Total")
        _, mismatch = rules.check_total("Total", sheet.header[index], stated, parts)
        if mismatch:
            sheet.problem(number, sheet.header[index], _mismatch_text(mismatch), "Total")


def _check_percent_row(sheet, number, cells, partner_cols, sums: dict[Organisation, Decimal]):
    computed = rules.percentages(sums)
    for index, partner in partner_cols.items():
        try:
            stated = rules.parse_percent(sheet.cell(cells, index))
        except ValueError as exc:
            sheet.problem(number, sheet.header[index], f"{exc}.", "%")
            continue
        if stated is not None and stated != computed[partner]:
            sheet.problem(
                number,
                sheet.header[index],
                f"the share given is {stated}% but the figures give {computed[partner]}%.",
                "%",
            )


def _savings_rows(
    sheet: Sheet, default_year: int | None, default_status: str
) -> tuple[list[SavingsRow], list[TargetRow]]:
    partner_cols = _partner_columns(sheet)
    year_cols = _year_columns(sheet)
    year_col = sheet.column("year", "financial year")
    status_col = sheet.column("status")
    total_col = sheet.column("total")
    first = 0
    targets_layout = year_col == 0 and partner_cols
    if not partner_cols and not year_cols:
        sheet.problem(
            sheet.header_row, "", "No column is headed by a partner council or by a year."
        )
        return [], []
    items: list[SavingsRow] = []
    targets: list[TargetRow] = []
    block_parts: dict[int, list[Decimal | None]] = {}
    block_sums: dict[Organisation, Decimal] = {}
    value_cols = dict(partner_cols) if partner_cols else dict(year_cols)
    after_total = False
    for number, cells in sheet.rows:
        label = str(sheet.cell(cells, first))
        if is_total(label):
            _check_column_totals(sheet, number, cells, block_parts)
            block_parts, after_total = {}, True
            continue
        if _norm(label) == "%":
            if partner_cols:
                _check_percent_row(sheet, number, cells, partner_cols, block_sums)
            block_sums = {}
            continue
        if after_total:
            block_sums, after_total = {}, False
        before = len(sheet.problems)
        values: dict[int, Decimal | None] = {
            index: sheet.amount(number, cells, index, label) for index in value_cols
        }
        if len(sheet.problems) > before:
            continue
        present = [v for v in values.values() if v is not None]
        if total_col is not None:
            stated = sheet.amount(number, cells, total_col, label)
            if not present and stated is not None and partner_cols and not targets_layout:
                values = {}  # one figure for the item, not split by partner
                present = [stated]
            else:
                _check_savings_total(sheet, number, cells, total_col, present, label)
            block_parts.setdefault(total_col, []).append(sum(present, Decimal(0)))
        for index, value in values.items():
            block_parts.setdefault(index, []).append(value)
            partner = partner_cols.get(index)
            if partner is not None and value is not None:
                block_sums[partner] = block_sums.get(partner, Decimal(0)) + value
        for partner in partner_cols.values():
            block_sums.setdefault(partner, Decimal(0))
        if not present:
            sheet.problem(number, "", "The row has no savings figures.", label)
            continue
        if targets_layout:
            try:
                year = rules.parse_year(label)
            except ValueError as exc:
                sheet.problem(number, sheet.header[0], f"{exc}.", label)
                continue
            amounts = {partner_cols[i]: v for i, v in values.items() if v is not None}
            targets.append(TargetRow(number, year, amounts))
            continue
        status = _status(sheet, number, sheet.cell(cells, status_col), default_status, label)
        if not label:
            sheet.problem(number, sheet.header[first] or "Item", "Name the saving.", label)
            continue
        if partner_cols:
            year = _row_year(sheet, number, cells, year_col, default_year, label)
            if year is None:
                continue
            amounts = {partner_cols[i]: v for i, v in values.items() if v is not None}
            items.append(SavingsRow(number, label, status, year, amounts or {None: present[0]}))
        else:
            for index, value in values.items():
                if value is not None:
                    items.append(SavingsRow(number, label, status, year_cols[index], {None: value}))
    return items, targets


def _row_year(sheet, number, cells, year_col, default_year, label) -> int | None:
    if year_col is not None:
        try:
            return rules.parse_year(sheet.cell(cells, year_col))
        except ValueError as exc:
            sheet.problem(number, "Year", f"{exc}.", label)
            return None
    year = _heading_year(sheet) or default_year
    if year is None:
        sheet.problem(number, "Year", "Say which year: add a Year column or choose it.", label)
    return year


def _merge_order(in_sheet: list[SavingsItem], created: set[int], by) -> None:
    """New items go after the item above them in the sheet, so tables keep the sheet's order."""
    ordered = list(SavingsItem.objects.order_by("order", "pk"))
    for previous, item in zip([None, *in_sheet], in_sheet, strict=False):
        if item.pk not in created or previous is None:
            continue
        ordered.remove(item)
        ordered.insert(ordered.index(previous) + 1, item)
    for position, item in enumerate(ordered):
        if item.order != position:
            changes.save_savings_item(item.title, by=by, order=position)


def _apply_savings(items: list[SavingsRow], targets: list[TargetRow], by) -> list[str]:
    seen: dict[tuple[str, int], SavingsRow] = {}
    for row in items:
        key = (row.title.lower(), row.year)
        if key in seen:
            raise SheetRefused(
                [Problem(row.number, "", f"“{row.title}” is already on row {seen[key].number}.")]
            )
        seen[key] = row
    in_sheet: list[SavingsItem] = []
    created: set[int] = set()
    for row in items:
        is_new = not SavingsItem.objects.filter(title__iexact=" ".join(row.title.split())).exists()
        item = changes.save_savings_item(row.title, by=by, status=row.status)
        if is_new:
            created.add(item.pk)
        if item not in in_sheet:
            in_sheet.append(item)
        changes.set_savings(item, row.year, row.amounts, by=by)
    _merge_order(in_sheet, created, by)
    for row in targets:
        for partner, amount in row.amounts.items():
            changes.set_savings_target(partner, row.year, amount, by=by)
    summary = []
    if items:
        summary.append(f"{len(items)} savings figures saved.")
    if targets:
        summary.append(f"{len(targets)} years of partners' savings saved.")
    return summary


# --- The one entry point --------------------------------------------------------------------


def load_rows(
    kind: SheetKind,
    rows: list[Row],
    *,
    by,
    year: int | None = None,
    status: str = SavingsItem.Status.EXISTING,
) -> ImportResult:
    """Check every row of a sheet, then save all of it in one transaction, or none of it."""
    sheet = Sheet(rows)
    apply: Callable[[], list[str]]
    if kind in (SheetKind.BUDGET, SheetKind.FORECAST):
        line_rows = _line_rows(sheet, kind, year)
        apply = lambda: _apply_lines(line_rows, kind, by)  # noqa: E731
        count = len(line_rows)
    elif kind is SheetKind.FORMULA:
        formula_rows = _formula_rows(sheet, year)
        apply = lambda: _apply_formula(formula_rows, by)  # noqa: E731
        count = len(formula_rows)
    else:
        items, targets = _savings_rows(sheet, year, status)
        apply = lambda: _apply_savings(items, targets, by)  # noqa: E731
        count = len(items) + len(targets)
    if sheet.problems:
        raise SheetRefused(sheet.problems)
    try:
        with transaction.atomic():
            summary = apply()
            if kind is SheetKind.SAVINGS:
                problems = [
                    p
                    for status_value in SavingsItem.Status.values
                    for p in reading.savings(status_value).problems
                ]
                if problems:
                    raise SheetRefused([Problem(None, "", p) for p in problems])
    except ValidationError as exc:
        raise SheetRefused([Problem(None, "", m) for m in exc.messages]) from exc
    return ImportResult(kind, count, summary)


def load_file(
    kind: SheetKind,
    name: str,
    content: bytes,
    *,
    by,
    year: int | None = None,
    status: str = SavingsItem.Status.EXISTING,
) -> ImportResult:
    return load_rows(kind, read_rows(name, content), by=by, year=year, status=status)
