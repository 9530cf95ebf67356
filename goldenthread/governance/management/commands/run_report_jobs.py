"""``manage.py run_report_jobs``: make the files of waiting committee report jobs."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from goldenthread.governance import jobs


class Command(BaseCommand):
    help = "Run waiting report jobs (and those left running by a stopped process)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=30,
            help="Put jobs running for longer than this back in the queue first (0: never).",
        )
        parser.add_argument(
            "--one-process",
            action="store_true",
            help="Lay out PDFs in this process rather than in a worker process.",
        )

    def handle(self, *args, stale_minutes: int, one_process: bool, **options):
        if stale_minutes:
            requeued = jobs.requeue_stale(timedelta(minutes=stale_minutes))
            if requeued:
                self.stdout.write(f"{requeued} stale job(s) put back in the queue.")
        for job in jobs.run_waiting(parallel=not one_process):
            self.stdout.write(f"Job {job.pk} for “{job.report.subject_heading}”: {job.state}")
