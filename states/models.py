"""Countries, treaties and the log of depositary actions.

Participation is stored the way the depositary records it: one row per action (signature,
instrument of consent, withdrawal, ...). The wide view per State (signature / consent /
entry into force / withdrawal) is derived in ``states.selectors``.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mineban.records import CITATION_MAX_LENGTH, TEXT_MAX_LENGTH, Sourced
from mineban.rules.terms import (
    EntryIntoForceRule,
    EntryIntoForceTerms,
    ObligationKind,
    ObligationTerms,
    TreatyTerms,
)


class Country(models.Model):
    """A State as the treaty world counts them: UN members, the Holy See, the State of
    Palestine, the Cook Islands and Niue. Loaded from the shipped UN M49 table
    (``data/reference/countries_m49.csv``)."""

    iso3 = models.CharField("ISO 3166-1 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    m49_code = models.CharField("UN M49 code", max_length=3)
    name = models.CharField("English short name", max_length=100)
    formal_name = models.CharField(max_length=200, blank=True)
    region = models.CharField("M49 region", max_length=50)
    sub_region = models.CharField("M49 sub-region", max_length=50)
    intermediate_region = models.CharField("M49 intermediate region", max_length=50, blank=True)
    un_member = models.BooleanField("UN Member State", default=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=5, null=True, blank=True)
    # Before this day the State did not exist, or could not yet join treaties (the State of
    # Palestine before UN observer-State status): not a potential participant. NULL: it
    # existed before any treaty tracked here was adopted.
    exists_from = models.DateField(null=True, blank=True)
    exists_from_basis = models.CharField(max_length=300, blank=True, help_text="e.g. independence")
    exists_from_source = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_upper"),
            models.CheckConstraint(condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_upper"),
        ]

    def __str__(self) -> str:
        return self.name


class Treaty(models.Model):
    """A treaty and its final clauses as parameters (see ``mineban.rules.terms``)."""

    code = models.CharField(max_length=16, unique=True)
    short_name = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    adopted_on = models.DateField()
    opened_for_signature_on = models.DateField(null=True, blank=True)
    # The last day a State could sign; NULL: the treaty is not open for signature at all.
    signature_closed_on = models.DateField(null=True, blank=True)
    entry_into_force = models.DateField(
        null=True, blank=True, help_text="As recorded by the depositary; NULL while not in force."
    )
    eif_threshold = models.PositiveSmallIntegerField(
        "instruments needed for entry into force",
    )
    eif_rule = models.CharField(max_length=32, choices=[(r.value, r.value) for r in EntryIntoForceRule])
    eif_months = models.PositiveSmallIntegerField("months from deposit to entry into force")
    withdrawal_notice_months = models.PositiveSmallIntegerField(default=6)
    withdrawal_armed_conflict_clause = models.BooleanField(default=True)
    depositary = models.CharField(max_length=200, blank=True)
    text_url = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "treaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(signature_closed_on__isnull=True)
                | Q(opened_for_signature_on__isnull=True)
                | Q(signature_closed_on__gte=models.F("opened_for_signature_on")),
                name="treaty_signature_window_ordered",
            ),
            models.CheckConstraint(condition=Q(eif_threshold__gte=1), name="treaty_threshold_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def signature_stage(self) -> bool:
        """Whether States sign before they consent (a CCW protocol is joined by consent alone)."""
        return self.opened_for_signature_on is not None

    def terms(self, obligations: "list[TreatyObligation] | None" = None) -> TreatyTerms:
        """The rules' view of this treaty. Pass ``obligations`` to avoid a query."""
        rows = obligations if obligations is not None else list(self.obligation_terms.all())
        return TreatyTerms(
            code=self.code,
            entry_into_force=EntryIntoForceTerms(
                threshold=self.eif_threshold,
                rule=EntryIntoForceRule(self.eif_rule),
                months=self.eif_months,
            ),
            signature_opens=self.opened_for_signature_on,
            signature_closes=self.signature_closed_on,
            withdrawal_notice_months=self.withdrawal_notice_months,
            obligations=tuple(row.terms() for row in rows),
        )


