"""Periodic background work, declared in code.

Each app that has periodic work lists it in its `tasks.py` as
``SCHEDULE = [Periodic("reminders", "0 7 * * *", send_due_reminders)]``; `manage.py
run_scheduler` enqueues each task at its times (crontab fields read in Europe/London) and
the worker runs it. `firing` answers, on any clock, which jobs fall due between two times.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from django.apps import apps
from django_tasks.base import Task

TIME_ZONE = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Periodic:
    """A task the scheduler enqueues at the times of a five-field crontab."""

    name: str  # "reminders"
    cron: str  # five-field crontab, Europe/London, e.g. "0 7 * * *" (days by name: mon-fri)
    task: Task  # a django_tasks Task; the scheduler enqueues it

    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=TIME_ZONE)


def declared(app_names: Iterable[str] | None = None) -> list[Periodic]:
    """Every installed app's `tasks.SCHEDULE` (or the named apps'), in the order of
    INSTALLED_APPS.

    An app without a `tasks` module, or whose `tasks` declares no SCHEDULE, has none;
    an error raised while importing an app's `tasks` is not hidden.
    """
    if app_names is None:
        app_names = [config.name for config in apps.get_app_configs()]
    found: list[Periodic] = []
    for app in app_names:
        module = _tasks_module(app)
        for periodic in getattr(module, "SCHEDULE", ()):
            if not isinstance(periodic, Periodic):
                raise TypeError(f"{app}.tasks.SCHEDULE holds {periodic!r}, not a Periodic.")
            periodic.trigger()  # a bad crontab fails here, not at seven in the morning
            found.append(periodic)
    names = [periodic.name for periodic in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"Periodic job names must be unique: {', '.join(duplicates)}.")
    return found


def _tasks_module(app: str) -> ModuleType | None:
    name = f"{app}.tasks"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:  # the app has no tasks; a module its tasks import is not hidden
            return None
        raise


def firing(
    schedule: Iterable[Periodic], start: datetime, end: datetime
) -> list[tuple[datetime, Periodic]]:
    """Each time a periodic job falls due after `start` and up to and including `end`,
    in time order (ties in the schedule's order). Both must be aware datetimes."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("firing() needs aware datetimes.")
    due: list[tuple[datetime, int, Periodic]] = []
    for order, periodic in enumerate(schedule):
        trigger = periodic.trigger()
        cursor = start.astimezone(TIME_ZONE) + _INSTANT
        while (when := trigger.get_next_fire_time(None, cursor)) is not None and when <= end:
            due.append((when, order, periodic))
            cursor = when + _INSTANT
    return [(when, periodic) for when, _, periodic in sorted(due, key=lambda d: d[:2])]


_INSTANT = timedelta(microseconds=1)
