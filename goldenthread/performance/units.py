"""Units of indicators: reading actuals as typed or uploaded, and printing values.

Pure functions with no database; numbers are :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum


class Unit(StrEnum):
    PERCENT = "percent"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    MONEY = "money"
    COUNT = "count"
    RATING = "rating"
    YES_NO = "yes_no"


UNIT_LABELS = {
    Unit.PERCENT: "%",
    Unit.DAYS: "days",
    Unit.WEEKS: "weeks",
    Unit.MONTHS: "months",
    Unit.MONEY: "£",
    Unit.COUNT: "count",
    Unit.RATING: "rating",
    Unit.YES_NO: "yes/no",
}


# Reading and writing values


class ActualError(ValueError):
    """An actual that is not a number of the indicator's unit."""


_YES = {"yes", "y", "compliant", "true", "1"}
_NO = {"no", "n", "not compliant", "non-compliant", "non compliant", "false", "0"}


def parse_actual(text: str | Decimal | float | int | None, unit: Unit | str) -> Decimal | None:
    """An actual as typed or uploaded: "95.5", "95.5%", "£1,200", "Yes"; empty gives ``None``.

    Raises :class:`ActualError` naming what is wrong.
    """
    unit = Unit(unit)
    if text is None:
        return None
    if isinstance(text, bool):
        raise ActualError("Enter a number, not true or false.")
    if isinstance(text, int | float | Decimal):
        return _finite(Decimal(str(text)), str(text))
    cleaned = " ".join(str(text).split())
    if not cleaned:
        return None
    if unit is Unit.YES_NO:
        lowered = cleaned.lower()
        if lowered in _YES:
            return Decimal(1)
        if lowered in _NO:
            return Decimal(0)
        raise ActualError(f"“{cleaned}” is not yes or no (or compliant / not compliant).")
    number = cleaned.replace(",", "")
    if unit is Unit.MONEY:
        number = number.removeprefix("£").strip()
    if unit is Unit.PERCENT:
        number = number.removesuffix("%").strip()
    for word in ("working days", "days", "day", "weeks", "week", "months", "month"):
        if number.lower().endswith(word):
            number = number[: -len(word)].strip()
            break
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise ActualError(f"“{cleaned}” is not a number.") from exc
    return _finite(value, cleaned)


def _finite(value: Decimal, shown: str) -> Decimal:
    if not value.is_finite():
        raise ActualError(f"“{shown}” is not a number.")
    if abs(value) >= Decimal("1e10"):
        raise ActualError(f"“{shown}” is too large.")
    return value


def plain(value: Decimal, places: int | None = None) -> str:
    """A number with thousands separators and no trailing zeros: 1,200.5."""
    if places is not None:
        with suppress(InvalidOperation):  # too many digits to round: print it as it is
            value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_value(value: Decimal | None, unit: Unit | str) -> str:
    """An actual as the committee papers print it: 95.5%, £1,200, 20 days, Yes."""
    if value is None:
        return ""
    unit = Unit(unit)
    if unit is Unit.PERCENT:
        return f"{plain(value, 2)}%"
    if unit is Unit.MONEY:
        return f"£{plain(value, 2)}"
    if unit is Unit.YES_NO:
        return "Yes" if value == 1 else "No"
    if unit in (Unit.DAYS, Unit.WEEKS, Unit.MONTHS):
        amount = plain(value, 2)
        return f"{amount} {unit.value if amount != '1' else unit.value[:-1]}"
    return plain(value, 2)


def format_difference(value: Decimal, unit: Unit | str) -> str:
    """A gap between an actual and a target: percentage points for percentages."""
    unit = Unit(unit)
    if unit is Unit.PERCENT:
        amount = plain(value, 2)
        return f"{amount} percentage point{'s' if amount != '1' else ''}"
    return format_value(value, unit)
