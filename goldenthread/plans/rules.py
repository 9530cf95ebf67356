"""Plan statuses and their summaries: pure rules, no database."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Tone(StrEnum):
    """How a status is coloured: GOV.UK tag colours, always shown with the word."""

    GREEN = "green"
    AMBER = "yellow"
    RED = "red"
    BLUE = "blue"
    GREY = "grey"


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    tone: Tone
    meaning: str
    complete: bool = False


@dataclass(frozen=True)
class StatusScale:
    code: str
    name: str
    statuses: tuple[Status, ...]

    def get(self, code: str) -> Status | None:
        for status in self.statuses:
            if status.code == code:
                return status
        return None

    def codes(self) -> list[str]:
        return [s.code for s in self.statuses]

    def choices(self) -> list[tuple[str, str]]:
        return [(s.code, s.label) for s in self.statuses]


RAG = StatusScale(
    "rag",
    "Red, amber, green",
    (
        Status("G", "Green", Tone.GREEN, "Progress is on track"),
        Status("A", "Amber", Tone.AMBER, "Progress is within acceptable variance"),
        Status("R", "Red", Tone.RED, "Progress is behind schedule"),
        Status("B", "Complete", Tone.BLUE, "Delivered", complete=True),
    ),
)

BEST_VALUE = StatusScale(
    "best_value",
    "Best Value words",
    (
        Status("On Target", "On Target", Tone.GREEN, "Milestone on course for its deadline"),
        Status("Ongoing", "Ongoing", Tone.GREEN, "Continuing work with no end date"),
        Status(
            "Revised Date Proposed",
            "Revised Date Proposed",
            Tone.AMBER,
            "A new deadline is proposed to the board",
        ),
        Status("Complete", "Complete", Tone.BLUE, "Milestone delivered", complete=True),
        Status(
            "Complete and Ongoing",
            "Complete and Ongoing",
            Tone.BLUE,
            "Delivered, with work continuing as business as usual",
            complete=True,
        ),
    ),
)

SCALES: dict[str, StatusScale] = {RAG.code: RAG, BEST_VALUE.code: BEST_VALUE}

NO_UPDATE = Status("", "No update", Tone.GREY, "No update recorded for the period")


def status_of(scale_code: str, code: str | None) -> Status:
    """The status on a scale, or :data:`NO_UPDATE` when none was given."""
    if not code:
        return NO_UPDATE
    status = SCALES[scale_code].get(code)
    if status is None:
        raise ValueError(f"{code!r} is not a status on the {SCALES[scale_code].name} scale.")
    return status


def percent(part: int, whole: int) -> int:
    """Whole-number percentage, halves rounded up, as the committee papers print it."""
    if whole == 0:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class SummaryRow:
    status: Status
    count: int
    percent: int


@dataclass(frozen=True)
class StatusSummary:
    rows: tuple[SummaryRow, ...]
    total: int

    def count(self, code: str) -> int:
        return next((r.count for r in self.rows if r.status.code == code), 0)

    @property
    def columns(self) -> tuple[SummaryRow, ...]:
        """Every status of the scale and then "No update", zeros included: fixed columns."""
        if self.rows and self.rows[-1].status is NO_UPDATE:
            return self.rows
        return (*self.rows, SummaryRow(NO_UPDATE, 0, 0))


def summarise(scale_code: str, statuses: Iterable[str | None]) -> StatusSummary:
    """Count and percentage per status on the scale, in the scale's order.

    Items with no update are counted under "No update" (shown only when any).
    """
    counts = Counter(s or "" for s in statuses)
    total = sum(counts.values())
    scale = SCALES[scale_code]
    unknown = set(counts) - set(scale.codes()) - {""}
    if unknown:
        raise ValueError(f"Statuses not on the {scale.name} scale: {sorted(unknown)}")
    rows = [SummaryRow(s, counts[s.code], percent(counts[s.code], total)) for s in scale.statuses]
    if counts[""]:
        rows.append(SummaryRow(NO_UPDATE, counts[""], percent(counts[""], total)))
    return StatusSummary(tuple(rows), total)


def validate_percent_complete(value: int | None) -> str | None:
    """An error message for an impossible % complete, else ``None``."""
    if value is not None and not 0 <= value <= 100:
        return f"% complete must be between 0 and 100, not {value}."
    return None


def lead_titles(lead: str) -> list[str]:
    """The posts behind a lead as the papers write it.

    ``"Zena Cooke / Zamil Ahmed"`` is two posts (a joint lead); a note in
    brackets is not part of the post: ``"Sharan Ahmed (with CLC as required)"``.
    """
    parts = [p.strip() for p in re.split(r"\s*/\s*", lead or "") if p.strip()]
    return [re.sub(r"\s*\(.*\)$", "", p) for p in parts]


# -- the reported position ------------------------------------------------------------------
# Only an approved update counts with its status. Anything else shows as what it is and is
# counted apart from the scale's statuses, so an unapproved "Green" never reaches a reader.

AWAITING_APPROVAL = Status("awaiting", "Awaiting approval", Tone.GREY, "Submitted, not approved")
RETURNED = Status("returned", "Returned", Tone.GREY, "Returned to its lead for changes")

APPROVED_STATE = "approved"
SUBMITTED_STATE = "submitted"
RETURNED_STATE = "returned"


def reported_status(scale_code: str, code: str | None, state: str | None) -> Status:
    """The status a reader is shown for an update of ``state`` carrying status ``code``.

    Approved: its status on the scale. Submitted: "Awaiting approval". Returned:
    "Returned". No update (``code`` empty or ``state`` None): "No update".
    """
    if not code or state is None:
        return NO_UPDATE
    if state == APPROVED_STATE:
        return status_of(scale_code, code)
    if state == RETURNED_STATE:
        return RETURNED
    return AWAITING_APPROVAL


def is_overdue(target: date | None, *, complete: bool, today: date) -> bool:
    """Past its target date and not complete. Shown and counted apart from RAG."""
    return target is not None and not complete and target < today


def is_stale(periods_without_approved_update: int) -> bool:
    """No approved update for one or more periods up to the one reported. Apart from RAG."""
    return periods_without_approved_update >= 1
