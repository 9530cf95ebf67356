"""Money rules: splits, variances, shares and formatting. Pure functions, no database.

Sign convention (the seeds' own): an overspend is positive, an underspend is
negative and printed in brackets ``(£0.727m)``; a saving is a reduction in
budget, so it is negative and printed in brackets too. Reserve balances follow
the seed's reserve statement: a balance held is a credit, in brackets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, parse_period

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

Key = TypeVar("Key", bound=Hashable)


class SplitError(ValueError):
    """Shares that cannot split a figure: negative, or not adding up to 100%."""


# --- Splits by the funding formula ------------------------------------------------------------


def check_shares(shares: Mapping[Key, Decimal]) -> None:
    """Shares are percentages of one whole: none negative, together exactly 100."""
    if not shares:
        raise SplitError("There is no funding formula to split by.")
    negative = [str(k) for k, v in shares.items() if v < 0]
    if negative:
        raise SplitError(f"Shares cannot be negative: {', '.join(negative)}.")
    total = sum(shares.values(), ZERO)
    if total != HUNDRED:
        raise SplitError(f"The shares add up to {total}%, not 100%.")


def split(
    amount: Decimal, shares: Mapping[Key, Decimal], unit: Decimal = PENNY
) -> dict[Key, Decimal]:
    """Split ``amount`` by percentage ``shares``; the parts always add up to the amount.

    The rounding rule is largest remainder: every part is first rounded towards
    zero to the ``unit`` (the penny by default); the units left over go one
    each to the parts with the largest remainders, ties to the earlier share
    in ``shares``' order. So each part is within one unit of its exact share,
    a part never has the opposite sign to the whole, and a 0% share gets
    nothing. ``amount`` must be a whole number of units.
    """
    check_shares(shares)
    if amount % unit != 0:
        raise SplitError(f"{amount} is not a whole number of {unit}.")
    sign = -1 if amount < 0 else 1
    units = int(abs(amount) / unit)
    # Exact fractions, not floating or rounded decimals: the remainders decide who gets a unit.
    exact = {key: Fraction(units) * Fraction(share) / 100 for key, share in shares.items()}
    return {key: sign * part * unit for key, part in _largest_remainder(units, exact).items()}


def _largest_remainder(whole: int, exact: Mapping[Key, Fraction]) -> dict[Key, int]:
    """Whole numbers near ``exact`` (which add up to ``whole``) that add up to ``whole``."""
    floors = {key: math.floor(value) for key, value in exact.items()}
    left = whole - sum(floors.values())
    order = list(exact)
    by_remainder = sorted(order, key=lambda k: (-(exact[k] - floors[k]), order.index(k)))
    for key in by_remainder[:left]:
        floors[key] += 1
    return floors


def split_many(
    amounts: Sequence[tuple[Decimal, Mapping[Key, Decimal]]], unit: Decimal = PENNY
) -> dict[Key, Decimal]:
    """Split several figures, each by its own shares, and add the parts by key."""
    totals: dict[Key, Decimal] = {}
    for amount, shares in amounts:
        for key, part in split(amount, shares, unit).items():
            totals[key] = totals.get(key, ZERO) + part
    return totals


# --- Variance -------------------------------------------------------------------------------


class VarianceMismatch(ValueError):
    """A stated variance that is not the actual less the budget."""

    def __init__(self, stated: Decimal, computed: Decimal):
        self.stated, self.computed = stated, computed
        super().__init__(
            f"the variance given is {pounds(stated)} but the figures give {pounds(computed)}: "
            f"a difference of {pounds(stated - computed)}"
        )


def variance(
    budget: Decimal | None, actual: Decimal | None, stated: Decimal | None = None
) -> Decimal | None:
    """Over (+) or under (−) spend: the actual (forecast or outturn) less the budget.

    Where the source holds no budget or no actual, only the variance it reports
    (``stated``) is known, and that is the variance. Where it holds all three,
    they must agree: a stated variance is never allowed to override the figures.
    """
    if budget is not None and actual is not None:
        computed = actual - budget
        if stated is not None and stated != computed:
            raise VarianceMismatch(stated, computed)
        return computed
    return stated


# --- Shares of a total ----------------------------------------------------------------------


def percentages(parts: Mapping[Key, Decimal]) -> dict[Key, int]:
    """Each part's whole-number percentage of the total, adding up to 100.

    Largest remainder again, so the printed percentages always add up to 100
    (48% / 52% / 0% for the 2019/20 savings). All zero when the total is zero.
    Parts of mixed sign have no meaningful shares and are refused.
    """
    if any(v > 0 for v in parts.values()) and any(v < 0 for v in parts.values()):
        raise SplitError("Parts of opposite signs have no percentage shares.")
    total = sum((abs(v) for v in parts.values()), ZERO)
    if total == 0:
        return dict.fromkeys(parts, 0)
    exact = {k: Fraction(abs(v)) * 100 / Fraction(total) for k, v in parts.items()}
    return _largest_remainder(100, exact)


# --- Reserves -------------------------------------------------------------------------------


def transfers_to_reserve(shares: Mapping[Key, Decimal], threshold: Decimal) -> dict[Key, Decimal]:
    """Which partners' shares of an under- or overspend go to their reserves.

    A share smaller than the materiality ``threshold`` (in either direction) is
    not transferred, as with Bexley's £0.002m of the 2018/19 underspend.
    """
    return {k: v for k, v in shares.items() if abs(v) >= threshold and v != 0}


# --- Savings by contribution ----------------------------------------------------------------


@dataclass(frozen=True)
class ContributionRow:
    """One partner's planned savings against what the funding formula would give it."""

    planned: Decimal
    by_contribution: Decimal

    @property
    def gap(self) -> Decimal:
        """Planned less the formula's share: negative when the partner plans to save more."""
        return self.planned - self.by_contribution


