"""Demo data of the governance app: the oneSource Joint Committee, two meetings and
the reports of seeds 002 (January 2018 update) and 001 (Improvement Plan, July 2019).

Reads ``demo/data/governance-committees.yaml`` and ``governance-reports.yaml``
and writes through the same audited functions as the app. Safe to run again: a
committee, meeting or report already there is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from goldenthread.core import audit
from goldenthread.core.models import Organisation
from goldenthread.governance import changes, jobs
from goldenthread.governance.models import Committee, CommitteeReport, Meeting

DATA_DIR = Path(__file__).resolve().parent.parent / "demo" / "data"
COMMITTEES_FILE = "governance-committees.yaml"
REPORTS_FILE = "governance-reports.yaml"
Report = Callable[[str], None]


class DemoDataError(ValueError):
    """A governance data file that does not match its schema: names the file and the item."""


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _day(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DemoDataError(f"{where}: {value!r} is not an ISO date.") from exc


def load_committees(by) -> int:
    created_meetings = 0
    for row in read(COMMITTEES_FILE)["committees"]:
        committee, created = Committee.objects.get_or_create(
            name=row["name"], defaults={"description": (row.get("description") or "").strip()}
        )
        if created:
            partners = Organisation.objects.filter(code__in=row.get("partners") or [])
            committee.partners.set(partners)
            audit.record_creation(committee, by=by)
        for meeting_row in row.get("meetings") or []:
            where = f"{COMMITTEES_FILE} {row['name']}"
            meeting, made = Meeting.objects.get_or_create(
                committee=committee,
                date=_day(meeting_row["date"], where),
                defaults={"venue": meeting_row.get("venue") or ""},
            )
            if made:
                audit.record_creation(meeting, by=by)
                created_meetings += 1
    return created_meetings


def _narrative(row: dict) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in CommitteeReport.NARRATIVE_FIELDS:
        value = row.get(name)
        if name == "key_decision":
            values[name] = bool(value)
        else:
            values[name] = "" if value is None else str(value).strip()
    return values


def load_reports(by) -> int:
    """Create the reports of the data file; those marked ``published`` are published."""
    created = 0
    for row in read(REPORTS_FILE)["reports"]:
        where = f"{REPORTS_FILE} {row.get('subject_heading')!r}"
        try:
            meeting = Meeting.objects.get(
                committee__name=row["committee"], date=_day(row["meeting"], where)
            )
        except Meeting.DoesNotExist as exc:
            raise DemoDataError(
                f"{where}: no meeting {row['meeting']} of {row['committee']}."
            ) from exc
        if meeting.reports.filter(subject_heading=row["subject_heading"]).exists():
            continue
        report = changes.create_report(meeting, by=by, **_narrative(row))
        for appendix in row.get("appendices") or []:
            try:
                changes.add_appendix(
                    report,
                    by=by,
                    kind=appendix["kind"],
                    subject=str(appendix["subject"]),
                    period=str(appendix.get("period") or ""),
                    title=appendix.get("title") or "",
                )
            except Exception as exc:
                raise DemoDataError(f"{where}: appendix {appendix!r}: {exc}") from exc
        if row.get("published"):
            job = changes.request_files(report, by=by, publish=True)
            jobs.run_job(job.pk)  # here and now: the demo opens with it
        created += 1
    return created


@transaction.atomic
def load(by, report: Report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    meetings = load_committees(by)
    reports = load_reports(by)
    report(f"Governance: {meetings} meetings and {reports} committee reports added.")
