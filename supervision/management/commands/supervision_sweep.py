import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from config.office_time import office_today
from supervision.sweep import sweep_run


class Command(BaseCommand):
    help = "Run every alert rule as of a day (default the office's today); raises nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, the day to sweep as of (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            as_of = dt.date.fromisoformat(date) if date else office_today()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, got {date!r}") from error
        raised = sweep_run(as_of=as_of)
        self.stdout.write(f"sweep as of {as_of.isoformat()}:")
        for kind, count in raised.items():
            self.stdout.write(f"  {kind}: {count} raised")
        self.stdout.write(f"  total: {sum(raised.values())} raised")
