"""The home page's indicators: the latest quarter's statuses over what the user may see."""

from __future__ import annotations

from goldenthread.core.home import Panel
from goldenthread.performance import access, reading, rules


def panel(user) -> Panel | None:
    indicators = access.visible_indicators(user)
    if not indicators.exists():
        return None
    period = reading.latest_period()
    lines = reading.lines(reading.with_lines(indicators), period, scope=access.partner_scope(user))
    due = [line for line in lines if line.status.code != rules.NOT_DUE.code]
    return Panel(
        f"Indicators, {period.code}",
        "performance/_home_panel.html",
        {
            "period": period,
            "counts": [c for c in rules.count_by_status(line.status for line in due) if c.count],
            "off_target": sum(1 for line in due if line.status.off_target),
            "demonstration": any(line.actual and line.actual.demonstration for line in due),
        },
    )
