"""A committee report as a document: the front sheet of the template and its appendices.

Appendices are the report kinds the domain apps offer in their ``reports.py``
(``REPORT_KINDS``), found in every installed app when they are needed, so an
app added later offers its kinds without a change here.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import replace

from django.apps import apps
from django.http import Http404
from django.utils.module_loading import module_has_submodule

from goldenthread.documents.htmldoc import long_date
from goldenthread.documents.model import (
    BulletList,
    Completeness,
    Contents,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    ReportKind,
    ReportRequest,
    Section,
)
from goldenthread.governance import rules
from goldenthread.governance.models import Appendix, CommitteeReport

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


def report_kinds() -> dict[str, ReportKind]:
    """Every report kind of every installed app, by code, in app then listing order."""
    kinds: dict[str, ReportKind] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("goldenthread.") or config.name.endswith(".governance"):
            continue
        if not module_has_submodule(config.module, "reports"):
            continue
        try:
            module = importlib.import_module(f"{config.name}.reports")
        except Exception:  # an app's broken reports must not take committee papers down
            logger.exception("Could not load the report kinds of %s", config.name)
            continue
        for kind in getattr(module, "REPORT_KINDS", []):
            kinds.setdefault(kind.code, kind)
    return kinds


def completeness(report: CommitteeReport, user) -> list[Completeness]:
    """What each appendix would be missing if the paper were made now (items with no
    approved update, a period not yet published), asked of each report kind's hook.
    Only the incomplete ones are returned."""
    kinds = report_kinds()
    found = []
    for appendix in report.appendices.all():
        kind = kinds.get(appendix.kind)
        if kind is None or kind.completeness is None:
            continue
        try:
            result = kind.completeness(appendix.subject, appendix.period, user)
        except Http404:  # a subject or period the user may no longer report on
            continue
        if result is not None and not result.is_complete:
            found.append(result)
    return found


def _narrative(text: str) -> list:
    blocks: list = []
    for block in rules.narrative_blocks(text):
        if block.kind is rules.BlockKind.HEADING:
            blocks.append(Heading(block.text, 3))
        elif block.kind is rules.BlockKind.BULLETS:
            blocks.append(BulletList(block.lines))
        else:
            blocks.append(Paragraph(block.text))
    return blocks or [Paragraph("None")]


def appendix_titles(report: CommitteeReport, kinds: dict[str, ReportKind]) -> list[str]:
    titles = []
    for appendix in report.appendices.all():
        kind = kinds.get(appendix.kind)
        default = f"{kind.title if kind else appendix.kind}: {appendix.subject}"
        if appendix.period:
            default += f", {appendix.period}"
        titles.append(appendix.title or default)
    return titles


def front_sheet(report: CommitteeReport, appendix_titles: list[str]) -> Section:
    """The committee template: heading facts, then the narrative sections in order."""
    meeting = report.meeting
    contact = "\n".join(p for p in (report.author, report.author_contact.strip()) if p)
    blocks: list = [
        KeyValues(
            (
                ("Committee", meeting.committee.name),
                ("Date", long_date(meeting.date)),
                ("Subject heading", report.subject_heading),
                ("Report author and contact details", contact),
                ("Financial summary", rules.or_none(report.financial_summary)),
                ("Is this a Key Decision?", rules.key_decision_label(report.key_decision)),
            )
        ),
        Heading("SUMMARY", 2),
        *_narrative(report.summary),
        Heading("RECOMMENDATIONS", 2),
        *_narrative(report.recommendations),
        Heading("REPORT DETAIL", 2),
        *_narrative(report.report_detail),
        Heading("IMPLICATIONS AND RISKS", 2),
        Heading("Financial implications and risks", 3),
        *_narrative(report.financial_implications),
        Heading("Legal implications and risks", 3),
        *_narrative(report.legal_implications),
        Heading("Human Resources implications and risks", 3),
        *_narrative(report.hr_implications),
        Heading("Equalities implications and risks", 3),
        *_narrative(report.equalities_implications),
        Heading("BACKGROUND PAPERS", 2),
        *_narrative(report.background_papers),
    ]
    if appendix_titles:
        blocks.append(Heading("APPENDICES", 2))
        blocks.append(
            Contents(
                tuple(
                    (rules.appendix_label(n, t), appendix_part(n))
                    for n, t in enumerate(appendix_titles, 1)
                )
            )
        )
    return Section(tuple(blocks), title="Report", front_sheet=True)


def appendix_part(number: int) -> str:
    """The part of the paper holding an appendix's sections (the front sheet's list points
    to it, so the Excel file can say which sheets an appendix's tables are on)."""
    return f"appendix-{number}"


def appendix_document(
    appendix: Appendix, report: CommitteeReport, kinds: dict[str, ReportKind], user
) -> Document | None:
    """The appendix's document as ``user`` (the officer making the paper) may see it."""
    kind = kinds.get(appendix.kind)
    if kind is None:
        return None
    request = ReportRequest(
        subject=appendix.subject,
        period=appendix.period,
        report_date=report.meeting.date,
        user=user,
    )
    return kind.build(request)


def _appendix_sections(number: int, title: str, document: Document | None) -> list[Section]:
    heading = Heading(rules.appendix_label(number, title), 1)
    part = appendix_part(number)
    if document is None:
        message = Paragraph("This appendix cannot be made: its kind of report is not installed.")
        return [Section((heading, message), title=title, part=part)]
    intro = [heading]
    if document.subtitle:
        intro.append(Paragraph(document.subtitle, bold=True))
    sections = [replace(s, part=part, front_sheet=False) for s in document.sections]
    sections = sections or [Section((), part=part)]
    first = sections[0]
    sections[0] = replace(first, blocks=(*intro, *first.blocks), title=first.title or title)
    return sections


def build_document(report: CommitteeReport, user, progress: Progress | None = None) -> Document:
    """The whole paper: front sheet, then each appendix (same data → same document).

    ``user`` is the officer making the paper; appendices show what they may see
    (administrators and leads see everything the committee receives).
    """
    meeting = report.meeting
    kinds = report_kinds()
    appendices = list(report.appendices.all())
    titles = appendix_titles(report, kinds)
    sections = [front_sheet(report, titles)]
    for number, (appendix, title) in enumerate(zip(appendices, titles, strict=True), start=1):
        if progress:
            progress(f"Making appendix {number} of {len(appendices)}: {title}", number)
        sections.extend(
            _appendix_sections(number, title, appendix_document(appendix, report, kinds, user))
        )
    return Document(
        title=report.subject_heading,
        sections=tuple(sections),
        committee=meeting.committee.name,
        meeting_date=meeting.date,
        document_date=meeting.date,
        author=report.author,
        metadata={"committee_report": str(report.pk)},
    )
