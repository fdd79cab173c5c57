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

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="depositary_actions")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="depositary_actions")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    action_date = models.DateField(
        help_text="Signature date, deposit date, or the day the depositary received the notice."
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
        ordering = ["country__name", "action_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "treaty", "kind"],
                condition=Q(kind__in=["signature", "consent", "withdrawal"]),
                name="depositary_action_one_per_state_treaty",
                violation_error_message="This State already has such an action for this treaty.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="consent") & ~Q(consent_type=""))
                | (~Q(kind="consent") & Q(consent_type="")),
                name="depositary_action_consent_type_iff_consent",
                violation_error_message="An instrument of consent needs its type; other actions have none.",
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
        return f"{self.country.iso3} {self.treaty.code} {self.kind} {self.action_date}"
