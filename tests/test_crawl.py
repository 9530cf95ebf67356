"""No dead links: signed in as each demo role, every link reachable from the home page
answers, and no page links to something its reader may not open.

The crawl (tests/crawl.py) follows links breadth first with Django's test client, GET
only, bounded per role; see that module for how it samples a demo of hundreds of items.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from goldenthread.demo.loader import load_all
from tests.crawl import crawl, download_key, links_in, shape

# One demo user for each set of roles, and the approver of a council outside the
# partnership (Tower Hamlets owns the Best Value plan).
ROLES = {
    "performance": "administrator",
    "ict.director": "lead",
    "s151.havering": "approver and reader of a partner",
    "s151.towerhamlets": "approver and reader of another council",
    "cllr.bexley": "reader",
}


def role_kinds(roles: str) -> frozenset[str]:
    """``approver (LBH), reader (LBH)`` → ``{approver, reader}``."""
    return frozenset(re.sub(r"\s*\(.*?\)", "", part).strip() for part in roles.split(","))


@pytest.fixture
def demo(db):
    return load_all(password="crawl-the-demo", report=lambda message: None)


def test_the_roles_crawled_cover_every_role_in_the_demo(demo):
    kinds = {p["username"]: role_kinds(p["roles"]) for p in demo}
    assert set(ROLES) <= set(kinds)
    assert {kinds[name] for name in ROLES} == set(kinds.values())


def test_no_link_answers_not_found_or_an_error_for_any_role(demo):
    problems = []
    visited = {}
    for username, role in ROLES.items():
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        result = crawl(client, limit=300)
        visited[username] = result.visited
        problems += [
            f"{username} ({role}): {url} answered {status}, linked from {referrer}"
            for url, status, referrer in result.broken + result.forbidden
        ]
    assert problems == []
    # The crawl went where the people go, not just the home page.
    admin = set(visited["performance"])
    for page in ["/plans/", "/approvals/", "/indicators/", "/finance/", "/reports/"]:
        assert page in admin, page
    assert any(shape(url) == "/actions/N/" for url in admin)
    assert any(url.startswith("/finance/reports/") for url in admin)
    assert len(visited["cllr.bexley"]) > 20


# --- The crawler itself -----------------------------------------------------------------------


def test_links_are_same_site_paths_without_fragments():
    html = """<a href="/plans/?status=R#results">x</a> <a href="edit/">y</a>
    <a href="https://example.org/">z</a> <a href="mailto:a@example.org">m</a>"""
    assert links_in(html, "/reports/2/") == ["/plans/?status=R", "/reports/2/edit/"]


def test_formats_of_one_download_share_a_key():
    assert download_key("/reports/1/file.pdf") == download_key("/reports/1/file.docx")
    assert download_key("/x/?period=Q4&format=pdf") == download_key("/x/?format=xlsx&period=Q4")
    assert download_key("/reports/1/") is None


def test_the_crawl_reports_a_dead_link_with_the_page_that_linked_it(client, people):
    client.force_login(people["admin"])
    result = crawl(client, start="/no/such/page/")
    assert result.broken == [("/no/such/page/", 404, "(start)")]


@pytest.mark.parametrize("who", ["admin", "lead", "reader", "approver"])
def test_a_new_site_with_no_plans_or_figures_has_no_dead_links(client, people, who):
    client.force_login(people[who])
    result = crawl(client)
    assert result.broken + result.forbidden == []
    assert {"/", "/plans/", "/finance/", "/indicators/"} <= set(result.visited)
