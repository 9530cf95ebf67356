"""``manage.py run_scheduler``: enqueue each declared periodic task at its times.

One scheduler runs beside the web and worker processes (two would enqueue twice). It only
enqueues; the worker (`manage.py db_worker`) runs the tasks.
"""

from __future__ import annotations

import contextlib
import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from goldenthread.core import schedule

logger = logging.getLogger("goldenthread.scheduler")


def enqueue(periodic: schedule.Periodic) -> None:
    """Hand one periodic task to the worker, and say so in the log."""
    close_old_connections()
    try:
        result = periodic.task.enqueue()
    except Exception:
        logger.exception("Could not enqueue periodic job %s", periodic.name)
        return
    logger.info("Enqueued periodic job %s (task %s)", periodic.name, result.id)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks every app declares in tasks.SCHEDULE, at their times."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            help="Print each periodic job, its crontab and its next time, and exit.",
        )
        parser.add_argument(
            "--now",
            metavar="NAME",
            help="Enqueue the periodic job of this name once, now, and exit.",
        )

    def handle(self, *args, list: bool, now: str | None, **options) -> None:  # noqa: A002
        declared = schedule.declared()
        if now is not None:
            chosen = [periodic for periodic in declared if periodic.name == now]
            if not chosen:
                names = ", ".join(periodic.name for periodic in declared)
                raise CommandError(f"No periodic job is called {now!r}: there are {names}.")
            self._log_to_stdout()
            enqueue(chosen[0])
            return
        scheduler = BlockingScheduler(timezone=schedule.TIME_ZONE)
        for periodic in declared:
            scheduler.add_job(
                enqueue,
                periodic.trigger(),
                args=[periodic],
                id=periodic.name,
                name=periodic.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=300,
            )
        if list:
            for job in scheduler.get_jobs():
                periodic = job.args[0]
                when = job.trigger.get_next_fire_time(None, timezone.now())
                self.stdout.write(
                    f"{periodic.name}\t{periodic.cron}\tnext {when:%Y-%m-%d %H:%M %Z}"
                )
            return
        self._log_to_stdout()
        for job in scheduler.get_jobs():
            logger.info("Scheduled %s at '%s' (Europe/London)", job.name, job.args[0].cron)
        signal.signal(signal.SIGTERM, lambda signum, frame: scheduler.shutdown(wait=False))
        with contextlib.suppress(KeyboardInterrupt):
            scheduler.start()
        logger.info("Scheduler stopped")

    def _log_to_stdout(self) -> None:
        if not logger.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
