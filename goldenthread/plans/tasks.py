"""Plans' background work: the daily reminders to leads who still owe updates.

`manage.py run_scheduler` enqueues the periodic tasks of `SCHEDULE`; the worker
(`manage.py db_worker`) runs them.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from goldenthread.core.schedule import Periodic
from goldenthread.plans import rounds


@task()
def send_due_reminders(today: str | None = None) -> int:
    """Send today's reminder step to each person who owes updates (see
    :func:`goldenthread.plans.rounds.send_due_reminders`); returns the records written.

    ``today`` (ISO date) is for running a missed day by hand; the schedule leaves it out.
    """
    day = date.fromisoformat(today) if today else timezone.localdate()
    return len(rounds.send_due_reminders(day))


# 07:00 every day, Europe/London: working days are decided by the job, so a step that
# falls on a weekend or bank holiday cannot happen, and nothing is sent twice.
SCHEDULE = [Periodic("reminders", "0 7 * * *", send_due_reminders)]
