"""The home page's committee papers: the newest published ones the user may read."""

from __future__ import annotations

from goldenthread.core.home import Panel
from goldenthread.governance import access
from goldenthread.governance.models import CommitteeReport

SHOWN = 5


def panel(user) -> Panel | None:
    published = access.visible_reports(user).filter(state=CommitteeReport.State.PUBLISHED)
    reports = list(published.order_by("-meeting__date", "agenda_order", "pk")[:SHOWN])
    if not reports:
        return None
    return Panel(
        "Committee papers",
        "governance/_home_panel.html",
        {"reports": reports, "more": published.count() > SHOWN},
    )
