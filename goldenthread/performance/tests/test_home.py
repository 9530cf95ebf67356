"""The home page's indicator panel: the latest quarter, scoped to what the user may see."""

from __future__ import annotations

import re

from django.urls import reverse

from goldenthread.performance import home
from goldenthread.performance.tests.factories import actual


def counts(page: str) -> dict[str, str]:
    panel = re.search(r'id="home-indicators">(.*?)</ul>', page, re.S).group(1)
    return dict(re.findall(r'data-status="([^"]+)">\s*<strong[^>]*>[^<]+</strong>\s*(\d+)', panel))


def test_the_panel_counts_the_latest_quarter_and_links_the_exceptions(
    client, availability, nndr, people, partners
):
    actual(availability, "2019/20 Q1", 95)  # green in Q1, then red in Q2
    actual(availability, "2019/20 Q2", 70, reason="Outage.", remedial_action="New supplier.")
    actual(nndr, "2019/20 Q2", 99.0, partners["LBH"])  # green (98.70%)
    actual(nndr, "2019/20 Q2", 99.0, partners["LBN"])  # amber (99.6%, tolerance 1)
    client.force_login(people["admin"])
    page = client.get(reverse("home")).content.decode()
    assert "Indicators, 2019/20 Q2" in page
    assert counts(page) == {"Green": "1", "Amber": "1", "Red": "1"}
    assert "2 off target: the exception report" in page

    # Bexley's reader: the whole-service ICT figure, not Havering's or Newham's NNDR.
    client.force_login(people["reader"])
    page = client.get(reverse("home")).content.decode()
    assert counts(page) == {"Red": "1"}
    assert "1 off target: the exception report" in page


def test_no_panel_without_indicators(people, db):
    assert home.panel(people["admin"]) is None
