"""Plan progress reports: the Word and PDF papers read back equal the database.

The demo's Improvement Plan (IP1920, 2019/20 Q1) and Best Value plan (BVAP) are
loaded once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint within it.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from docx import Document as read_word

from goldenthread.core.models import Period
from goldenthread.demo.loader import load_organisations, load_plan
from goldenthread.documents import render
from goldenthread.documents.model import ReportRequest, RowKind, Table, Tone
from goldenthread.plans import best_value_report, reading, reports
from goldenthread.plans.models import Action, Milestone, Plan
from tests.factories import ActionFactory, PlanFactory, SectionFactory

IP_PERIOD = "2019/20 Q1"
BV_PERIOD = "2015/16 Q3"
MEETING = date(2019, 7, 12)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's improvement and Best Value plans, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader = get_user_model().objects.create(username="report-test-loader")
        load_organisations(loader)
        plans = {
            "IP1920": load_plan("plan-improvement.yaml", loader),
            "BVAP": load_plan("plan-best-value.yaml", loader),
        }
        ip_document = reports.build_progress(ReportRequest("IP1920", IP_PERIOD, MEETING))
        bv_document = reports.build_progress(ReportRequest("BVAP", BV_PERIOD, MEETING))
        files = {
            "ip": render.render_all(ip_document, ("docx", "pdf"), parallel=False),
            "bv_docx": render.render(bv_document, "docx"),
        }
        yield {"plans": plans, "ip": ip_document, "bv": bv_document, "files": files}
        transaction.set_rollback(True)


def _sections(plan: Plan, period_code: str) -> list[reading.SectionView]:
    period = Period.objects.get(
        year=int(period_code[:4]), kind="quarter", number=int(period_code[-1])
    )
    return reading.plan_sections(plan, period, Action.objects.all())


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _unspaced(text: str | None) -> str:
    """Text without its white space: a PDF breaks lines where it likes, even after hyphens."""
    return re.sub(r"\s+", "", text or "")


def _expected_rows(plan: Plan) -> dict[str, dict[str, str]]:
    """What the paper must say for each action, straight from the database."""
    expected = {}
    for view in _sections(plan, IP_PERIOD):
        for action_view in view.actions:
            action, update = action_view.action, action_view.row.reported
            expected[action.ref] = {
                "partner": action.partner_label,
                "target": reports.target_text(action.target_label, action_view.row),
                "status": action_view.row.status_label,
                "progress": update.progress if update else "",
                "next_steps": update.next_steps if update else "",
            }
    return expected


# -- the Improvement Plan in Word ---------------------------------------------------------------


@pytest.fixture(scope="module")
def ip_word(demo):
    return read_word(io.BytesIO(demo["files"]["ip"]["docx"]))


def test_word_holds_every_action_as_in_the_database(db, demo, ip_word):
    expected = _expected_rows(demo["plans"]["IP1920"])
    assert len(expected) == 45
    found = {}
    for table in ip_word.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:2] != ["P Ref", "Partner"]:
            continue
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            found[cells[0]] = {
                "partner": cells[1],
                "target": cells[4],
                "status": cells[5],
                "progress": cells[6],
                "next_steps": cells[7],
            }
    assert found == expected


def _summary_from_word(word) -> dict[str, list[tuple[str, int, str]]]:
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Service and commentary")
    summary: dict[str, list[tuple[str, int, str]]] = {}
    current = None
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if len(set(cells)) == 1:  # a group row spans the table: one merged cell
            current = re.sub(r"^\d+\. ", "", cells[0]).split(" – Lead:")[0]
            summary[current] = []
        elif cells[0] != "Total":
            summary[current].append((cells[3], int(cells[1]), cells[2]))
    return summary


def test_word_summary_counts_and_percentages_equal_the_plan_page(db, demo, ip_word):
    plan = demo["plans"]["IP1920"]
    views = _sections(plan, IP_PERIOD)
    summary = _summary_from_word(ip_word)
    for view in views:
        assert summary[view.section.title] == [
            (row.status.label, row.count, f"{row.percent}%") for row in view.summary.rows
        ]
    whole = reading.plan_summary(plan, views)
    assert summary["Whole plan"] == [(r.status.label, r.count, f"{r.percent}%") for r in whole.rows]
    # The seed's figures: Finance 4 Green (50%) and 4 Amber (50%); ICT 6 (67%) and 3 (33%).
    assert summary["Finance and Procurement"][:2] == [("Green", 4, "50%"), ("Amber", 4, "50%")]
    assert summary["ICT"][:2] == [("Green", 6, "67%"), ("Amber", 3, "33%")]


def test_the_summary_gives_the_actions_own_words_for_lines_off_track(demo):
    table = next(t for t in demo["ip"].tables if t.name == "Summary")
    amber_lines = [r.cells[0].text for r in table.rows if r.cells[-1].text == "Amber"]
    finance = next(line for line in amber_lines if line.startswith("IP14"))
    assert "IP14: commence in July 2019 with Go-Live expected 1st September" in finance
    green = [
        r.cells[0].text
        for r in table.rows
        if r.cells[-1].text == "Green" and r.cells[1].text != "0"
    ]
    assert reports.ON_TRACK in green


def test_status_cells_are_coloured_by_the_plans_status_tone(demo):
    table = next(t for t in demo["ip"].tables if t.name == "ICT")
    statuses = {r.cells[5].text: r.cells[5].tone for r in table.rows}
    assert statuses == {"Green": Tone.GREEN, "Amber": Tone.AMBER}


# -- the Improvement Plan in PDF ----------------------------------------------------------------


def _pdf_action_rows(data: bytes) -> dict[str, list[str]]:
    """Action rows read back from the PDF's ruled tables; rows split over pages are joined."""
    rows: dict[str, list[str]] = {}
    last = None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            # A row running onto the next page has no bottom rule: close it at the columns' end.
            bottom = max((e["bottom"] for e in page.vertical_edges), default=page.height)
            settings = {"explicit_horizontal_lines": [bottom]}
            for table in page.extract_tables(settings):
                for raw in table:
                    cells = [_squash(c) for c in raw]
                    if len(cells) != 8 or cells[0] == "P Ref":
                        last = None if len(cells) != 8 else last
                        continue
                    if cells[0]:
                        rows[cells[0]] = cells
                        last = cells[0]
                    elif last:  # the rest of a row that ran onto the next page
                        rows[last] = [
                            _squash(f"{a} {b}") for a, b in zip(rows[last], cells, strict=True)
                        ]
    return rows


