"""The home page's finance: the latest shared outturn and forecast, and this year's savings."""

from __future__ import annotations

from goldenthread.core.home import Panel
from goldenthread.finance.views import glance


def panel(user) -> Panel | None:
    context = glance(user)
    if not (context["outturn"] or context["forecast"] or context["savings"].years):
        return None
    return Panel("Finance", "finance/_home_panel.html", context)
