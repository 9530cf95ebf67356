"""Links to variants of the plan page's current view (see :mod:`goldenthread.plans.listing`)."""

from __future__ import annotations

from django import template

from goldenthread.plans import listing_rules, rules

register = template.Library()


@register.simple_tag
def querystring_for(query: listing_rules.ListQuery, **changes) -> str:
    """``?…`` for the view narrowed by ``changes`` (back to its first page).

    ``status`` may be a :class:`~goldenthread.plans.rules.Status`; ``overdue`` and
    ``stale`` anything true.
    """
    values: dict = {"page": 1}
    for name, value in changes.items():
        if name == "status":
            param = listing_rules.status_param(value) if isinstance(value, rules.Status) else value
            values["status"] = (param,)
        elif name in ("overdue", "stale"):
            values[name] = bool(value)
        else:
            values[name] = value
    return query.querystring(**values) or "?"