class TreatyObligation(models.Model):
    """One obligation a treaty imposes, with the period its clock runs from entry into force."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="obligation_terms")
    code = models.SlugField(max_length=32)
    article = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=[(k.value, k.value) for k in ObligationKind])
    period_months = models.PositiveSmallIntegerField(null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    extendable = models.BooleanField(default=False)
    max_extension_months = models.PositiveSmallIntegerField(null=True, blank=True)
    annual_due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    annual_due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty", "position"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "code"], name="treaty_obligation_code_unique"),
            models.CheckConstraint(
                condition=Q(extendable=False) | Q(max_extension_months__isnull=False),
                name="treaty_obligation_extension_limit_given",
            ),
            models.CheckConstraint(
                condition=(Q(annual_due_month__isnull=True) & Q(annual_due_day__isnull=True))
                | (Q(annual_due_month__range=(1, 12)) & Q(annual_due_day__range=(1, 31))),
                name="treaty_obligation_annual_due_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.treaty.code} Art. {self.article}"

    def terms(self) -> ObligationTerms:
        annual_due = None
        if self.annual_due_month and self.annual_due_day:
            annual_due = (self.annual_due_month, self.annual_due_day)
        return ObligationTerms(
            code=self.code,
            article=self.article,
            kind=ObligationKind(self.kind),
            period_months=self.period_months,
            period_days=self.period_days,
            extendable=self.extendable,
            max_extension_months=self.max_extension_months,
            annual_due=annual_due,
        )


class DepositaryAction(Sourced):
    """One action of a State under a treaty, as the depositary records it."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", "Signature"
        CONSENT = "consent", "Consent to be bound"
        PROVISIONAL_APPLICATION = "provisional_application", "Provisional application"
        DECLARATION = "declaration", "Declaration"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        # Communications that are not withdrawals, e.g. a declared "suspension".
        NOTIFICATION = "notification", "Other notification"

    class ConsentType(models.TextChoices):
        RATIFICATION = "ratification", "Ratification"
        ACCEPTANCE = "acceptance", "Acceptance"
        APPROVAL = "approval", "Approval"
        ACCESSION = "accession", "Accession"
        SUCCESSION = "succession", "Succession"
        # A treaty with no signature stage (a CCW protocol): the UN marks it "P".
        CONSENT = "consent", "Consent to be bound"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="depositary_actions")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="depositary_actions")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    action_date = models.DateField(
        null=True,
        blank=True,
        help_text="Signature date, deposit date, or the day the depositary received the notice. "
        "Empty only for an instrument of consent whose date is not on record (see known_by).",
    )
    known_by = models.DateField(
        null=True,
        blank=True,
        help_text="An instrument of consent whose date is not on record: the date a source "
        "listed the State as bound.",
    )
    consent_type = models.CharField(max_length=16, choices=ConsentType.choices, blank=True)
    effective_date = models.DateField(
        null=True,
        blank=True,
        help_text="Succession: the date the State is bound from. Withdrawal: the date it takes effect.",
    )
    effective_date_pending_reason = models.TextField(
        blank=True,
        max_length=CITATION_MAX_LENGTH,
        help_text="Withdrawal: why the effective date is not yet determined (Art. 20(3) armed conflict).",
    )
    text = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, help_text="Declaration or notification text."
    )
    depositary_reference = models.CharField(
        max_length=100, blank=True, help_text="Depositary notification, e.g. C.N.123.2025.TREATIES-XXVI.5"
    )

    history = HistoricalRecords()

    class Meta:
        # An action whose date is not on record sorts last, on every database.
        ordering = ["country__name", models.F("action_date").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "treaty", "kind"],
                condition=Q(kind="signature"),
                name="depositary_action_one_signature_per_state_treaty",
                violation_error_message="This State already signed this treaty.",
            ),
            # A State that withdrew may join again: several instruments and withdrawals, one
            # per participation (the services check their order), never two on one day.
            models.UniqueConstraint(
                fields=["country", "treaty", "kind", "action_date"],
                condition=Q(kind__in=["consent", "withdrawal"]),
                name="depositary_action_one_per_state_treaty_day",
                violation_error_message="This State already has such an action for this treaty on that day.",
            ),
            models.CheckConstraint(
                # A consent whose date is not on record may lack its type too (CCW APII roster).
                condition=(Q(kind="consent") & (~Q(consent_type="") | Q(action_date__isnull=True)))
                | (~Q(kind="consent") & Q(consent_type="")),
                name="depositary_action_consent_type_iff_consent",
                violation_error_message="An instrument of consent needs its type; other actions have none.",
            ),
            models.CheckConstraint(
                condition=(Q(action_date__isnull=False) & Q(known_by__isnull=True))
                | (Q(action_date__isnull=True) & Q(kind="consent") & Q(known_by__isnull=False)),
                name="depositary_action_date_or_known_by",
                violation_error_message="Give the action's date; only an instrument of consent whose "
                "date is not on record may instead give the date a source listed it (known_by).",
            ),
            models.CheckConstraint(
                condition=Q(effective_date__isnull=True)
                | Q(kind="withdrawal")
                | Q(kind="consent", consent_type="succession"),
                name="depositary_action_effective_date_kinds",
                violation_error_message="Only a succession or a withdrawal carries an effective date.",
            ),
            models.CheckConstraint(
                condition=Q(effective_date__isnull=True)
                | ~Q(kind="withdrawal")
                | Q(effective_date__gt=models.F("action_date")),
                name="depositary_action_withdrawal_effective_after_notice",
                violation_error_message="A withdrawal takes effect after its notice is received.",
            ),
            models.CheckConstraint(
                condition=Q(effective_date_pending_reason="")
                | Q(kind="withdrawal", effective_date__isnull=True),
                name="depositary_action_pending_reason_only_open_withdrawal",
                violation_error_message="Only a withdrawal without an effective date can give a reason.",
            ),
        ]
        indexes = [
            # Serves the participant table and the status counts: all actions of one treaty.
            models.Index(fields=["treaty", "kind"], name="depositary_action_treaty_kind"),
        ]

    def __str__(self) -> str:
        when = self.action_date or f"date not on record, known by {self.known_by}"
        return f"{self.country.iso3} {self.treaty.code} {self.kind} {when}"


