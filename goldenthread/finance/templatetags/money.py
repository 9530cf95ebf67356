"""Figures as the committee papers print them: £m and £, underspends and savings in brackets."""

from __future__ import annotations

from decimal import Decimal

from django import template

from goldenthread.finance import rules

register = template.Library()


@register.filter
def m(amount: Decimal | None) -> str:
    """``(£0.727m)``."""
    return rules.millions(amount)


@register.filter
def gbp(amount: Decimal | None) -> str:
    """``(£943,000)``; nil is ``-`` as in the seeds' tables."""
    if amount is not None and amount == 0:
        return "-"
    return rules.pounds(amount)


@register.filter
def pct(value) -> str:
    return rules.percent_label(value)


@register.filter
def part(mapping: dict, key):
    """A partner's figure from a row's parts (``None`` when the partner has none)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def fy(year: int) -> str:
    """``2019/20``."""
    return rules.year_label(year)


@register.filter
def fy_slug(year: int) -> str:
    """``2019-20``, the year as it appears in addresses."""
    return rules.year_label(year).replace("/", "-")


@register.filter
def short_name(partner) -> str:
    name = getattr(partner, "name", "") or ""
    return name.split(" of ", 1)[1] if " of " in name else name


@register.filter
def item_total(savings_year, amounts: dict):
    """An item's total for the year: the sum of its partners' parts (never typed)."""
    return savings_year.item_total(amounts)
