"""Article 7 transparency reports."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from states.models import Country, Sourced, Treaty


class Article7Report(Sourced):
    """A transparency report received: the initial one (Art. 7(1)) or an annual update (7(2))."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial report"
        ANNUAL = "annual", "Annual update"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="article7_reports")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="article7_reports")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Annual updates cover the previous calendar year; NULL for the initial report.
    covered_year = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "treaty", "kind", "covered_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "treaty"], condition=Q(kind="initial"), name="article7_one_initial"
            ),
            models.UniqueConstraint(
                fields=["country", "treaty", "covered_year"],
                condition=Q(kind="annual"),
                name="article7_one_annual_per_year",
            ),
            models.CheckConstraint(
                condition=(Q(kind="initial") & Q(covered_year__isnull=True))
                | (Q(kind="annual") & Q(covered_year__isnull=False)),
                name="article7_covered_year_iff_annual",
            ),
        ]

    def __str__(self) -> str:
        year = f" {self.covered_year}" if self.covered_year else ""
        return f"{self.country.iso3} {self.treaty.code} {self.kind}{year} ({self.submitted_on})"