# --- The policy record: meetings, UN General Assembly votes, policy facts ---------------------
#
# Facts about States and treaties that are not the depositary's: what a State did at the
# treaty's meetings, how it voted on the General Assembly's annual resolution, and what is
# known of its policy, production, stockpiles, transfers and use. Editors write them through
# ``states.policy`` (validated, attributed, sourced, with history), like every other record.


class Meeting(Sourced):
    """A Meeting of the States Parties, a Review Conference or an intersessional meeting."""

    class Kind(models.TextChoices):
        MEETING_OF_STATES_PARTIES = "msp", "Meeting of the States Parties"
        REVIEW_CONFERENCE = "review_conference", "Review Conference"
        INTERSESSIONAL = "intersessional", "Intersessional meeting"
        OTHER = "other", "Other meeting"

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="meetings")
    code = models.CharField(
        max_length=32, help_text='As the treaty community cites it, e.g. "10MSP" or "2RC".'
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    documents = models.JSONField(
        default=list, blank=True, help_text="Document symbols or URLs (final report, decisions...)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty__position", "start_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "code"],
                name="meeting_code_unique_per_treaty",
                violation_error_message="This treaty already has a meeting with this code.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
                violation_error_message="A meeting cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.start_date.year})"


class MeetingAttendance(Sourced):
    """How a State took part in one meeting (from the participants' list), and what it said."""

    class Attendance(models.TextChoices):
        STATE_PARTY = "state_party", "Attended as a State Party"
        OBSERVER = "observer", "Attended as an observer"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    class StatementKind(models.TextChoices):
        NONE = "", "No statement recorded"
        TEXT = "text", "Text of the statement"
        SUMMARY = "summary", "Summary of the statement"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="meeting_attendance")
    attendance = models.CharField(max_length=16, choices=Attendance.choices)
    statement_kind = models.CharField(max_length=16, choices=StatementKind.choices, blank=True)
    statement = models.TextField(blank=True, help_text="The statement's text, or a summary of it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__start_date", "country__name"]
        verbose_name_plural = "meeting attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country"],
                name="meeting_attendance_one_per_state",
                violation_error_message="This State's attendance at this meeting is already on record.",
            ),
            models.CheckConstraint(
                condition=(Q(statement_kind="") & Q(statement=""))
                | (~Q(statement_kind="") & ~Q(statement="")),
                name="meeting_attendance_statement_with_kind",
                violation_error_message="A statement says whether it is the text or a summary, and has one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} at {self.meeting.code}: {self.attendance}"


class UNGAResolution(Sourced):
    """One of the General Assembly's annual resolutions supporting a treaty, as adopted."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="unga_resolutions")
    symbol = models.CharField(
        max_length=32, unique=True, help_text='As in the UN record, e.g. "A/RES/65/48".'
    )
    title = models.CharField(max_length=300, blank=True)
    adopted_on = models.DateField()
    # The totals the record states; the votes below add up to them (the loader checks).
    in_favour = models.PositiveSmallIntegerField()
    against = models.PositiveSmallIntegerField()
    abstaining = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["adopted_on", "symbol"]
        verbose_name = "UN General Assembly resolution"

    def __str__(self) -> str:
        return self.symbol

    @property
    def year(self) -> int:
        return self.adopted_on.year


class UNGAVote(Sourced):
    """A UN Member State's vote on one resolution. A State that was not a member that day has
    no vote (not an absence). A vote cast under a former seat of the same State (Serbia's:
    Yugoslavia, Serbia and Montenegro) is on that State's record with the seat named."""

    class Choice(models.TextChoices):
        YES = "yes", "In favour"
        NO = "no", "Against"
        ABSTAIN = "abstain", "Abstained"
        ABSENT = "absent", "Did not vote"

    resolution = models.ForeignKey(UNGAResolution, on_delete=models.PROTECT, related_name="votes")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="unga_votes")
    vote = models.CharField(max_length=8, choices=Choice.choices)
    seat_code = models.CharField(
        max_length=3, blank=True, help_text="Former seat's ISO code, e.g. \"YUG\"; empty for the State's own."
    )
    seat_name = models.CharField(
        max_length=100, blank=True, help_text='Former seat, e.g. "Yugoslavia"; empty for the State\'s own.'
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution__adopted_on", "country__name"]
        verbose_name = "UN General Assembly vote"
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "country"],
                name="unga_vote_one_per_state",
                violation_error_message="This State's vote on this resolution is already on record.",
            ),
            models.CheckConstraint(
                condition=(Q(seat_code="") & Q(seat_name="")) | (~Q(seat_code="") & ~Q(seat_name="")),
                name="unga_vote_seat_code_with_name",
                violation_error_message="A former seat has both its code and its name.",
            ),
        ]
        indexes = [models.Index(fields=["country", "resolution"], name="unga_vote_country")]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.vote} on {self.resolution.symbol}"


