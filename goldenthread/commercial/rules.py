"""The Commercial Protocol as plain rules: no database, no views.

The oneSource Joint Committee's Commercial Protocol (12 July 2019, seed 001 item 10 and its
appendix) takes an external work opportunity through seven stages. Before an opportunity may
leave a stage, the protocol's tests for that stage must be recorded with their evidence;
:func:`missing_tests` names what is still to record and :func:`refusal` says it in words.

"One off" requests are handled proportionately, as the protocol says: the Director's "brief
analysis" (legal powers, capacity, benefits, impact on the partner authorities) replaces the
outline and full business cases, so a one-off opportunity goes straight from *Opportunity
arises* to *Final approval* and needs no business case; the later stages keep their tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Stage(StrEnum):
    ARISES = "arises"
    DRAFT_CASE = "draft_case"
    FULL_CASE_APPROVAL = "full_case_approval"
    FINAL_APPROVAL = "final_approval"
    AGREEMENT = "agreement"
    MONITORING = "monitoring"
    REVIEW = "review"


STAGE_LABELS: dict[Stage, str] = {
    Stage.ARISES: "Opportunity arises",
    Stage.DRAFT_CASE: "Develop draft business case",
    Stage.FULL_CASE_APPROVAL: "Approval to proceed to develop full business case",
    Stage.FINAL_APPROVAL: "Final approval",
    Stage.AGREEMENT: "Agreement with external and implementation",
    Stage.MONITORING: "Ongoing monitoring",
    Stage.REVIEW: "Review",
}

# The stages in the protocol's order (the table "Implementing the Commercial Protocol").
SEQUENCE: tuple[Stage, ...] = tuple(Stage)
# A "one off" or ad hoc request: the brief analysis stands in for the business cases.
ONE_OFF_SEQUENCE: tuple[Stage, ...] = (
    Stage.ARISES,
    Stage.FINAL_APPROVAL,
    Stage.AGREEMENT,
    Stage.MONITORING,
    Stage.REVIEW,
)


class CasePhase(StrEnum):
    OUTLINE = "outline"
    FULL = "full"


CASE_PHASE_LABELS = {
    CasePhase.OUTLINE: "Outline business case",
    CasePhase.FULL: "Full business case",
}

# HM Treasury's Five Case Model, in its order: (field, heading, what the case answers).
FIVE_CASES: tuple[tuple[str, str, str], ...] = (
    ("strategic", "Strategic case", "Is there a case for change? Fit with partner priorities."),
    ("economic", "Economic case", "Options considered and the one that gives best value."),
    ("commercial", "Commercial case", "The deal: client, terms, market and benchmarking."),
    ("financial", "Financial case", "Income, costs and surplus; is it affordable and sound?"),
    ("management", "Management case", "How it will be delivered, monitored and its risks managed."),
)


@dataclass(frozen=True)
class ProtocolTest:
    key: str
    title: str
    wording: str  # the protocol's own words


TESTS: dict[str, ProtocolTest] = {
    t.key: t
    for t in (
        ProtocolTest(
            "commissioners_notified",
            "Commissioners notified",
            "Liaise with external organisation and notify commissioners. Record in Business "
            "Development Team.",
        ),
        ProtocolTest(
            "legal_power",
            "Legal power",
            "Identify legal powers to provide the service / in the model proposed.",
        ),
        ProtocolTest(
            "capacity",
            "Capacity",
            "The service's capacity to undertake the work.",
        ),
        ProtocolTest(
            "income_source",
            "Source of income",
            "Identify where income could come from e.g. fees and charges, surplus and "
            "financial business case.",
        ),
        ProtocolTest(
            "omt_sense_check",
            "OMT sense check",
            "Discuss at OMT for initial consideration and sense check.",
        ),
        ProtocolTest(
            "benefits",
            "Benefits",
            "The benefits of undertaking the work in terms of income (i.e. surplus); costs; "
            "commercial experience; reputational benefit and market penetration; commercial risk.",
        ),
        ProtocolTest(
            "partner_impact",
            "Impact on partner services",
            "There is no detrimental impact on the shared service provision to the 3 partner "
            "councils and does not undermine the in-house focus.",
        ),
        ProtocolTest(
            "performance_costings",
            "Performance measures and costings",
            "Effective performance measures and costings are included.",
        ),
        ProtocolTest(
            "market_analysis",
            "Market analysis",
            "Decisions are informed by analysis of the current market and benchmarking "
            "utilising good quality data.",
        ),
        ProtocolTest(
            "risk_register",
            "Risk register",
            "A risk register is prepared and taken into account.",
        ),
        ProtocolTest(
            "no_externalisation",
            "No externalisation",
            "Alternative delivery models are considered where appropriate but any proposal "
            "should not include the externalisation of any service.",
        ),
        ProtocolTest(
            "commissioners_consulted",
            "Commissioners and lead members consulted",
            "Submit to commissioners and lead members for consultation on way to proceed.",
        ),
        ProtocolTest(
            "omt_review",
            "OMT review",
            "Present case to OMT for review; consultation with commissioners and lead "
            "members, as required.",
        ),
        ProtocolTest(
            "lawful_and_sound",
            "Lawful and sound",
            "Assess whether the proposed activities that are undertaken are lawful or "
            "commercially or financially sound.",
        ),
        ProtocolTest(
            "partner_approvals",
            "Approvals of each authority",
            "Seek necessary approvals from each authority (under its scheme of delegation "
            "or the Joint Committee's delegated powers).",
        ),
        ProtocolTest(
            "director_decision",
            "Director's decision",
            "The Director's brief analysis finds the work beneficial to the interests of "
            "the partner authorities; decided under their governance requirements.",
        ),
        ProtocolTest(
            "terms_agreed",
            "Terms and start date agreed",
            "Agree terms and start date. Mobilise resources. Establish communication plan "
            "if necessary.",
        ),
        ProtocolTest(
            "benefit_systems",
            "Systems to assess benefits",
            "Systems are in place to continually assess the benefits of providing external "
            "services e.g. income/cost forecasting.",
        ),
        ProtocolTest(
            "benefits_monitored",
            "Benefits and assumptions monitored",
            "Monitoring of benefits and assumptions made as part of the business case. "
            "Financial planning to identify areas for expansion.",
        ),
        ProtocolTest(
            "budget_review",
            "Budget-setting review",
            "Regular review as part of budget setting process.",
        ),
    )
}

# Which tests must be recorded before an opportunity may LEAVE each stage.
STAGE_TESTS: dict[Stage, tuple[str, ...]] = {
    Stage.ARISES: (
        "commissioners_notified",
        "legal_power",
        "capacity",
        "income_source",
        "omt_sense_check",
    ),
    Stage.DRAFT_CASE: (
        "benefits",
        "partner_impact",
        "performance_costings",
        "market_analysis",
        "risk_register",
        "no_externalisation",
        "commissioners_consulted",
    ),
    Stage.FULL_CASE_APPROVAL: ("omt_review", "lawful_and_sound"),
    Stage.FINAL_APPROVAL: ("partner_approvals",),
    Stage.AGREEMENT: ("terms_agreed", "benefit_systems"),
    Stage.MONITORING: ("benefits_monitored",),
    Stage.REVIEW: ("budget_review",),
}

# The proportionate route: the brief analysis's four considerations, then the Director's
# decision; the stages after agreement are the same as for ongoing provision.
ONE_OFF_STAGE_TESTS: dict[Stage, tuple[str, ...]] = {
    Stage.ARISES: ("legal_power", "capacity", "benefits", "partner_impact"),
    Stage.FINAL_APPROVAL: ("director_decision",),
    Stage.AGREEMENT: ("terms_agreed",),
    Stage.MONITORING: ("benefits_monitored",),
    Stage.REVIEW: ("budget_review",),
}

# The business case that must be written before leaving a stage (ongoing provision only).
STAGE_CASES: dict[Stage, CasePhase] = {
    Stage.DRAFT_CASE: CasePhase.OUTLINE,
    Stage.FULL_CASE_APPROVAL: CasePhase.FULL,
}

# Who decides the move out of each stage, in the protocol's words.
DECIDED_BY: dict[Stage, str] = {
    Stage.ARISES: "Executive Director, after the OMT sense check",
    Stage.DRAFT_CASE: "Executive Director, on consultation with commissioners and lead members",
    Stage.FULL_CASE_APPROVAL: "OMT, with commissioners and lead members as required",
    Stage.FINAL_APPROVAL: (
        "Each partner authority under its scheme of delegation, or the Joint Committee "
        "under its delegated powers"
    ),
    Stage.AGREEMENT: "Executive Director",
    Stage.MONITORING: "Executive Director, at budget setting",
    Stage.REVIEW: "Executive Director",
}
ONE_OFF_DECIDED_BY = "The Director, proportionate to the scale and risk of the request"


class StageRefused(ValueError):
    """A stage change the protocol does not allow yet; the message says why."""


def sequence(one_off: bool) -> tuple[Stage, ...]:
    return ONE_OFF_SEQUENCE if one_off else SEQUENCE


def next_stage(stage: str, one_off: bool) -> Stage | None:
    """The stage after ``stage`` on the opportunity's route, or ``None`` after the last."""
    route = sequence(one_off)
    current = Stage(stage)
    if current not in route:
        raise StageRefused(f"{STAGE_LABELS[current]} is not a stage of this route.")
    place = route.index(current)
    return route[place + 1] if place + 1 < len(route) else None


