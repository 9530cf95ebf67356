"""The rendering model: what every committee document is made of.

Domain apps (plans, performance, finance, ...) turn their data into a
:class:`Document` in their own ``reports.py``; the renderers in this package
(HTML, Word, PDF, Excel) print any document without knowing its domain. No
renderer holds business logic: counts, percentages, colours and formatted
figures are decided before they reach here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Tone(StrEnum):
    """The colour of a status cell; the word is always printed as well."""

    GREEN = "green"
    AMBER = "yellow"
    RED = "red"
    BLUE = "blue"
    GREY = "grey"


# Fill and text colours used by the Word, PDF and Excel renderers (GOV.UK tag palette).
TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    Tone.GREEN: ("CCE2D8", "005A30"),
    Tone.AMBER: ("FFF7BF", "594D00"),
    Tone.RED: ("F4CDC6", "942514"),
    Tone.BLUE: ("BBD4EA", "0C2D4A"),
    Tone.GREY: ("E5E6E7", "282D30"),
}


class Align(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTRE = "centre"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    tone: Tone | None = None  # a status cell: coloured, with its word in ``text``
    bold: bool = False
    align: Align = Align.LEFT
    colspan: int = 1


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 1.0  # relative width
    align: Align = Align.LEFT


class RowKind(StrEnum):
    BODY = "body"
    GROUP = "group"  # a heading row spanning the table (e.g. an action above its milestones)
    TOTAL = "total"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.BODY


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""
    name: str = ""  # sheet name in Excel; defaults to the caption

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            span = sum(c.colspan for c in row.cells)
            if span != len(self.columns):
                raise ValueError(
                    f"Table {self.caption!r} row {number} spans {span} columns, "
                    f"not {len(self.columns)}."
                )


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    small: bool = False


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyValues:
    """A two-column list of labels and values (the report template's front sheet)."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Contents:
    """A list of the document's parts (a committee paper's appendices).

    Each entry is ``(text, part)``: the words printed, and the ``part`` of the
    sections it points to. Word, HTML and PDF print the words as a list; Excel
    adds the sheets that hold the part's tables.
    """

    entries: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    tone: Tone


@dataclass(frozen=True)
class Chart:
    """A chart the renderers draw the same way: ``stacked_bar`` (horizontal), ``bar``
    or ``line``; ``target`` draws a target line on line charts."""

    title: str
    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    description: str  # alternative text: what the chart shows, in words
    value_label: str = ""
    target: float | None = None


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | KeyValues | Contents | Table | Chart | PageBreak


@dataclass(frozen=True)
class Section:
    blocks: tuple[Block, ...]
    title: str = ""
    landscape: bool = False  # wide tables go on landscape pages
    # The paper's front sheet (the committee template's heading facts and narrative):
    # Excel prints its text on a first sheet named after ``title``.
    front_sheet: bool = False
    part: str = ""  # the part of the document this section belongs to (see Contents)


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    committee: str = ""  # printed in the page header
    meeting_date: date | None = None  # printed in the page header
    document_date: date | None = None  # the document's own date: never "now"
    author: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class ReportRequest:
    """What a user asked a report builder for.

    ``subject`` names the thing reported on (a plan code, a forum, a financial
    year...), ``period`` is a period code such as ``2019/20 Q1`` (or empty),
    ``report_date`` is the committee date the document carries.
    """

    subject: str
    period: str = ""
    report_date: date | None = None
    user: object | None = None  # the requesting user, for visibility rules


@dataclass(frozen=True)
class ReportKind:
    """A kind of generated appendix a domain app offers to committee reports.

    Each domain app lists its kinds in ``REPORT_KINDS`` in its ``reports.py``;
    the governance app discovers them in every installed app. ``subjects``
    returns the ``(value, label)`` choices of subject for a user; ``build``
    returns the document (the same for the same data, request and date).
    """

    code: str  # e.g. "plans.progress"
    title: str  # e.g. "Plan progress report"
    subjects: Callable[[object], list[tuple[str, str]]]
    build: Callable[[ReportRequest], Document]
    needs_period: bool = True
    # What a paper of this kind would be missing if made now, asked before publishing:
    # ``completeness(subject, period, user)``; ``None`` when the kind cannot be incomplete.
    completeness: Callable[[str, str, object], Completeness | None] | None = None


@dataclass(frozen=True)
class Completeness:
    """What a report is missing: ``total`` items expected, the missing ones in groups
    (reason, item labels), and notes such as "2019/20 Q2 is not yet published"."""

    subject: str
    total: int
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notes: tuple[str, ...] = ()
    noun: str = "items"

    @property
    def missing(self) -> int:
        return sum(len(items) for _, items in self.groups)

    @property
    def is_complete(self) -> bool:
        return not self.missing and not self.notes

    @property
    def counts(self) -> str:
        """``43 of 45 actions: 42 no update, 1 returned``."""
        parts = [f"{len(items)} {reason.lower()}" for reason, items in self.groups if items]
        return f"{self.missing} of {self.total} {self.noun}: " + ", ".join(parts)
