from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mineban import clock
from obligations import services
from states.models import Country


class Command(BaseCommand):
    help = (
        "Recompute obligation statuses and alerts, for every State or one (--state ISO3), as of "
        "today or --as-of YYYY-MM-DD. Idempotent: an unchanged world changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--state", help="ISO 3166-1 alpha-3 code of one State.")
        parser.add_argument("--as-of", dest="as_of", help="Reference date, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = clock.today()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of must be YYYY-MM-DD, got {options['as_of']!r}") from None
        if options["state"]:
            country = Country.objects.filter(iso3=options["state"].upper()).first()
            if country is None:
                raise CommandError(f"unknown State code {options['state']!r}")
            result = services.obligations_recompute(country=country, as_of=as_of)
        else:
            result = services.obligations_recompute_all(as_of=as_of)
        self.stdout.write(
            f"as of {as_of.isoformat()}: {result.states} State(s), {result.opened} alert(s) opened, "
            f"{result.resolved} resolved, {result.obligations_created} obligation(s) created, "
            f"{result.obligations_updated} updated"
        )
