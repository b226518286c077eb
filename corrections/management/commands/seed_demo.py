"""`python manage.py seed_demo [--supervisees N] [--date YYYY-MM-DD] [--districts K]`
(docs/api.md#demo-data)."""

import argparse
import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from config.office_time import office_today
from config.signals import records_loaded
from corrections.demo import (
    DEFAULT_DISTRICT_SUPERVISEES,
    DEFAULT_SUPERVISEES,
    MAX_EXTRA_DISTRICTS,
    demo_seed,
)
from corrections.models import Supervisee

# Above this many, the population is a benchmark's: the demo district keeps its usual size and the rest
# goes to `seed_scale` (supervision/scale.py: COPY into many districts), called by name because
# corrections sits below supervision.
SCALE_FROM = 50_000


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        # argparse turns this into a usage error naming the option.
        raise argparse.ArgumentTypeError(_("Give the date as YYYY-MM-DD.")) from error


class Command(BaseCommand):
    help = (
        "Create the demo district (Y District: 薛城区), its agencies and users, and a population of "
        "supervisees with months of history. Idempotent: a second run adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--supervisees",
            type=int,
            default=DEFAULT_SUPERVISEES,
            help=f"how many demo supervisees should exist (default {DEFAULT_SUPERVISEES}); more to benchmark",
        )
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="the day the demo history is laid out back from (default: the office's today)",
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=0,
            help=(
                "how many more districts of Zaozhuang city to add, each with its own agencies, users "
                f"officer_dK and supervisor_dK, and a modest population (at most {MAX_EXTRA_DISTRICTS})"
            ),
        )
        parser.add_argument(
            "--district-supervisees",
            type=int,
            default=DEFAULT_DISTRICT_SUPERVISEES,
            help=f"supervisees in each added district (default {DEFAULT_DISTRICT_SUPERVISEES})",
        )

    def handle(
        self,
        *args,
        supervisees: int,
        date: dt.date | None,
        districts: int,
        district_supervisees: int,
        **options,
    ):
        if supervisees < 0:
            raise CommandError(_("--supervisees cannot be negative."))
        if district_supervisees < 0:
            raise CommandError(_("--district-supervisees cannot be negative."))
        if not 0 <= districts <= MAX_EXTRA_DISTRICTS:
            raise CommandError(_("--districts is between 0 and %(most)d.") % {"most": MAX_EXTRA_DISTRICTS})
        if date is not None and date > office_today():
            # The lifecycle refuses dates in the future; so does the demo.
            raise CommandError(_("--date cannot be in the future."))
        started = time.monotonic()
        latest_case = Supervisee.objects.order_by("-pk").values_list("pk", flat=True).first()
        scale = supervisees if supervisees > SCALE_FROM else 0
        for line in demo_seed(
            supervisees=DEFAULT_SUPERVISEES if scale else supervisees,
            today=date,
            # At a benchmark's size --districts is the number of scale districts (seed_scale), not of
            # demo districts added under Zaozhuang.
            districts=0 if scale else districts,
            district_supervisees=district_supervisees,
        ):
            self.stdout.write(line)
        if scale:
            extra = {"districts": districts} if districts else {}
            call_command("seed_scale", supervisees=scale, date=date, stdout=self.stdout, **extra)
        if Supervisee.objects.order_by("-pk").values_list("pk", flat=True).first() != latest_case:
            # Written in bulk, past the models' signals (a second run writes nothing, and says nothing).
            records_loaded.send(sender=self.__class__)
        self.stdout.write(_("done in %(seconds).1f s") % {"seconds": time.monotonic() - started})