def test_pdf_holds_every_action_as_in_the_database(db, demo):
    expected = _expected_rows(demo["plans"]["IP1920"])
    found = _pdf_action_rows(demo["files"]["ip"]["pdf"])
    assert set(found) == set(expected)
    for ref, values in expected.items():
        cells = found[ref]
        assert cells[1] == values["partner"], ref
        assert _unspaced(cells[4]) == _unspaced(values["target"]), ref
        assert cells[5] == values["status"], ref
        assert _unspaced(cells[6]) == _unspaced(values["progress"]), ref
        assert _unspaced(cells[7]) == _unspaced(values["next_steps"]), ref


def test_pdf_summary_counts_equal_the_plan_page(db, demo):
    plan = demo["plans"]["IP1920"]
    with pdfplumber.open(io.BytesIO(demo["files"]["ip"]["pdf"])) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages[:3])
    ict = next(v for v in _sections(plan, IP_PERIOD) if v.section.title == "ICT")
    green = ict.summary.rows[0]
    assert f"{reports.ON_TRACK} {green.count} {green.percent}% Green" in text


def test_a_pdf_page_renders_to_png_for_checking_by_eye(demo, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(demo["files"]["ip"]["pdf"])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "4", "-l", "4", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    image = next(tmp_path.glob("page*.png")).read_bytes()
    assert image.startswith(b"\x89PNG")
    width = int.from_bytes(image[16:20], "big")
    height = int.from_bytes(image[20:24], "big")
    assert width > height  # the service tables are on landscape pages


# -- the Best Value plan ------------------------------------------------------------------------


def test_word_shows_each_areas_completed_milestones_and_revised_deadlines(db, demo):
    word = read_word(io.BytesIO(demo["files"]["bv_docx"]))
    paragraphs = [p.text for p in word.paragraphs]
    views = _sections(demo["plans"]["BVAP"], BV_PERIOD)
    for view in views:
        sentence = (
            f"{view.milestones_completed_not_shown} milestones have already been completed and "
            f"are not included; the remaining {view.milestones_shown} are shown below."
        )
        assert sentence in paragraphs, view.section.title
    procurement = views[0]
    assert (procurement.milestones_completed_not_shown, procurement.milestones_shown) == (15, 11)
    deadlines = set()
    for table in word.tables:
        if [c.text for c in table.rows[0].cells][:3] == ["Milestone", "Lead", "Deadline"]:
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                deadlines.add((cells[0], cells[2]))
    revised = [
        m.item
        for v in views
        for a in v.actions
        for m in a.shown_milestones
        if m.item.original_deadline and m.item.original_deadline != m.item.deadline
    ]
    assert len(revised) > 5
    for milestone in revised:
        label = milestone.deadline_label
        assert re.fullmatch(r"[A-Z][a-z]{2}-\d\d \([A-Z][a-z]{2}-\d\d\).*", label)
        assert (milestone.title, label) in deadlines
    strategy = "New three year Procurement Strategy to go live from January 2016."
    assert (strategy, "Apr-16 (Dec-15)") in deadlines


def test_best_value_areas_carry_their_overall_status_and_summary(demo):
    procurement = next(s for s in demo["bv"].sections if s.title == "Procurement")
    status_table = next(b for b in procurement.blocks if isinstance(b, Table))
    assert status_table.rows[0].cells[1].text == "GREEN"
    assert status_table.rows[0].cells[1].tone is Tone.GREEN
    groups = [
        r.cells[0].text
        for b in procurement.blocks
        if isinstance(b, Table)
        for r in b.rows
        if r.kind is RowKind.GROUP
    ]
    assert "Action / Recommendation: New Procurement Strategy" in groups
    assert "Strategy and Vision" in groups


# -- rules every report keeps -----------------------------------------------------------------


def test_the_same_data_gives_the_same_document(db, demo):
    again = reports.build_progress(ReportRequest("IP1920", IP_PERIOD, MEETING))
    assert again == demo["ip"]
    assert again.document_date == MEETING


def test_without_a_report_date_the_document_is_dated_at_the_period_end(db, demo):
    document = reports.build_progress(ReportRequest("IP1920", IP_PERIOD))
    assert document.document_date == date(2019, 6, 30)


def test_a_report_for_a_period_never_held_creates_no_period(db, demo):
    before = Period.objects.count()
    document = reports.build_progress(ReportRequest("IP1920", "2031/32 Q2", MEETING))
    assert Period.objects.count() == before
    assert "No update" in {c.text for t in document.tables for r in t.rows for c in r.cells}


def test_an_unknown_plan_is_refused(db, demo):
    with pytest.raises(reports.ReportError):
        reports.build_progress(ReportRequest("NOPE", IP_PERIOD, MEETING))


def test_a_reader_sees_only_their_partners_actions(db, demo, people):
    plan = demo["plans"]["IP1920"]
    lbh_only = Action.objects.filter(plan=plan, all_partners=False, partners__code="LBH").exclude(
        partners__code="LBB"
    )
    assert lbh_only.exists()
    document = reports.build_progress(
        ReportRequest("IP1920", IP_PERIOD, MEETING, user=people["reader"])
    )
    refs = {r.cells[0].text for t in document.tables for r in t.rows}
    assert not refs & set(lbh_only.values_list("ref", flat=True))
    assert "IP01" in refs


def test_subjects_are_the_plans_a_user_may_see(db, demo, people):
    assert ("IP1920", "oneSource Improvement Action Plan 2019/20 (IP1920)") in reports.subjects(
        people["admin"]
    )
    assert "BVAP" not in dict(reports.subjects(people["reader"]))  # a Tower Hamlets plan


# -- programme plans and recommendations responses ----------------------------------------------


def test_a_programme_plan_groups_activities_under_their_workstream(db):
    plan = PlanFactory(code="PP", kind=Plan.Kind.PROGRAMME, leads="Jane, Sandy & Mark")
    workstream = SectionFactory(
        plan=plan, title="1. Governance", kind="workstream", desired_outcome="Sound governance"
    )
    for ref, title in [("PP-01", "Agree Shareholding"), ("PP-02", "Draft business case")]:
        ActionFactory(
            section=workstream,
            ref=ref,
            title=title,
            lead="CE",
            resources="CE and Legal",
            start_date=date(2017, 11, 1),
            target_date=date(2017, 12, 31),
        )
    document = reports.build_progress(ReportRequest("PP", "2017/18 Q3", MEETING))
    table = document.tables[0]
    assert [c.title for c in table.columns] == [
        "Desired outcome",
        "Workstream",
        "Activity",
        "SRO",
        "Resources",
        "Start",
        "Target",
    ]
    first, second = ([c.text for c in r.cells] for r in table.rows)
    assert first == [
        "Sound governance",
        "1. Governance",
        "Agree Shareholding",
        "CE",
        "CE and Legal",
        "Nov-17",
        "Dec-17",
    ]
    assert second[:3] == ["", "", "Draft business case"]


def test_a_recommendations_response_prints_the_domain_columns(db):
    plan = PlanFactory(code="PC", kind=Plan.Kind.RECOMMENDATIONS)
    section = SectionFactory(plan=plan, title="Peer challenge")
    ActionFactory(
        section=section,
        ref="R1",
        title="Strengthen scrutiny",
        outcome="- Training for members\n- New work programme",
        lead="Head of Democratic Services",
        timeline="November 2018",
    )
    document = reports.build_progress(ReportRequest("PC", "2018/19 Q3", MEETING))
    table = document.tables[0]
    assert [c.title for c in table.columns] == [
        "Recommendation",
        "Response / Action",
        "Lead Officer",
        "Timescale",
    ]
    assert [c.text for c in table.rows[0].cells] == [
        "R1 Strengthen scrutiny",
        "- Training for members\n- New work programme",
        "Head of Democratic Services",
        "November 2018",
    ]


def test_milestone_deadline_labels_come_from_the_model(db):
    milestone = Milestone(deadline=date(2016, 3, 31), original_deadline=date(2015, 10, 31))
    assert milestone.deadline_label == "Mar-16 (Oct-15)"


def test_summary_text_becomes_paragraphs_and_bullets():
    blocks = best_value_report.summary_text_blocks("Intro line.\n\n- one\n- two\n\nClosing.")
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "BulletList", "Paragraph"]
    assert blocks[1].items == ("one", "two")