class PolicyFact(Sourced):
    """A dated, sourced statement about a State's policy, production, stockpile, transfers or
    use of anti-personnel mines. ``dated`` is as precise as the source ("2004", "2004-11",
    "2004-02-27"); ``known_from``, the last day it allows, is when the fact is on record."""

    class Topic(models.TextChoices):
        POLICY = "policy", "Policy"
        PRODUCTION = "production", "Production"
        STOCKPILE = "stockpile", "Stockpiles"
        TRANSFER = "transfer", "Transfers"
        USE = "use", "Use"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="policy_facts")
    topic = models.CharField(max_length=16, choices=Topic.choices)
    dated = models.CharField(
        max_length=10, help_text="When the fact held or was stated: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    known_from = models.DateField(editable=False, help_text="The last day ``dated`` allows.")
    statement = models.TextField()
    quantity = models.PositiveBigIntegerField(null=True, blank=True, help_text="A figure the source gives.")
    unit = models.CharField(
        max_length=100, blank=True, help_text='What the figure counts, e.g. "antipersonnel mines".'
    )
    reference_key = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Set by the reference data loader (file and row); empty for editors' facts.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "topic", "known_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | ~Q(unit=""),
                name="policy_fact_quantity_with_unit",
                violation_error_message="A figure says what it counts (unit).",
            ),
        ]
        indexes = [models.Index(fields=["country", "known_from"], name="policy_fact_country_date")]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.topic} {self.dated}"