def by_contribution(
    planned: Mapping[Key, Decimal], shares: Mapping[Key, Decimal]
) -> dict[Key, ContributionRow]:
    """What each partner would save if the planned total were split by the funding formula."""
    total = sum(planned.values(), ZERO)
    split_total = split(total, shares)
    keys = list(shares) + [k for k in planned if k not in shares]
    return {k: ContributionRow(planned.get(k, ZERO), split_total.get(k, ZERO)) for k in keys}


def grossed_up_total(planned: Mapping[Key, Decimal], shares: Mapping[Key, Decimal]) -> Decimal:
    """The total saving that keeps every partner's planned saving in line with its share.

    The seed's "grossing up": each partner's planned saving divided by its share
    of the formula gives the total that partner's saving implies; the largest
    of these is the total everyone would have to save for nobody to save more
    than their contribution. Rounded away from zero to the penny, so that no
    partner's share of it falls short of its plan.
    """
    check_shares(shares)
    needed = ZERO
    for key, amount in planned.items():
        if amount == 0:
            continue
        share = shares.get(key, ZERO)
        if share == 0:
            raise SplitError(f"{key} plans savings but has no share in the funding formula.")
        implied = abs(amount) * HUNDRED / share
        needed = max(needed, implied)
    sign = -1 if any(v < 0 for v in planned.values()) else 1
    return sign * needed.quantize(PENNY, ROUND_UP)


# --- Totals given and computed --------------------------------------------------------------


@dataclass(frozen=True)
class TotalMismatch:
    """A total typed in a sheet that differs from the total of its parts."""

    row: str
    column: str
    stated: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed

    def __str__(self) -> str:
        return (
            f"{self.row}: the {self.column} given is {pounds(self.stated)} but the parts add up "
            f"to {pounds(self.computed)}, a difference of {pounds(self.difference)}"
        )


def check_total(
    row: str, column: str, stated: Decimal | None, parts: Sequence[Decimal | None]
) -> tuple[Decimal, TotalMismatch | None]:
    """The computed total of ``parts``; a mismatch when a stated total disagrees.

    A blank total (``None``) is filled from the parts: totals are computed, never typed.
    """
    computed = sum((p for p in parts if p is not None), ZERO)
    if stated is not None and stated != computed:
        return computed, TotalMismatch(row, column, stated, computed)
    return computed, None


# --- Reading figures as the seeds write them ------------------------------------------------

_AMOUNT = re.compile(r"^(?P<neg>-)?(?P<num>\d+(?:\.\d+)?)(?P<m>m)?$")


