"""``manage.py run_report_jobs``: make the files of waiting committee report jobs now.

The worker (`manage.py db_worker`) makes them in normal running; this command is for an
operator who wants the queue emptied by hand, here and now, or handed to the worker again.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from goldenthread.governance import jobs, tasks


class Command(BaseCommand):
    help = "Run waiting report jobs (and those left running by a stopped worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=30,
            help="Put jobs running for longer than this back in the queue first (0: never).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the waiting jobs to the worker rather than making them in this process.",
        )

    def handle(self, *args, stale_minutes: int, enqueue: bool, **options):
        if stale_minutes:
            requeued = jobs.requeue_stale(timedelta(minutes=stale_minutes))
            if requeued:
                self.stdout.write(f"{len(requeued)} stale job(s) put back in the queue.")
        for job_id in jobs.waiting():
            if enqueue:
                tasks.make_report_files.enqueue(job_id)
                self.stdout.write(f"Job {job_id} handed to the worker.")
            else:
                job = jobs.run_job(job_id)
                self.stdout.write(f"Job {job.pk} for “{job.report.subject_heading}”: {job.state}")
