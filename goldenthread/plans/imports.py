"""Take in a plan from a spreadsheet: CSV or Excel, every row checked, all or nothing.

One sheet, a header row, one row per action (recommendation, activity). The
columns are recognised by their headings as councils write them, e.g. a peer
challenge recommendations response: Recommendation | Response / Action |
Lead Officer | Timescale.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from goldenthread.core import audit, sheets
from goldenthread.core.models import Organisation, Period
from goldenthread.core.periods import period_containing
from goldenthread.plans.changes import posts_for_lead
from goldenthread.plans.models import Action, Plan, Section

# Our field ← the headings that mean it (compared without case, spaces or punctuation).
HEADINGS: dict[str, tuple[str, ...]] = {
    "section": ("section", "area", "theme", "workstream", "service"),
    "desired_outcome": ("desired outcome",),
    "ref": ("ref", "reference", "p ref", "ip ref", "no", "number"),
    "title": ("recommendation", "action", "activity", "delivery", "delivery objectives"),
    "outcome": ("response / action", "response", "outcome", "response/action"),
    "lead": (
        "lead",
        "lead officer",
        "lead officer(s)",
        "lead officers",
        "sro",
        "senior responsible owner",
    ),
    "partners": ("partner", "partners"),
    "resources": ("resources", "resource(s)", "resource"),
    "start": ("start", "start date"),
    "target": ("target date", "target completion date", "deadline"),
    "timeline": ("timescale", "timeline", "timescales"),
}
_LOOKUP = {re.sub(r"[^a-z]", "", h): name for name, hs in HEADINGS.items() for h in hs}
_MONTH = re.compile(r"^([A-Za-z]{3})[-\s](\d{2}|\d{4})$")


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    plan: Plan | None = None
    rows: int = 0


def _key(heading: str) -> str:
    return re.sub(r"[^a-z]", "", (heading or "").lower())


def read_table(name: str, source: sheets.Source) -> list[list[str]]:
    """The non-empty rows of a CSV or of an Excel file's first sheet, as text.

    Raises :class:`~goldenthread.core.sheets.SheetError` (a ``ValueError``) naming what is
    wrong with a file that cannot be read, or that is past the upload limits.
    """
    return [[_cell_text(c) for c in cells] for _, cells in sheets.read_rows(name, source)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(text: str, *, end_of_month: bool) -> date | None:
    """``31/03/2020``, ``2020-03-31`` or a month such as ``Mar-20`` (its first or last day)."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            pass
    match = _MONTH.match(text)
    if match:
        try:
            month = datetime.strptime(match.group(1).title(), "%b").month  # noqa: DTZ007
        except ValueError:
            raise ValueError(f"{text!r} is not a date") from None
        year = int(match.group(2))
        year = year + 2000 if year < 100 else year
        day = calendar.monthrange(year, month)[1] if end_of_month else 1
        return date(year, month, day)
    raise ValueError(f"{text!r} is not a date: write 31/03/2020 or Mar-20")


def _columns(header: list[str], result: ImportResult) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        if not heading.strip():
            continue
        name = _LOOKUP.get(_key(heading))
        if name is None:
            known = ", ".join(h[0].title() for h in HEADINGS.values())
            result.errors.append(f"Row 1, column {heading!r}: not a column we know ({known}).")
        elif name in columns:
            result.errors.append(f"Row 1, column {heading!r}: a second {name} column.")
        else:
            columns[name] = index
    if "title" not in columns:
        result.errors.append(
            "Row 1: there is no Recommendation, Action, Activity or Delivery column."
        )
    return columns


