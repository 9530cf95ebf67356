"""Plan statuses and their summaries: pure rules, no database."""

from __future__ import annotations

import difflib
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
    """Items per reported status: the scale's statuses (approved updates only), then
    "Awaiting approval", "Returned" and "No update" apart; overdue and stale are flags
    counted beside, never a status."""

    rows: tuple[SummaryRow, ...]
    total: int
    overdue: int = 0
    stale: int = 0

    def count(self, code: str) -> int:
        return next((r.count for r in self.rows if r.status.code == code), 0)

    @property
    def columns(self) -> tuple[SummaryRow, ...]:
        """Every status of the scale, then awaiting, returned and no update, zeros
        included: fixed columns."""
        present = {r.status.code: r for r in self.rows}
        extra = tuple(present.get(s.code) or SummaryRow(s, 0, 0) for s in UNREPORTED)
        return (*(r for r in self.rows if r.status not in UNREPORTED), *extra)

    @property
    def reported(self) -> int:
        """Items counted with a status of the scale: those with an approved update."""
        return sum(r.count for r in self.rows if r.status not in UNREPORTED)

    @property
    def unreported(self) -> int:
        return self.total - self.reported


def summarise(
    scale_code: str,
    statuses: Iterable[str | Status | None],
    *,
    overdue: int = 0,
    stale: int = 0,
) -> StatusSummary:
    """Count and percentage per status on the scale, in the scale's order.

    ``statuses`` are reported statuses (see :func:`reported_status`) or their codes.
    Items awaiting approval, returned, or with no update are counted apart, after the
    scale's statuses (each shown only when any), never as the status they carry.
    """
    counts = Counter(s.code if isinstance(s, Status) else (s or "") for s in statuses)
    total = sum(counts.values())
    scale = SCALES[scale_code]
    apart = {s.code for s in UNREPORTED}
    unknown = set(counts) - set(scale.codes()) - apart
    if unknown:
        raise ValueError(f"Statuses not on the {scale.name} scale: {sorted(unknown)}")
    rows = [SummaryRow(s, counts[s.code], percent(counts[s.code], total)) for s in scale.statuses]
    for status in UNREPORTED:
        if counts[status.code]:
            rows.append(
                SummaryRow(status, counts[status.code], percent(counts[status.code], total))
            )
    return StatusSummary(tuple(rows), total, overdue, stale)


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

# Counted apart from the scale's statuses, in this order.
UNREPORTED: tuple[Status, ...] = (AWAITING_APPROVAL, RETURNED, NO_UPDATE)

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


# -- the state machine of an update and of a deadline revision ------------------------------
# draft → submitted → approved or returned; a returned update is resubmitted; an approved
# update of the period still open may be changed (it goes back to submitted); once its period
# is no longer open it is locked and only a correction, approved in turn, may change it.

DRAFT_STATE = "draft"  # no update saved yet


class UpdateEvent(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


UPDATE_TRANSITIONS: dict[tuple[str, UpdateEvent], str] = {
    (DRAFT_STATE, UpdateEvent.SUBMIT): SUBMITTED_STATE,
    (SUBMITTED_STATE, UpdateEvent.SUBMIT): SUBMITTED_STATE,
    (RETURNED_STATE, UpdateEvent.SUBMIT): SUBMITTED_STATE,
    (APPROVED_STATE, UpdateEvent.SUBMIT): SUBMITTED_STATE,  # only while its period is open
    (SUBMITTED_STATE, UpdateEvent.APPROVE): APPROVED_STATE,
    (SUBMITTED_STATE, UpdateEvent.RETURN): RETURNED_STATE,
}

_REFUSALS = {
    (APPROVED_STATE, UpdateEvent.APPROVE): "This update has already been approved.",
    (RETURNED_STATE, UpdateEvent.APPROVE): (
        "This update was returned to its lead: it can be approved only once it is resubmitted."
    ),
    (APPROVED_STATE, UpdateEvent.RETURN): "This update has already been approved.",
    (RETURNED_STATE, UpdateEvent.RETURN): "This update has already been returned to its lead.",
}

LOCKED_MESSAGE = (
    "This update was approved and its period is no longer open for updates: "
    "to change it, make a correction with a reason, which is approved in turn."
)


class TransitionRefused(ValueError):
    """A step the state machine does not allow from the current state."""


def next_update_state(state: str, event: UpdateEvent, *, locked: bool = False) -> str:
    """The state an update of ``state`` moves to on ``event``, or :class:`TransitionRefused`.

    ``locked``: the update's period is no longer open for updates, so an approved update
    cannot be submitted over.
    """
    if state == APPROVED_STATE and event is UpdateEvent.SUBMIT and locked:
        raise TransitionRefused(LOCKED_MESSAGE)
    try:
        return UPDATE_TRANSITIONS[(state, event)]
    except KeyError:
        message = _REFUSALS.get((state, event), f"An update cannot {event} when {state}.")
        raise TransitionRefused(message) from None


PROPOSED_DECISION = "proposed"
AGREED_DECISION = "agreed"
REJECTED_DECISION = "rejected"


def next_revision_decision(decision: str, *, agreed: bool) -> str:
    """A proposed date is decided once: agreed or not agreed, never decided again."""
    if decision != PROPOSED_DECISION:
        raise TransitionRefused("This revised date has already been decided.")
    return AGREED_DECISION if agreed else REJECTED_DECISION


def same_as_previous(
    status: str, percent_complete: int | None, progress: str, previous: tuple | None
) -> bool:
    """Status, % complete and text equal to the previous period's (``previous`` as a tuple)."""
    if previous is None:
        return False
    before_status, before_percent, before_progress = previous
    return (status, percent_complete, _words(progress)) == (
        before_status,
        before_percent,
        _words(before_progress),
    )


def _words(text: str) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class DiffPart:
    """A run of words of a text compared with an earlier one: kept, added or removed."""

    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(before: str, after: str) -> list[DiffPart]:
    """The words of ``after`` against ``before``: what stayed, what was added and removed.

    Plain text parts; the template escapes them, so no markup can come through.
    """
    old, new = (before or "").split(), (after or "").split()
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", " ".join(new[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(DiffPart("removed", " ".join(old[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(DiffPart("added", " ".join(new[b1:b2])))
    return parts


def last_reported_phrase(status: Status, last: tuple[str, Status] | None, period_code: str) -> str:
    """``last reported Q1: Green`` for an item not reported with a status this period (the
    year is named when it differs); empty when it was, or never was reported."""
    if status not in UNREPORTED or last is None:
        return ""
    code, earlier = last
    year = period_code.split(" ")[0]
    short = code.split(" ", 1)[1] if code.startswith(year + " ") and " " in code else code
    return f"last reported {short}: {earlier.label}"


def last_reported_label(status: Status, last: tuple[str, Status] | None, period_code: str) -> str:
    """What a reader is told: ``Green``; ``No update – last reported Q1: Green``."""
    phrase = last_reported_phrase(status, last, period_code)
    return f"{status.label} – {phrase}" if phrase else status.label


def as_of(period_end: date, today: date) -> date:
    """The day an item's target is judged against for a period: its end, or today while
    the period runs (so a report of a past period is the same whenever it is made)."""
    return min(period_end, today)


def periods_without_approved_update(
    period_keys: Iterable, reported: object, last_approved: object | None
) -> int:
    """How many of the plan's periods up to ``reported`` (inclusive) came after the latest
    approved update (``last_approved``, ``None`` when there never was one). Any ordered keys."""
    return sum(
        1
        for key in set(period_keys) | {reported}
        if key <= reported and (last_approved is None or key > last_approved)
    )
