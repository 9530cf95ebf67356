"""The home page's committee papers: published ones, newest meeting first, per reader."""

from __future__ import annotations

import re

from django.urls import reverse

from goldenthread.governance import changes, home, jobs


def papers(client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    found = re.search(r'id="home-papers">(.*?)</ul>', page, re.S)
    return (
        re.findall(r'class="govuk-link" href="[^"]+">([^<]+)</a>', found.group(1)) if found else []
    )


def test_readers_see_the_published_papers_only(client, report, people):
    client.force_login(people["reader"])
    assert papers(client) == [] and home.panel(people["reader"]) is None
    jobs.run_job(changes.request_files(report, by=people["admin"], publish=True).pk)
    assert papers(client) == [report.subject_heading]
    client.force_login(people["admin"])
    assert papers(client) == [report.subject_heading]