def import_plan(
    table: list[list[str]],
    *,
    by,
    code: str,
    title: str,
    kind: str,
    owner: Organisation,
    status_scale: str,
) -> ImportResult:
    """Check every row; create the plan only when all rows are valid."""
    result = ImportResult()
    if Plan.objects.filter(code=code).exists():
        result.errors.append(f"Code: a plan with the code {code!r} already exists.")
    rows = [r for r in table if any((c or "").strip() for c in r)]
    if not rows:
        result.errors.append("The file is empty.")
        return result
    columns = _columns(rows[0], result)
    if result.errors:
        return result
    partners = {o.code: o for o in Organisation.objects.filter(kind="partner")}
    parsed = []
    refs: set[str] = set()

    def label(name: str) -> str:
        """The heading the file itself uses for one of our columns."""
        return rows[0][columns[name]] if name in columns else name.title()

    for number, row in enumerate(rows[1:], start=2):
        values = {
            name: (row[i] if (i := columns.get(name)) is not None and i < len(row) else "").strip()
            for name in HEADINGS
        }
        if not values["title"]:
            result.errors.append(f"Row {number}, column {label('title')!r}: this is empty.")
        ref = values["ref"] or f"{len(parsed) + 1:02d}"
        if ref in refs:
            result.errors.append(f"Row {number}, column {label('ref')!r}: {ref!r} is used twice.")
        refs.add(ref)
        codes = [c.strip().upper() for c in re.split(r"[/,;]", values["partners"]) if c.strip()]
        if codes and codes != ["ALL"]:
            unknown = [c for c in codes if c not in partners]
            if unknown:
                result.errors.append(
                    f"Row {number}, column {label('partners')!r}: {', '.join(unknown)} "
                    f"{'is not a partner code' if len(unknown) == 1 else 'are not partner codes'}"
                    f" (known: ALL, {', '.join(sorted(partners))})."
                )
        dates = {}
        for name, end in (("start", False), ("target", True)):
            try:
                dates[name] = parse_date(values[name], end_of_month=end)
            except ValueError as exc:
                result.errors.append(f"Row {number}, column {label(name)!r}: {exc}.")
                dates[name] = None
        if dates["start"] and dates["target"] and dates["target"] < dates["start"]:
            result.errors.append(
                f"Row {number}, column {label('target')!r}: the target date is before the start."
            )
        parsed.append((values, ref, codes, dates))
    result.rows = len(parsed)
    if not parsed:
        result.errors.append("The file has a header row but no actions.")
    if result.errors:
        return result
    result.plan = _create(
        parsed,
        partners,
        by=by,
        code=code,
        title=title,
        kind=kind,
        owner=owner,
        status_scale=status_scale,
    )
    return result


@transaction.atomic
def _create(parsed, partners, *, by, code, title, kind, owner, status_scale) -> Plan:
    plan = Plan.objects.create(
        code=code,
        title=title,
        kind=kind,
        owner=owner,
        status_scale=status_scale,
        source="Imported spreadsheet",
        reporting_period=Period.objects.for_key(period_containing(timezone.localdate())),
    )
    audit.record_creation(plan, by=by)
    sections: dict[str, Section] = {}
    posts: dict[str, list] = {}  # lead text → its posts, looked up once per lead
    actions: list[Action] = []
    for order, (values, ref, codes, dates) in enumerate(parsed, start=1):
        section_title = values["section"] or "Actions"
        if section_title not in sections:
            sections[section_title] = Section.objects.create(
                plan=plan,
                order=len(sections),
                title=section_title,
                desired_outcome=values["desired_outcome"],
                kind=Section.Kind.THEME,
            )
            audit.record_creation(sections[section_title], by=by)
        if values["lead"] not in posts:
            posts[values["lead"]] = posts_for_lead(values["lead"])
        actions.append(
            Action(
                plan=plan,
                section=sections[section_title],
                order=order,
                ref=ref,
                title=values["title"],
                outcome=values["outcome"],
                lead=values["lead"],
                resources=values["resources"],
                start_date=dates["start"],
                target_date=dates["target"],
                timeline=values["timeline"],
                all_partners=not codes or codes == ["ALL"],
            )
        )
    # A whole plan in a few inserts, so a large import holds the database only briefly.
    Action.objects.bulk_create(actions, batch_size=500)
    by_ref = dict(Action.objects.filter(plan=plan).values_list("ref", "pk"))
    partner_links, post_links = [], []
    for values, ref, codes, _dates in parsed:
        if codes and codes != ["ALL"]:
            partner_links += [
                Action.partners.through(action_id=by_ref[ref], organisation_id=partners[c].pk)
                for c in dict.fromkeys(codes)
            ]
        post_links += [
            Action.lead_posts.through(action_id=by_ref[ref], post_id=post.pk)
            for post in dict.fromkeys(posts[values["lead"]])
        ]
    Action.partners.through.objects.bulk_create(partner_links, batch_size=500)
    Action.lead_posts.through.objects.bulk_create(post_links, batch_size=500)
    created = Action.objects.filter(plan=plan).select_related("plan", "section__plan", "service")
    audit.record_creations(
        created.prefetch_related(
            "partners", "corporate_priorities", "improvement_priorities", "lead_posts"
        ),
        by=by,
    )
    return plan
