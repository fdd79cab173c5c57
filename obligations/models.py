"""Obligations per State Party, extensions, completions and alerts (see the app README).

Facts (``Extension``, ``Completion``) are what editors record, with sources and history.
``Obligation`` says a State owes one of a treaty's obligations; its ``status`` and
``current_deadline`` are a snapshot kept by the recompute pipeline, while reads "as of" a
date derive them from the facts (``obligations.selectors.deadlines``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mineban.records import CITATION_MAX_LENGTH, Sourced
from mineban.rules.alerts import AlertKind as RuleAlertKind
from mineban.rules.alerts import Severity as RuleSeverity
from mineban.rules.facts import ObligationStatus as RuleStatus
from mineban.rules.facts import RequestOutcome
from mineban.rules.precision import PartialDate
from states.models import Country, Meeting, Treaty, TreatyObligation


class ObligationStatus(models.TextChoices):
    PENDING = RuleStatus.PENDING.value, "Pending"
    COMPLETED_ON_TIME = RuleStatus.COMPLETED_ON_TIME.value, "Completed on time"
    COMPLETED_LATE = RuleStatus.COMPLETED_LATE.value, "Completed late"
    COMPLETED_TIMING_UNCERTAIN = RuleStatus.COMPLETED_TIMING_UNCERTAIN.value, "Completed; timing uncertain"
    COMPLETED = RuleStatus.COMPLETED.value, "Completed (no deadline to judge against)"
    OVERDUE = RuleStatus.OVERDUE.value, "Overdue: no completion or extension on record"
    TIMING_UNCERTAIN = RuleStatus.TIMING_UNCERTAIN.value, "Timing uncertain"
    REOPENED_AWAITING_DEADLINE = (
        RuleStatus.REOPENED_AWAITING_DEADLINE.value,
        "Re-opened; new deadline awaited",
    )
    EXTENSION_DECISION_NOT_ON_RECORD = (
        RuleStatus.EXTENSION_DECISION_NOT_ON_RECORD.value,
        "Extension requested; decision not on record",
    )
    EXTENDED_DEADLINE_NOT_ON_RECORD = (
        RuleStatus.EXTENDED_DEADLINE_NOT_ON_RECORD.value,
        "Extended; new deadline not on record",
    )
    NOT_APPLICABLE = RuleStatus.NOT_APPLICABLE.value, "Not applicable (declared)"
    ENDED_BY_WITHDRAWAL = RuleStatus.ENDED_BY_WITHDRAWAL.value, "Ended by withdrawal"
    NOT_TRACKED = RuleStatus.NOT_TRACKED.value, "Not tracked"


class Obligation(Sourced):
    """A State owes one of a treaty's obligations.

    Reports (Art. 7) are owed by every State for which the treaty is in force: the pipeline
    creates them. Stockpile destruction and clearance are owed by the States on record as
    holding stockpiles or having mined areas: the reference data and editors create them.
    """

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="obligations")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="state_obligations")
    terms = models.ForeignKey(TreatyObligation, on_delete=models.PROTECT, related_name="state_obligations")
    status_note = models.TextField(
        blank=True, max_length=CITATION_MAX_LENGTH, help_text="The source's own summary of where it stands."
    )
    # Only a source's finding makes a missed deadline "in breach"; the record alone says "overdue".
    breach_confirmed_source = models.TextField(
        blank=True,
        max_length=CITATION_MAX_LENGTH,
        help_text="A source that finds the State in breach of this deadline, e.g. a Meeting of the "
        "States Parties' final report. Empty: the record only shows the deadline passed.",
    )
    # Art. 7: the first year whose reports the record keeps; earlier years are "not tracked".
    reports_tracked_from = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Reports (Art. 7): the first year an editor has checked the State's reports for. "
        "Reports due earlier are shown as not tracked, never as missing.",
    )
    # Snapshot written by obligations_recompute; reads "as of" a date recompute from facts.
    status = models.CharField(max_length=32, choices=ObligationStatus.choices, blank=True)
    original_deadline = models.DateField(null=True, blank=True)
    current_deadline = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "treaty__position", "terms__position"]
        constraints = [
            models.UniqueConstraint(fields=["country", "terms"], name="obligation_one_per_state_terms"),
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.treaty.code} {self.terms.code}"


class Extension(Sourced):
    """An extension of a deadline granted by a Meeting of the States Parties (APMBC Art. 5)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="extensions")
    requested_on = models.DateField(null=True, blank=True, help_text="When the request was submitted.")
    meeting = models.CharField(max_length=100, help_text='e.g. "12MSP" or "Fourth Review Conference".')
    # The meeting on record whose code ``meeting`` names (set by the services; None while the
    # meetings on record do not include it).
    decision_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="extensions_granted"
    )
    granted_on = models.DateField(help_text="Decision day (the reference data: the meeting's closing day).")
    new_deadline = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["obligation", "granted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "granted_on"], name="extension_one_per_decision_day"
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("granted_on")), name="extension_deadline_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(requested_on__isnull=True) | Q(granted_on__gte=models.F("requested_on")),
                name="extension_decision_not_before_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} extended to {self.new_deadline} ({self.meeting})"


