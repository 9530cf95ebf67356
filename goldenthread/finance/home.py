"""The latest shared outturn and forecast, and this year's savings: the finance index's
headline figures and the home page's finance panel."""

from __future__ import annotations

from goldenthread.core.home import Panel
from goldenthread.finance import reading, tracker
from goldenthread.finance.models import SavingsItem


def glance(user, years: list[int] | None = None) -> dict:
    """The latest shared outturn and forecast the user may see, and the savings in the MTFS."""
    if years is None:
        years = reading.years_with_lines(user)
    return {
        "outturn": next(
            (v for v in (reading.outturn(user, y) for y in years) if v.shared.rows), None
        ),
        "forecast": next(
            (v for v in (reading.forecast(user, y) for y in years) if v.month is not None), None
        ),
        "savings": tracker.savings(SavingsItem.Status.EXISTING),
    }


def panel(user) -> Panel | None:
    context = glance(user)
    if not (context["outturn"] or context["forecast"] or context["savings"].years):
        return None
    return Panel("Finance", "finance/_home_panel.html", context)
