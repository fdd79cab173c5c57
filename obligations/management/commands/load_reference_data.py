from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mineban import clock
from mineban.cache import data_changed
from obligations import reference_data as obligation_data
from obligations.services import recompute_deferred
from states import reference_data
from states.reference_data import REFERENCE_DIR, LoadReport, ReferenceDataError


def reference_steps(directory: Path, today: Any) -> list[tuple[str, Any]]:
    """Each step loads one file; later steps rely on earlier ones (countries first)."""
    notifications = directory / "supplementary_notifications.csv"
    return [
        ("countries (UN M49)", reference_data.countries_load),
        ("treaties", lambda: reference_data.treaties_load(directory / "treaties.json")),
        ("APMBC meetings", lambda: reference_data.meetings_load(
            directory / "apmbc_meetings.csv", today=today)),
        ("APMBC participation", lambda: reference_data.participation_load(
            "APMBC", directory / "apmbc_participation.csv", today=today, notifications=notifications)),
        ("CCM participation", lambda: reference_data.participation_load(
            "CCM", directory / "ccm_participation.csv", today=today, notifications=notifications)),
        ("APMBC Art. 4 stockpile destruction", lambda: obligation_data.obligations_load(
            "APMBC", "art4", directory / "apmbc_art4_stockpiles.csv")),
        ("APMBC Art. 5 clearance and extensions", lambda: obligation_data.obligations_load(
            "APMBC", "art5", directory / "apmbc_art5_clearance.csv",
            extensions=directory / "apmbc_art5_extensions.csv",
            requests=directory / "apmbc_art5_requests.csv", meetings=directory / "apmbc_meetings.csv")),
        ("State existence", lambda: reference_data.state_existence_load(directory / "state_existence.csv")),
        ("CCW Amended Protocol II participation", lambda: reference_data.ccw_apii_participation_load(
            directory / "ccw_apii_participation.csv", today=today)),
        ("APMBC meeting attendance", lambda: reference_data.attendance_load(
            directory / "apmbc_attendance.csv", today=today)),
        ("UN General Assembly resolutions and votes", lambda: reference_data.unga_load(
            directory / "unga_apmbc_resolutions.csv", directory / "unga_apmbc_votes.csv", today=today)),
        ("policy facts", lambda: reference_data.policy_facts_load(
            directory / "policy_facts.csv", today=today)),
        ("stockpile figures in the Art. 4 notes", lambda: reference_data.stockpile_facts_load(
            directory / "apmbc_art4_stockpiles.csv", today=today)),
    ]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (countries, treaties, participation). Idempotent: "
        "a second run changes nothing. A malformed file is reported with its row and field, "
        "and nothing is written."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--directory", type=Path, default=REFERENCE_DIR, help="Folder of the reference files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            with transaction.atomic(), recompute_deferred(as_of=clock.today()):
                for label, step in reference_steps(directory, clock.today()):
                    report: LoadReport = step()
                    self.stdout.write(f"{label}: {report}")
                    for message in report.messages:
                        self.stdout.write(f"  {message}")
                # Bulk inserts and updates bypass the services: say that the data changed.
                data_changed()
        except (ReferenceDataError, FileNotFoundError) as exc:
            raise CommandError(f"{exc}\nNothing was loaded.") from None
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