def tests_for(stage: str, one_off: bool) -> tuple[str, ...]:
    """The keys of the tests to record before leaving ``stage``."""
    table = ONE_OFF_STAGE_TESTS if one_off else STAGE_TESTS
    return table.get(Stage(stage), ())


def case_for(stage: str, one_off: bool) -> CasePhase | None:
    """The business case to write before leaving ``stage`` (none for one-off requests)."""
    return None if one_off else STAGE_CASES.get(Stage(stage))


def decided_by(stage: str, one_off: bool) -> str:
    return ONE_OFF_DECIDED_BY if one_off else DECIDED_BY[Stage(stage)]


def missing_tests(stage: str, one_off: bool, recorded: Iterable[str]) -> tuple[str, ...]:
    """The tests of ``stage`` not yet recorded, in the protocol's order."""
    done = set(recorded)
    return tuple(key for key in tests_for(stage, one_off) if key not in done)


def refusal(
    stage: str, one_off: bool, recorded: Iterable[str], cases: Iterable[str], target: str
) -> str | None:
    """Why the opportunity may not move from ``stage`` to ``target``, or ``None`` if it may.

    Only the next stage on the route may follow; every test of the stage must be recorded,
    and the stage's business case written (``cases``: the phases written so far).
    """
    following = next_stage(stage, one_off)
    if following is None:
        return f"{STAGE_LABELS[Stage(stage)]} is the protocol's last stage."
    if Stage(target) != following:
        return (
            f"From {STAGE_LABELS[Stage(stage)]} the next stage is "
            f"{STAGE_LABELS[following]}, not {STAGE_LABELS[Stage(target)]}."
        )
    reasons = []
    missing = missing_tests(stage, one_off, recorded)
    if missing:
        names = join_words([TESTS[k].title for k in missing])
        reasons.append(f"record the {'test' if len(missing) == 1 else 'tests'}: {names}")
    case = case_for(stage, one_off)
    if case is not None and case.value not in set(cases):
        reasons.append(f"write the {CASE_PHASE_LABELS[case].lower()}")
    if not reasons:
        return None
    return (
        f"The opportunity cannot move to {STAGE_LABELS[following]} yet: "
        + "; and ".join(reasons)
        + "."
    )


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def surplus(income: Decimal, costs: Decimal) -> Decimal:
    """Estimated surplus (negative: a deficit), exact to the penny."""
    return (income - costs).quantize(Decimal("0.01"))


def proportion_label(one_off: bool) -> str:
    if one_off:
        return "One-off request: brief analysis, no business case"
    return "Ongoing provision: outline and full business cases"


def money(amount: Decimal) -> str:
    """``£12,500.00``; a deficit as ``-£1,000.00``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
