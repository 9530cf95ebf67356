"""Savings sheets in the layouts of seed 001: by partner (Table 1), by year (Table 2) and the
partners' savings (Table 3), with their Total column, TOTAL rows and % rows checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from goldenthread.core.models import Organisation
from goldenthread.finance import changes, rules
from goldenthread.finance.models import SavingsItem
from goldenthread.finance.sheets import (
    Problem,
    Sheet,
    SheetRefused,
    is_total,
    mismatch_text,
    norm,
    partner_columns,
)


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
    wanted = norm(text)
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
        sheet.problem(number, sheet.header[total_col], mismatch_text(mismatch), label)
    return computed


def _check_column_totals(sheet, number, cells, columns: dict[int, list[Decimal | None]]) -> None:
    for index, parts in columns.items():
        stated = sheet.amount(number, cells, index, "Total")
        _, mismatch = rules.check_total("Total", sheet.header[index], stated, parts)
        if mismatch:
            sheet.problem(number, sheet.header[index], mismatch_text(mismatch), "Total")


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


def savings_rows(
    sheet: Sheet, default_year: int | None, default_status: str
) -> tuple[list[SavingsRow], list[TargetRow]]:
    partner_cols = partner_columns(sheet)
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
        if norm(label) == "%":
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


def apply_savings(items: list[SavingsRow], targets: list[TargetRow], by) -> list[str]:
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
