"""Bulk upload of actuals (CSV or Excel) and of benchmark comparators (LG Inform CSV).

Every row is checked first; errors are listed by row and column; nothing is
saved unless every row is valid, and then everything is saved in one
transaction through the audited write functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl.utils import get_column_letter

from goldenthread.core import sheets
from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, parse_period
from goldenthread.performance import access, changes, rules
from goldenthread.performance.models import Indicator
from goldenthread.performance.reading import WHOLE_SERVICE, Scorecard
from goldenthread.performance.units import ActualError, parse_actual

# Column → the headings accepted for it (compared without case, spaces or underscores).
ACTUAL_COLUMNS = {
    "indicator": ("indicator ref", "indicator", "ref", "reference"),
    "partner": ("partner",),
    "period": ("period",),
    "actual": ("actual", "value"),
    "denominator": ("denominator",),
    "reason": ("reason", "reason for performance", "reason for the level of performance"),
    "remedial_action": ("remedial action", "remedial actions"),
}
REQUIRED_ACTUAL_COLUMNS = ("indicator", "partner", "period", "actual")
TEMPLATE_HEADINGS = [
    "Indicator ref",
    "Partner",
    "Period",
    "Actual",
    "Denominator",
    "Reason",
    "Remedial action",
]

BENCHMARK_COLUMNS = {
    "area_code": ("area code", "areacode", "area_code", "gss code", "code"),
    "area_name": ("area name", "area", "areaname", "name"),
    "period": ("period", "time period"),
    "value": ("value", "data value"),
}
REQUIRED_BENCHMARK_COLUMNS = ("area_code", "period", "value")


@dataclass(frozen=True)
class RowError:
    row: int | None  # as the spreadsheet numbers it (the heading is row 1); None: the file
    column: str  # e.g. "D (Actual)"; empty for the whole row
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class UploadRefused(Exception):
    """The upload was refused whole: nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s): nothing was saved.")


@dataclass
class Sheet:
    headings: list[str]
    rows: list[list[object]]  # data rows, each as long as the headings
    numbers: list[int]  # each data row's own number in the file


@dataclass
class Upload:
    """The rows of an upload that passed every check, ready to save."""

    rows: list[dict] = field(default_factory=list)


def _norm(text: object) -> str:
    return " ".join(str(text or "").replace("_", " ").lower().split())


def read_sheet(name: str, source: sheets.Source) -> Sheet:
    """The headings and rows of a CSV or an Excel file (its first sheet)."""
    try:
        table = sheets.read_rows(name, source)
    except sheets.SheetError as exc:
        raise UploadRefused([RowError(exc.row, exc.column, exc.message)]) from exc
    if not table:
        raise UploadRefused([RowError(None, "", "The file is empty.")])
    headings = [str(h or "").strip() for h in table[0][1]]
    width = len(headings)
    rows = [(cells + [None] * width)[:width] for _, cells in table[1:]]
    return Sheet(headings, rows, [number for number, _ in table[1:]])


def _columns(sheet: Sheet, wanted: dict, required: tuple[str, ...]) -> tuple[dict, list]:
    found: dict[str, int] = {}
    for index, heading in enumerate(sheet.headings):
        for key, names in wanted.items():
            if _norm(heading) in names and key not in found:
                found[key] = index
    errors = [
        RowError(1, "", f"The heading row has no “{wanted[key][0]}” column.")
        for key in required
        if key not in found
    ]
    return found, errors


