"""Pure rules of the registers: the open-data column sets, quarters and their addresses,
what is published, and how each cell is written and read back. No database here.

Column names
------------
The Local Government Transparency Code 2015 (gov.uk, 27 February 2015,
https://www.gov.uk/government/publications/local-government-transparency-code-2015)
lists what each published row must say: for contracts over £5,000, "reference number,
title of agreement, local authority department responsible, description of the goods
and/or services, supplier name and details, sum to be paid ..., Value Added Tax that
cannot be recovered, start, end and review dates, whether or not the contract was the
result of an invitation to quote or a published invitation to tender, and whether or
not the supplier is a small or medium sized enterprise and/or a voluntary or community
sector organisation and ... the relevant registration number"; for grants to voluntary,
community and social enterprise organisations, the date awarded, the time period, the
department, the beneficiary and its registration number, a summary of the purpose and
the amount.

The LGA's published contracts schema numbers its columns, and councils that publish to
it quote some of their titles (Norfolk County Council, "Contracts and grants register",
https://www.norfolk.gov.uk/contractsgrantsregister: 4 "Contract reference number", 17
"Contract start date", 18 "End date", 19 "Review date", 25 "Supplier registered company
number", 26 "Supplier registered charity number", 29 "SME supplier", 30 "VCSE supplier").
We use those titles. The schema's full column list could not be retrieved when this was
built, so every other column is named with the Code's own words for the field (README,
"Registers and open data"). Changing a name changes every published file: the tests pin
these lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, check_year

CONTRACT_COLUMNS = [
    "Organisation name",
    "Organisation GSS code",
    "Contract reference number",  # LGA schema column 4
    "Title of agreement",  # Code: "title of agreement"
    "Department responsible",  # Code: "local authority department responsible"
    "Description of goods and services",  # Code: "description of the goods and/or services"
    "Supplier name",  # Code: "supplier name and details"
    "Supplier registered company number",  # LGA schema column 25
    "Supplier registered charity number",  # LGA schema column 26
    "SME supplier",  # LGA schema column 29
    "VCSE supplier",  # LGA schema column 30
    "Contract value",  # Code: "sum to be paid over the length of the contract"
    "Irrecoverable VAT",  # Code: "Value Added Tax that cannot be recovered"
    "Contract start date",  # LGA schema column 17
    "End date",  # LGA schema column 18
    "Review date",  # LGA schema column 19
    "Procurement route",  # Code: "invitation to quote or a published invitation to tender"
    "Redacted fields",
    "Redaction reason",
]

GRANT_COLUMNS = [
    "Organisation name",
    "Organisation GSS code",
    "Grant reference",
    "Date the grant was awarded",  # the Code's words, as each field below
    "Grant period start date",  # Code: "time period for which the grant has been given"
    "Grant period end date",
    "Department awarding the grant",
    "Beneficiary",
    "Beneficiary registration number",
    "Summary of the purpose of the grant",
    "Amount",
    "Redacted fields",
    "Redaction reason",
]

# The grants register's own export adds these (the published file lists voluntary bodies
# only, and the programme is the council's own grouping).
GRANT_REGISTER_EXTRA = ["Grant programme", "Voluntary body"]

# The Code asks for contracts whose value "exceeds £5,000": £5,000.00 itself is not published.
PUBLISH_OVER = Decimal("5000.00")
PENNY = Decimal("0.01")
MOST = Decimal("9999999999.99")
REDACTED = "REDACTED"

ROUTES = [
    ("tender", "Published invitation to tender"),
    ("quote", "Invitation to quote"),
    ("framework", "Call-off from a framework agreement"),
    ("waiver", "Direct award under a procurement waiver"),
]
ROUTE_LABELS = dict(ROUTES)

# Fields that may be withheld from publication, with the column each fills.
CONTRACT_REDACTABLE = {
    "supplier_name": "Supplier name",
    "supplier_company_number": "Supplier registered company number",
    "supplier_charity_number": "Supplier registered charity number",
    "description": "Description of goods and services",
}
GRANT_REDACTABLE = {
    "recipient": "Beneficiary",
    "recipient_number": "Beneficiary registration number",
    "purpose": "Summary of the purpose of the grant",
}


class QuarterError(ValueError):
    """A quarter's address that names no quarter."""


_SLUG = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


def quarter_slug(quarter: PeriodKey) -> str:
    """``2019-20-Q2``: the quarter's part of its open-data address."""
    return f"{quarter.year}-{(quarter.year + 1) % 100:02d}-Q{quarter.number}"


