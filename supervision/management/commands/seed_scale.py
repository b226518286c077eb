"""`python manage.py seed_scale --supervisees N [--districts K] [--date YYYY-MM-DD]`: a national-scale
population for benchmarks (supervision/scale.py), PostgreSQL only, run as the tables' owner
(`DJANGO_DB_ROLE=owner`). `seed_demo --supervisees N` delegates here for large N."""

import time

from django.core.management.base import BaseCommand, CommandError

from config.signals import records_loaded
from corrections.management.commands.seed_demo import _day
from supervision.scale import DEFAULT_DISTRICTS, scale_seed


class Command(BaseCommand):
    help = (
        "Load N supervisees with sentences, status history and months of check-ins into K new districts "
        "with PostgreSQL's COPY (indexes rebuilt after the load). For benchmarks (make bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--supervisees", type=int, required=True)
        parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS)
        parser.add_argument("--date", type=_day, default=None, help="the anchor day (default: today)")

    def handle(self, *args, supervisees: int, districts: int, date, **options):
        started = time.monotonic()
        try:
            counts = scale_seed(
                supervisees=supervisees, districts=districts, today=date, log=self.stdout.write
            )
        except (RuntimeError, ValueError, PermissionError) as error:
            raise CommandError(str(error)) from error
        records_loaded.send(sender=self.__class__)
        self.stdout.write(", ".join(f"{key} {value:,}" for key, value in counts.items()))
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s")