def _label(sheet: Sheet, index: int) -> str:
    return f"{get_column_letter(index + 1)} ({sheet.headings[index]})"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_actuals(sheet: Sheet, *, year: int, user) -> Upload:
    """Check every row of an actuals upload for the financial year ``year``.

    Raises :class:`UploadRefused` with every problem, by row and column.
    """
    columns, errors = _columns(sheet, ACTUAL_COLUMNS, REQUIRED_ACTUAL_COLUMNS)
    if errors:
        raise UploadRefused(errors)
    refs = {_text(row[columns["indicator"]]) for row in sheet.rows}
    indicators = {
        i.ref: i
        for i in Indicator.objects.filter(ref__in=refs)
        .select_related("service")
        .prefetch_related("partners")
    }
    allowed = set(
        access.enterable_indicators(user).filter(ref__in=refs).values_list("ref", flat=True)
    )
    partners = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.PARTNER)}
    card = Scorecard(indicators.values(), [year - 1, year])
    periods: dict[PeriodKey, Period] = {}
    upload = Upload()
    seen: dict[tuple, int] = {}

    def cell(row: list, key: str) -> object:
        return row[columns[key]] if key in columns else None

    def column(key: str) -> str:
        return _label(sheet, columns[key])

    for number, row in zip(sheet.numbers, sheet.rows, strict=True):
        problems: list[RowError] = []
        ref = _text(cell(row, "indicator"))
        indicator = indicators.get(ref)
        if not ref:
            problems.append(RowError(number, column("indicator"), "Enter the indicator ref."))
        elif indicator is None:
            problems.append(
                RowError(number, column("indicator"), f"There is no indicator “{ref}”.")
            )
        elif ref not in allowed:
            problems.append(
                RowError(
                    number,
                    column("indicator"),
                    f"You may not enter actuals for {ref}: it is not one of your indicators.",
                )
            )
        code = _text(cell(row, "partner")).upper()
        partner = None
        if code and code != WHOLE_SERVICE.upper():
            partner = partners.get(code)
            if partner is None:
                problems.append(
                    RowError(number, column("partner"), f"There is no partner “{code}”.")
                )
        period_text = _text(cell(row, "period"))
        period = None
        try:
            key = parse_period(period_text)
        except PeriodError as exc:
            problems.append(RowError(number, column("period"), str(exc)))
        else:
            if key.year != year:
                financial_year = PeriodKey(year, PeriodKind.YEAR).code
                problems.append(
                    RowError(
                        number,
                        column("period"),
                        f"{key.code} is outside the financial year {financial_year}.",
                    )
                )
            elif indicator is not None and not rules.is_due(indicator.frequency, key):
                problems.append(
                    RowError(
                        number,
                        column("period"),
                        rules.not_due_reason(indicator.ref, indicator.frequency, key),
                    )
                )
            else:
                if key not in periods:
                    periods[key] = _period(key)
                period = periods[key]
        unit = indicator.unit if indicator else "count"
        value = None
        raw = cell(row, "actual")
        try:
            value = parse_actual(raw, unit)
        except ActualError as exc:
            problems.append(RowError(number, column("actual"), str(exc)))
        else:
            if value is None:
                problems.append(RowError(number, column("actual"), "Enter the actual."))
        denominator = None
        if "denominator" in columns:
            try:
                denominator = parse_actual(cell(row, "denominator"), "count")
            except ActualError as exc:
                problems.append(RowError(number, column("denominator"), str(exc)))
        reason = _text(cell(row, "reason"))
        remedial = _text(cell(row, "remedial_action"))
        if indicator is not None and period is not None and not problems:
            line = (indicator.pk, partner.pk if partner else None, period.pk)
            if line in seen:
                problems.append(
                    RowError(
                        number,
                        "",
                        f"{ref} {period.code} {code or WHOLE_SERVICE} is also on row {seen[line]}.",
                    )
                )
            seen.setdefault(line, number)
            try:
                changes.check_actual(
                    indicator,
                    period,
                    partner,
                    value=value,
                    denominator=denominator,
                    reason=reason,
                    remedial_action=remedial,
                    card=card,
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    where = {
                        "partner": "partner",
                        "period": "period",
                        "value": "actual",
                        "reason": "reason",
                        "remedial_action": "remedial_action",
                    }.get(name, "")
                    label = column(where) if where in columns else _missing(where)
                    problems.extend(RowError(number, label, m) for m in messages)
        errors.extend(problems)
        if not problems:
            upload.rows.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "partner": partner,
                    "value": value,
                    "denominator": denominator,
                    "reason": reason,
                    "remedial_action": remedial,
                }
            )
    if errors:
        raise UploadRefused(errors)
    if not upload.rows:
        raise UploadRefused([RowError(2, "", "The file has no rows of actuals.")])
    return upload


def _period(key: PeriodKey) -> Period:
    """The period, unsaved if it is new: checking an upload writes nothing."""
    found = Period.objects.filter(year=key.year, kind=key.kind.value, number=key.number).first()
    return found or Period(year=key.year, kind=key.kind.value, number=key.number)


def _missing(key: str) -> str:
    if not key:
        return ""
    return f"“{ACTUAL_COLUMNS[key][0]}” (add this column)"


@transaction.atomic
def import_actuals(name: str, source: sheets.Source, *, year: int, by) -> int:
    """Check, then save every row of an upload; returns how many actuals were saved."""
    upload = check_actuals(read_sheet(name, source), year=year, user=by)
    for row in upload.rows:
        if row["period"].pk is None:
            row["period"] = Period.objects.for_key(row["period"].key)
        changes.record_actual(by=by, **row)
    return len(upload.rows)


def check_benchmarks(sheet: Sheet) -> list[dict]:
    """Rows of an LG Inform-shaped CSV: area code, (area name,) period, value."""
    columns, errors = _columns(sheet, BENCHMARK_COLUMNS, REQUIRED_BENCHMARK_COLUMNS)
    if errors:
        raise UploadRefused(errors)
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in zip(sheet.numbers, sheet.rows, strict=True):
        problems = []
        code = _text(row[columns["area_code"]]).upper()
        period = _text(row[columns["period"]])
        if not code:
            problems.append(
                RowError(number, _label(sheet, columns["area_code"]), "Enter the area code.")
            )
        elif len(code) > 12:
            problems.append(
                RowError(
                    number, _label(sheet, columns["area_code"]), f"“{code}” is not an area code."
                )
            )
        if not period:
            problems.append(RowError(number, _label(sheet, columns["period"]), "Enter the period."))
        value: Decimal | None = None
        try:
            value = parse_actual(row[columns["value"]], "count")
        except ActualError as exc:
            problems.append(RowError(number, _label(sheet, columns["value"]), str(exc)))
        else:
            if value is None:
                problems.append(
                    RowError(number, _label(sheet, columns["value"]), "Enter the value.")
                )
        if code and period and (code, period) in seen:
            problems.append(
                RowError(number, "", f"{code} {period} is also on row {seen[(code, period)]}.")
            )
        seen.setdefault((code, period), number)
        errors.extend(problems)
        if not problems:
            name = _text(row[columns["area_name"]]) if "area_name" in columns else ""
            rows.append({"area_code": code, "area_name": name, "period": period, "value": value})
    if errors:
        raise UploadRefused(errors)
    if not rows:
        raise UploadRefused([RowError(2, "", "The file has no comparator values.")])
    return rows


@transaction.atomic
def import_benchmarks(
    indicator: Indicator, name: str, source: sheets.Source, *, by, demonstration: bool = False
) -> int:
    rows = check_benchmarks(read_sheet(name, source))
    return changes.replace_comparators(indicator, rows, by=by, demonstration=demonstration)