def parse_amount(text: object) -> Decimal | None:
    """A money figure as papers and sheets write it, in pounds.

    ``-100,000``, ``- 100,000``, ``(100,000)``, ``£1,058,000``, ``(£0.727m)``,
    ``£0.375m`` and plain numbers; brackets mean negative; a blank or a lone
    dash is no figure (``None``). Raises :class:`ValueError` naming the text
    for anything else.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not an amount of money")
    if isinstance(text, int | float | Decimal):
        return _pence(Decimal(repr(text)) if isinstance(text, float) else Decimal(text), text)
    raw = str(text).strip()
    cleaned = re.sub(r"[\s,£]", "", raw).lower()
    if cleaned in ("", "-", "–", "—"):
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = cleaned.replace("–", "-").replace("−", "-")
    match = _AMOUNT.match(cleaned)
    if not match or (negative and match["neg"]):
        raise ValueError(f"{raw!r} is not an amount of money")
    try:
        value = Decimal(match["num"])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"{raw!r} is not an amount of money") from exc
    if match["m"]:
        value *= Decimal(1_000_000)
    if negative or match["neg"]:
        value = -value
    return _pence(value, raw)


def _pence(value: Decimal, raw: object) -> Decimal:
    if not value.is_finite() or value != value.quantize(PENNY):
        raise ValueError(f"{raw!r} is not a whole number of pence")
    return value.quantize(PENNY)


def parse_percent(text: object) -> Decimal | None:
    """``48%``, ``48`` or ``42.5%`` as a percentage; blank is ``None``."""
    if text is None:
        return None
    raw = str(text).strip().rstrip("%").strip()
    if raw in ("", "-"):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not a percentage") from exc


def parse_year(text: object) -> int:
    """A financial year ``2019/20`` (or ``19/20``, ``2019-20``) as its first calendar year."""
    raw = str(text or "").strip().replace("-", "/")
    short = re.match(r"^(\d{2})/(\d{2})$", raw)
    if short:
        raw = f"20{short[1]}/{short[2]}"
    try:
        key = parse_period(raw)
    except PeriodError as exc:
        raise ValueError(f"{text!r} is not a financial year: write it like 2019/20") from exc
    if key.kind is not PeriodKind.YEAR:
        raise ValueError(f"{text!r} is a period, not a financial year: write it like 2019/20")
    return key.year


def parse_month(text: object, year: int) -> int:
    """A month of the financial year: ``P11``, ``11`` or ``2018/19 P11`` → 11."""
    raw = str(text or "").strip().upper()
    if re.match(r"^P?\d{1,2}$", raw):
        number = int(raw.lstrip("P"))
        if not 1 <= number <= 12:
            raise ValueError(f"{text!r}: a period is P1 to P12")
        return number
    try:
        key = parse_period(raw)
    except PeriodError as exc:
        raise ValueError(f"{text!r} is not a period: write it like P11") from exc
    if key.kind is not PeriodKind.MONTH:
        raise ValueError(f"{text!r} is not a month period: write it like P11")
    if key.year != year:
        raise ValueError(f"{text!r} is not in {year_label(year)}")
    return key.number


def year_label(year: int) -> str:
    return PeriodKey(year, PeriodKind.YEAR).financial_year


# --- Printing figures -----------------------------------------------------------------------


def _bracketed(text: str, negative: bool) -> str:
    return f"({text})" if negative else text


def pounds(amount: Decimal | None, *, symbol: bool = True, pence: bool = False) -> str:
    """Whole pounds with thousands separators, negatives in brackets: ``(£943,000)``.

    ``pence`` keeps two decimals; ``symbol=False`` leaves out the £ (for
    columns headed "£"). An empty figure prints as an empty string.
    """
    if amount is None:
        return ""
    places = PENNY if pence else Decimal(1)
    value = amount.quantize(places, ROUND_HALF_UP)
    body = f"{abs(value):,.2f}" if pence else f"{abs(value):,.0f}"
    return _bracketed(("£" if symbol else "") + body, value < 0)


def millions(amount: Decimal | None, *, places: int = 3, symbol: bool = True) -> str:
    """Millions of pounds to ``places`` decimals, negatives in brackets: ``(£0.727m)``."""
    if amount is None:
        return ""
    value = (amount / Decimal(1_000_000)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    body = f"{abs(value):,.{places}f}"
    text = f"£{body}m" if symbol else body
    return _bracketed(text, value < 0)


def percent_label(value: int | Decimal | None) -> str:
    """``48%``; a share such as ``42.500`` prints as ``42.5%``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = Decimal(0) if value == 0 else value.normalize()
        return f"{value:f}%"
    return f"{value}%"


# --- Delivery status of savings -------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryStatus:
    """A savings item's delivery RAG: always shown with its word (``tone`` is a GOV.UK tag)."""

    code: str
    label: str
    tone: str
    meaning: str


DELIVERY_RAG: tuple[DeliveryStatus, ...] = (
    DeliveryStatus("G", "Green", "green", "On track to be delivered in full"),
    DeliveryStatus("A", "Amber", "yellow", "At risk: delivery plans in place but not yet secure"),
    DeliveryStatus("R", "Red", "red", "Not expected to be delivered as planned"),
    DeliveryStatus("B", "Delivered", "blue", "Delivered"),
)
NOT_ASSESSED = DeliveryStatus("", "Not assessed", "grey", "No delivery status recorded yet")


def delivery_status(code: str | None) -> DeliveryStatus:
    for status in DELIVERY_RAG:
        if status.code == code:
            return status
    if code:
        raise ValueError(f"{code!r} is not a delivery status: use G, A, R or B")
    return NOT_ASSESSED
