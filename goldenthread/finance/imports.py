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

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from goldenthread.core.models import Organisation
from goldenthread.core.sheets import Source
from goldenthread.finance import changes, rules, savings_sheets, tracker
from goldenthread.finance.models import BudgetLine, CostArea, SavingsItem
from goldenthread.finance.sheets import (
    ImportResult,
    Problem,
    Row,
    Sheet,
    SheetKind,
    SheetRefused,
    is_total,
    match_area,
    match_partner,
    mismatch_text,
    partner_columns,
    read_rows,
)

__all__ = ["ImportResult", "Problem", "Row", "SheetKind", "SheetRefused", "load_file", "load_rows"]


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
            sheet.problem(number, sheet.header[index], mismatch_text(mismatch), "Total")


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


def _formula_rows(sheet: Sheet, default_year: int | None) -> list[tuple]:
    areas = list(CostArea.objects.all())
    year_col = sheet.column("year", "financial year")
    area_col = sheet.column("cost area", "service", "area")
    total_col = sheet.column("total")
    columns = partner_columns(sheet)
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
        items, targets = savings_sheets.savings_rows(sheet, year, status)
        apply = lambda: savings_sheets.apply_savings(items, targets, by)  # noqa: E731
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
                    for p in tracker.savings(status_value).problems
                ]
                if problems:
                    raise SheetRefused([Problem(None, "", p) for p in problems])
    except ValidationError as exc:
        raise SheetRefused([Problem(None, "", m) for m in exc.messages]) from exc
    return ImportResult(kind, count, summary)


def load_file(
    kind: SheetKind,
    name: str,
    source: Source,
    *,
    by,
    year: int | None = None,
    status: str = SavingsItem.Status.EXISTING,
) -> ImportResult:
    """Read an uploaded CSV or Excel file (within the upload limits), then :func:`load_rows`."""
    return load_rows(kind, read_rows(name, source), by=by, year=year, status=status)