def validate_partial_date(value: str) -> None:
    """A reduced-precision ISO 8601 date: ``2006``, ``2002-04`` or ``2005-11-21``."""
    try:
        PartialDate.parse(value)
    except ValueError as exc:
        raise ValidationError(f"Enter a date as YYYY, YYYY-MM or YYYY-MM-DD ({exc}).") from None


def partial_date_field(help_text: str) -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(
        max_length=10, blank=True, validators=[validate_partial_date], help_text=help_text
    )


class Completion(Sourced):
    """A State's declaration that it completed an obligation, or that it never applied.

    Dates keep the precision the source gives ("2006", "2002-04", "2005-11-21"): a year is
    never turned into a day, since the day picked would decide whether the State was late.
    """

    class Kind(models.TextChoices):
        COMPLETED = "completed", "Completed"
        NOT_APPLICABLE = "not_applicable", "Not applicable (never held stockpiles / never had mined areas)"

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="completions")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMPLETED)
    completed_on = partial_date_field(
        "When the work ended, as precisely as the source says: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    reported_on = partial_date_field(
        "The report or declaration that announced the completion (YYYY, YYYY-MM or YYYY-MM-DD). "
        "Alone, it means: completed at the latest by then."
    )
    reopened_on = partial_date_field("Newly found mined areas or stocks re-opened the obligation.")
    second_completed_on = partial_date_field("The re-opened obligation was completed again.")
    status_note = models.TextField(blank=True, max_length=CITATION_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["obligation", "completed_on", "reported_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="completed") | (Q(reopened_on="") & Q(second_completed_on="")),
                name="completion_not_applicable_plain",
            ),
            models.CheckConstraint(
                condition=Q(second_completed_on="") | ~Q(reopened_on=""),
                name="completion_second_needs_reopening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} {self.kind} {self.completed_on or self.reported_on or self.status_note}"

    @staticmethod
    def partial(value: str) -> PartialDate | None:
        return PartialDate.parse(value) if value else None


class ExtensionRequest(Sourced):
    """A request to extend a deadline (Art. 5(3)-(6)) and what became of it.

    The extension file says what was granted; this says what was asked and, where the
    record is incomplete, exactly how: a decision not on record, a grant whose new deadline
    is not on record, a request the meeting did not decide.
    """

    class Outcome(models.TextChoices):
        PENDING = RequestOutcome.PENDING.value, "Pending"
        GRANTED = RequestOutcome.GRANTED.value, "Granted"
        GRANTED_DEADLINE_NOT_ON_RECORD = (
            RequestOutcome.GRANTED_DEADLINE_NOT_ON_RECORD.value,
            "Granted; new deadline not on record",
        )
        REFUSED = RequestOutcome.REFUSED.value, "Refused"
        WITHDRAWN = RequestOutcome.WITHDRAWN.value, "Withdrawn"
        NOT_DECIDED = RequestOutcome.NOT_DECIDED.value, "Not decided"
        DECISION_NOT_ON_RECORD = RequestOutcome.DECISION_NOT_ON_RECORD.value, "Decision not on record"
        NOT_SUBMITTED = RequestOutcome.NOT_SUBMITTED.value, "Not submitted (announced or needed)"

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="extension_requests")
    submitted_on = models.DateField(null=True, blank=True)
    requested_deadline = models.DateField(null=True, blank=True)
    meeting = models.CharField(
        max_length=100, blank=True, help_text='The meeting due to decide, e.g. "22MSP".'
    )
    # The meeting on record whose code ``meeting`` names (set by the services).
    decision_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="extension_requests"
    )
    meeting_opens_on = models.DateField(null=True, blank=True, help_text="First day of that meeting.")
    meeting_closes_on = models.DateField(
        null=True, blank=True, help_text="Last day of that meeting: the day its decision counts from."
    )
    outcome = models.CharField(max_length=40, choices=Outcome.choices)
    outcome_note = models.TextField(
        blank=True, max_length=CITATION_MAX_LENGTH, help_text='e.g. "submitted late; may be resubmitted".'
    )
    extension = models.ForeignKey(
        "Extension",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The extension the request produced, when granted with its new deadline.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["obligation", "meeting_closes_on", "submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_closes_on__isnull=True)
                | Q(meeting_opens_on__isnull=True)
                | Q(meeting_closes_on__gte=models.F("meeting_opens_on")),
                name="extension_request_meeting_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} request ({self.meeting or 'no meeting'}): {self.outcome}"


class Alert(models.Model):
    """One condition worth attention, open until it stops holding (then resolved, kept)."""

    class Kind(models.TextChoices):
        DEADLINE_APPROACHING = RuleAlertKind.DEADLINE_APPROACHING.value, "Deadline approaching"
        DEADLINE_MISSED = RuleAlertKind.DEADLINE_MISSED.value, "Deadline missed"
        RECORD_INCOMPLETE = RuleAlertKind.RECORD_INCOMPLETE.value, "Record incomplete"
        COMPLETED_LATE = RuleAlertKind.COMPLETED_LATE.value, "Completed late"
        INITIAL_REPORT_OVERDUE = RuleAlertKind.INITIAL_REPORT_OVERDUE.value, "Initial report overdue"
        ANNUAL_REPORT_OVERDUE = RuleAlertKind.ANNUAL_REPORT_OVERDUE.value, "Annual report overdue"
        WITHDRAWAL_NOTIFIED = RuleAlertKind.WITHDRAWAL_NOTIFIED.value, "Withdrawal notified"
        WITHDRAWAL_EFFECTIVE_SOON = (
            RuleAlertKind.WITHDRAWAL_EFFECTIVE_SOON.value,
            "Withdrawal taking effect soon",
        )
        ENTRY_INTO_FORCE_UPCOMING = RuleAlertKind.ENTRY_INTO_FORCE_UPCOMING.value, "Entry into force upcoming"

    class Severity(models.TextChoices):
        INFO = RuleSeverity.INFO.value, "Info"
        WARNING = RuleSeverity.WARNING.value, "Warning"
        CRITICAL = RuleSeverity.CRITICAL.value, "Critical"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="alerts")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="alerts")
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    due_date = models.DateField()
    message = models.TextField()
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "country__name", "kind"]
        constraints = [
            # Two constraints, because NULL obligations are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["country", "treaty", "obligation", "kind", "due_date"],
                condition=Q(resolved_at__isnull=True, obligation__isnull=False),
                name="alert_one_open_per_obligation_condition",
            ),
            models.UniqueConstraint(
                fields=["country", "treaty", "kind", "due_date"],
                condition=Q(resolved_at__isnull=True, obligation__isnull=True),
                name="alert_one_open_per_state_condition",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=models.F("opened_at")),
                name="alert_resolved_after_opened",
            ),
        ]
        indexes = [
            # Serves the recompute diff (open alerts of a State) and the open-alerts list.
            models.Index(
                fields=["country", "treaty"],
                condition=Q(resolved_at__isnull=True),
                name="alert_open_by_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.treaty.code} {self.kind} {self.due_date}"


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
