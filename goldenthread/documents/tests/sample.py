"""A small document with every kind of block, for the renderer tests."""

from __future__ import annotations

from datetime import date

from goldenthread.documents.model import (
    Align,
    BulletList,
    Cell,
    Chart,
    Column,
    Contents,
    Document,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Row,
    RowKind,
    Section,
    Series,
    Table,
    Tone,
)

WIDE = Table(
    columns=(
        Column("P Ref", 0.6),
        Column("Partner", 0.7),
        Column("Delivery", 2.5),
        Column("Target Date", 1.0),
        Column("Status", 0.8, Align.CENTRE),
        Column("Progress Comments", 3.0),
    ),
    rows=(
        Row((Cell("ICT – Lead: Director of ICT", colspan=6),), RowKind.GROUP),
        Row(
            (
                Cell("IP40"),
                Cell("LBH/LBN"),
                Cell("Support Oracle Fusion\nfor Havering & Newham"),
                Cell("Mar-16 (Oct-15)"),
                Cell("Amber", tone=Tone.AMBER),
                Cell('Network "bandwidth" <improved> by 40%'),
            )
        ),
        Row(
            (
                Cell("IP41"),
                Cell("LBN"),
                Cell("Implement CRM for LBN"),
                Cell("31 December 2020"),
                Cell("Green", tone=Tone.GREEN),
                Cell("On track."),
            )
        ),
    ),
    caption="ICT: actions",
    name="ICT",
)

SUMMARY = Table(
    columns=(
        Column("Service", 3.0),
        Column("Actions", 1.0, Align.RIGHT),
        Column("%", 1.0, Align.RIGHT),
    ),
    rows=(
        Row((Cell("Green"), Cell("6", align=Align.RIGHT), Cell("67%", align=Align.RIGHT))),
        Row((Cell("Amber"), Cell("3", align=Align.RIGHT), Cell("33%", align=Align.RIGHT))),
        Row((Cell("Total"), Cell("9", align=Align.RIGHT), Cell("")), RowKind.TOTAL),
    ),
    caption="Summary by status",
    name="Summary",
)

CHART = Chart(
    title="Actions by status and service",
    kind="stacked_bar",
    categories=("ICT", "Finance"),
    series=(
        Series("Green", (6.0, 4.0), Tone.GREEN),
        Series("Amber", (3.0, 4.0), Tone.AMBER),
    ),
    description="ICT: 6 Green, 3 Amber; Finance: 4 Green, 4 Amber.",
    value_label="Actions",
)

DOCUMENT = Document(
    title="oneSource Improvement Plan progress",
    subtitle="Quarter 1: April to June 2019",
    committee="oneSource Joint Committee",
    meeting_date=date(2019, 7, 12),
    document_date=date(2019, 7, 12),
    author="Simon Pollock",
    metadata={"plan": "IP1920"},
    sections=(
        Section(
            (
                Heading("Summary", 2),
                KeyValues((("Subject heading", "Improvement Plan"), ("Key decision", "No"))),
                Paragraph("The plan has 45 actions.\nMost are on track."),
                BulletList(("Improved operational delivery", "Value for Money")),
                SUMMARY,
                CHART,
                PageBreak(),
                Paragraph("After the break.", small=True),
            ),
            title="Summary",
        ),
        Section((Heading("ICT IMPROVEMENT PLAN UPDATE", 2), WIDE), title="ICT", landscape=True),
    ),
)

# A committee paper: a front sheet listing two appendices, the first with two tables.
PAPER = Document(
    title="oneSource update for July 2019",
    committee="Audit & Governance Committee",
    meeting_date=date(2019, 7, 12),
    document_date=date(2019, 7, 12),
    author="Jane West",
    sections=(
        Section(
            (
                KeyValues(
                    (
                        ("Committee", "Audit & Governance Committee"),
                        ("Date", "12 July 2019"),
                        ("Subject heading", "oneSource update for July 2019"),
                        ("Report author and contact details", "Jane West\n020 3373 2703"),
                        ("Financial summary", "None"),
                        ("Is this a Key Decision?", "No"),
                    )
                ),
                Heading("SUMMARY", 2),
                Paragraph("The updates in this report include:-"),
                BulletList(("Transition to Trading", "Awards")),
                Heading("RECOMMENDATIONS", 2),
                Paragraph("The Joint Committee is asked to note the report."),
                Heading("APPENDICES", 2),
                Contents(
                    (
                        ("Appendix 1: Improvement Plan progress", "appendix-1"),
                        ("Appendix 2: Staff survey", "appendix-2"),
                    )
                ),
            ),
            title="Report",
            front_sheet=True,
        ),
        Section(
            (Heading("Appendix 1: Improvement Plan progress", 1), SUMMARY),
            title="Summary",
            part="appendix-1",
        ),
        Section((WIDE,), title="ICT", landscape=True, part="appendix-1"),
        Section(
            (Heading("Appendix 2: Staff survey", 1), Paragraph("Narrative only.")),
            part="appendix-2",
        ),
    ),
)
