"""The demo's committee, meetings and the reports of seeds 001 and 002."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from goldenthread.documents.model import KeyValues
from goldenthread.governance import demo, papers
from goldenthread.governance.models import Committee, CommitteeReport, Meeting


def test_the_demo_loads_once_with_the_seeds_reports(demo_plan, db):
    loader = get_user_model().objects.get(username="governance-test-loader")
    messages: list[str] = []
    demo.load(loader, messages.append)
    demo.load(loader, messages.append)
    assert messages[-1] == "Governance: 0 meetings and 0 committee reports added."
    committee = Committee.objects.get(name="oneSource Joint Committee")
    assert sorted(p.code for p in committee.partners.all()) == ["LBB", "LBH", "LBN"]
    assert [str(m.date) for m in Meeting.objects.order_by("date")] == ["2018-01-19", "2019-07-12"]
    july = CommitteeReport.objects.get(meeting__date="2019-07-12")
    assert (
        july.subject_heading == "oneSource Improvement Plan, and Improvement Plan progress update"
    )
    assert july.author == "Simon Pollock, Executive Director, oneSource"
    assert "## 4. Improvement Action Plan progress (April – June 2019)" in july.report_detail
    appendix = july.appendices.get()
    assert (appendix.kind, appendix.subject, appendix.period) == (
        "plans.progress",
        "IP1920",
        "2019/20 Q1",
    )
    january = CommitteeReport.objects.get(meeting__date="2018-01-19")
    assert january.author_contact == "Jane.west@onesource.co.uk\n020 3373 2703"
    assert january.recommendations == "The Joint Committee is asked to note the report."
    # The January paper's meeting has been held: the demo opens with it published.
    assert january.is_published and not july.is_published
    (version,) = january.publications.all()
    assert set(version.job.files.values_list("fmt", flat=True)) == {"html", "docx", "pdf", "xlsx"}

    document = papers.build_document(july, loader)
    facts = dict(next(b for b in document.sections[0].blocks if isinstance(b, KeyValues)).pairs)
    assert facts["Is this a Key Decision?"] == "No"
    assert facts["Date"] == "12 July 2019"
    headings = [getattr(b, "text", "") for s in document.sections for b in s.blocks]
    assert "Appendix 1: oneSource Improvement Action Plan progress (April – June 2019)" in headings
    assert "ICT IMPROVEMENT PLAN UPDATE" in headings