def parse_quarter_slug(text: str) -> PeriodKey:
    """The quarter an address names, or :class:`QuarterError`."""
    match = _SLUG.match(text or "")
    if not match:
        raise QuarterError("A quarter is written like 2019-20-Q2.")
    year, second, number = int(match[1]), int(match[2]), int(match[3])
    if second != (year + 1) % 100:
        raise QuarterError("The two years of a financial year follow each other: 2019-20.")
    try:
        return PeriodKey(check_year(year), PeriodKind.QUARTER, number)
    except PeriodError as exc:
        raise QuarterError(str(exc)) from exc


def quarter_of(day: date) -> PeriodKey:
    year = day.year if day.month >= 4 else day.year - 1
    return PeriodKey(year, PeriodKind.QUARTER, (day.month - 4) % 12 // 3 + 1)


def quarters_between(first: PeriodKey, last: PeriodKey) -> list[PeriodKey]:
    """Every quarter from ``first`` to ``last``, both included, oldest first."""
    found = []
    quarter = first
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    return found


def live_in(quarter: PeriodKey, starts_on: date, ends_on: date | None) -> bool:
    """A contract is in a quarter's register if it ran on any day of it."""
    return starts_on <= quarter.end and (ends_on is None or ends_on >= quarter.start)


def published(value: Decimal) -> bool:
    return value > PUBLISH_OVER


# --- Cells -------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its column asks."""


def money_text(value: Decimal | None) -> str:
    """A plain number for open data: ``25000.00``, never ``£25,000``."""
    return "" if value is None else f"{value.quantize(PENNY)}"


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_money(value: object, *, required: bool = True) -> Decimal | None:
    """A sum in pounds: a number, or text like ``25000``, ``25,000.00`` or ``£25,000``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError("Enter the amount in pounds, like 25000.00.")
        return None
    if isinstance(value, bool):
        raise CellError("Enter the amount in pounds, like 25000.00.")
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = str(value).strip()
        if not _MONEY.match(text):
            raise CellError(f"“{text[:40]}” is not an amount in pounds, like 25000.00.")
        text = text.lstrip("£").strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise CellError("Enter the amount in pounds, like 25000.00.") from exc
    if amount < 0:
        raise CellError("The amount cannot be negative.")
    if amount != amount.quantize(PENNY):
        raise CellError("Give the amount in pounds and pence: at most two decimal places.")
    if amount > MOST:
        raise CellError("The amount is larger than any the register holds.")
    return amount.quantize(PENNY)


def parse_date(value: object, *, required: bool = True) -> date | None:
    """A date: an Excel date, or text in ISO 8601 (``2019-07-01``) or ``01/07/2019``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise CellError("Enter the date, like 2019-07-01.")
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise CellError(f"“{text[:40]}” is not a date like 2019-07-01.")


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def parse_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError("Write Yes or No.")


def parse_route(value: object) -> str:
    text = "" if value is None else str(value).strip()
    for key, label in ROUTES:
        if text.lower() in (key, label.lower()):
            return key
    raise CellError("Choose one of: " + "; ".join(label for _, label in ROUTES) + ".")


def text_cell(value: object) -> str:
    """Text as typed, without the apostrophe our exports put before formula-like text."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


@dataclass(frozen=True)
class Redaction:
    """Which fields are withheld from publication, and why."""

    fields: tuple[str, ...]
    reason: str

    def hides(self, name: str) -> bool:
        return name in self.fields


def split_fields(text: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in (text or "").split(",")) if part)


def parse_redaction(columns_text: object, reason: object, redactable: dict[str, str]) -> Redaction:
    """``Supplier name; Description of goods and services`` → the fields' names."""
    by_column = {column.lower(): name for name, column in redactable.items()}
    names = []
    for part in text_cell(columns_text).split(";"):
        part = part.strip()
        if not part:
            continue
        if part.lower() not in by_column:
            raise CellError(
                f"“{part[:40]}” cannot be redacted: only "
                + "; ".join(redactable.values())
                + " may be."
            )
        names.append(by_column[part.lower()])
    why = text_cell(reason)
    if names and not why:
        raise CellError("Say why the fields are withheld, as the Code allows.")
    return Redaction(tuple(names), why if names else "")


def redaction_columns(fields: tuple[str, ...], redactable: dict[str, str]) -> str:
    return "; ".join(redactable[name] for name in fields if name in redactable)
