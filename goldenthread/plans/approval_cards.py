"""What an approver reads on a card: the plan, the item, the new update beside the last one.

Cards are built for a whole list in a fixed number of queries, whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from goldenthread.plans import rules
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, UpdateCorrection


@dataclass(frozen=True)
class UpdateCard:
    update: ProgressUpdate
    plan: Plan
    item: Action | Milestone
    item_url: str
    status: rules.Status
    previous: ProgressUpdate | None
    previous_status: rules.Status | None
    progress_diff: list[rules.DiffPart]
    next_steps_diff: list[rules.DiffPart]
    unchanged: bool

    @property
    def item_label(self) -> str:
        if isinstance(self.item, Milestone):
            return f"Milestone of {self.item.action.ref}"
        return self.item.ref


def _plan_of(item: Action | Milestone) -> Plan:
    return item.action.plan if isinstance(item, Milestone) else item.plan


def _earlier_updates(updates: list[ProgressUpdate]) -> dict[tuple[str, int], list[ProgressUpdate]]:
    """Every update of the cards' items, by item, in one query."""
    action_ids = {u.action_id for u in updates if u.action_id}
    milestone_ids = {u.milestone_id for u in updates if u.milestone_id}
    found: dict[tuple[str, int], list[ProgressUpdate]] = {}
    if not (action_ids or milestone_ids):
        return found
    for u in ProgressUpdate.objects.filter(
        Q(action_id__in=action_ids) | Q(milestone_id__in=milestone_ids)
    ).select_related("period"):
        key = ("action", u.action_id) if u.action_id else ("milestone", u.milestone_id)
        found.setdefault(key, []).append(u)
    return found


def update_cards(updates: Iterable[ProgressUpdate]) -> list[UpdateCard]:
    """A card per update, with the item's update of the latest earlier period beside it."""
    updates = list(updates)
    history = _earlier_updates(updates)
    cards = []
    for update in updates:
        item = update.subject
        plan = _plan_of(item)
        key = ("action", update.action_id) if update.action_id else ("milestone", item.pk)
        previous = max(
            (u for u in history.get(key, []) if u.period.key < update.period.key),
            key=lambda u: u.period.key,
            default=None,
        )
        scale = plan.status_scale
        cards.append(
            UpdateCard(
                update=update,
                plan=plan,
                item=item,
                item_url=item.get_absolute_url(),
                status=rules.status_of(scale, update.status),
                previous=previous,
                previous_status=rules.status_of(scale, previous.status) if previous else None,
                progress_diff=rules.word_diff(
                    previous.progress if previous else "", update.progress
                ),
                next_steps_diff=rules.word_diff(
                    previous.next_steps if previous else "", update.next_steps
                ),
                unchanged=rules.same_as_previous(
                    update.status,
                    update.percent_complete,
                    update.progress,
                    (previous.status, previous.percent_complete, previous.progress)
                    if previous
                    else None,
                ),
            )
        )
    return cards


@dataclass(frozen=True)
class CorrectionCard:
    correction: UpdateCorrection
    plan: Plan
    item: Action | Milestone
    item_url: str
    approved_status: rules.Status
    corrected_status: rules.Status
    progress_diff: list[rules.DiffPart]

    @property
    def item_label(self) -> str:
        if isinstance(self.item, Milestone):
            return f"Milestone of {self.item.action.ref}"
        return self.item.ref


def correction_cards(corrections: Iterable[UpdateCorrection]) -> list[CorrectionCard]:
    """A card per correction: the approved update beside the corrected one, changes marked."""
    cards = []
    for correction in corrections:
        update = correction.update
        item = update.subject
        plan = _plan_of(item)
        cards.append(
            CorrectionCard(
                correction=correction,
                plan=plan,
                item=item,
                item_url=item.get_absolute_url(),
                approved_status=rules.status_of(plan.status_scale, update.status),
                corrected_status=rules.status_of(plan.status_scale, correction.status),
                progress_diff=rules.word_diff(update.progress, correction.progress),
            )
        )
    return cards
