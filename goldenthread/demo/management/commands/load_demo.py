"""``manage.py load_demo``: the seeds' partnership with demo users for each role."""

from django.core.management.base import BaseCommand

from goldenthread.demo.loader import load_all


class Command(BaseCommand):
    help = "Load the demo partnership (organisations, plans, updates, users)."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo user")

    def handle(self, *args, password: str, **options):
        people = load_all(password=password, report=lambda m: self.stdout.write(m))
        self.stdout.write("")
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with any of these users:")
        for person in people:
            self.stdout.write(f"  {person['username']:<20} {person['name']:<34} {person['roles']}")
        self.stdout.write(f"Password for every demo user: {password}")
