"""``{% describe_history entries as items %}``: audit rows as change history in words."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from goldenthread.core.history import HistoryItem, describe
from goldenthread.core.models import AuditEntry

register = template.Library()


@register.simple_tag
def describe_history(entries: Iterable[AuditEntry] | None) -> list[HistoryItem]:
    return describe(entries or [])
