"""Output serializers of the read API. They only shape data the selectors computed."""

from typing import Any

from rest_framework import serializers

from states.models import Country, Treaty, TreatyObligation
from states.selectors import Participation


class CountrySerializer(serializers.ModelSerializer[Country]):
    class Meta:
        model = Country
        fields = [
            "iso3", "iso2", "m49_code", "name", "formal_name", "region", "sub_region",
            "intermediate_region", "un_member", "latitude", "longitude",
        ]  # fmt: skip


class TreatyObligationSerializer(serializers.ModelSerializer[TreatyObligation]):
    class Meta:
        model = TreatyObligation
        fields = [
            "code", "article", "title", "kind", "period_months", "period_days", "extendable",
            "max_extension_months", "annual_due_month", "annual_due_day", "description",
        ]  # fmt: skip


class TreatySerializer(serializers.ModelSerializer[Treaty]):
    obligations = TreatyObligationSerializer(source="obligation_terms", many=True, read_only=True)

    class Meta:
        model = Treaty
        fields = [
            "code", "short_name", "name", "adopted_on", "opened_for_signature_on",
            "signature_closed_on", "entry_into_force", "eif_threshold", "eif_rule", "eif_months",
            "withdrawal_notice_months", "withdrawal_armed_conflict_clause", "depositary",
            "text_url", "notes", "obligations",
        ]  # fmt: skip


class ParticipationSerializer(serializers.Serializer[Participation]):
    """One State's participation in one treaty, with its status on ``as_of``.

    ``art4_deadline`` and friends name the article of *this* treaty: the original,
    unextended deadlines computed from entry into force.
    """

    iso3 = serializers.CharField(source="country.iso3")
    state = serializers.CharField(source="country.name")
    region = serializers.CharField(source="country.region")
    treaty = serializers.CharField(source="treaty.code")
    signature_date = serializers.SerializerMethodField()
    consent_date = serializers.SerializerMethodField()
    consent_type = serializers.SerializerMethodField()
    succession_effective_date = serializers.SerializerMethodField()
    consent_known_by = serializers.SerializerMethodField(
        help_text="A consent whose date is not on record: the date a source listed the State as bound."
    )
    entry_into_force = serializers.DateField(allow_null=True)
    entry_into_force_basis = serializers.CharField()
    withdrawal_notice_date = serializers.SerializerMethodField()
    withdrawal_effective_date = serializers.SerializerMethodField()
    withdrawal_pending_reason = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()
    art4_deadline = serializers.SerializerMethodField()
    art5_deadline = serializers.SerializerMethodField()
    art7_initial_report_due = serializers.SerializerMethodField()
    original_deadlines = serializers.SerializerMethodField()
    unverified = serializers.ListField(child=serializers.CharField())
    sources = serializers.SerializerMethodField()

    def _as_of(self) -> Any:
        return self.context["as_of"]

    def get_signature_date(self, p: Participation) -> Any:
        return p.signature.action_date if p.signature else None

    def get_consent_date(self, p: Participation) -> Any:
        return p.consent.action_date if p.consent else None

    def get_consent_type(self, p: Participation) -> str | None:
        return (p.consent.consent_type or None) if p.consent else None

    def get_consent_known_by(self, p: Participation) -> Any:
        return p.consent.known_by if p.consent else None

    def get_succession_effective_date(self, p: Participation) -> Any:
        return p.consent.effective_date if p.consent else None

    def get_withdrawal_notice_date(self, p: Participation) -> Any:
        return p.withdrawal.action_date if p.withdrawal else None

    def get_withdrawal_effective_date(self, p: Participation) -> Any:
        return p.withdrawal.effective_date if p.withdrawal else None

    def get_withdrawal_pending_reason(self, p: Participation) -> str | None:
        return (p.withdrawal.effective_date_pending_reason or None) if p.withdrawal else None

    def get_status(self, p: Participation) -> str:
        return p.status(self._as_of()).value

    def get_status_label(self, p: Participation) -> str:
        return p.status(self._as_of()).label

    def get_as_of(self, p: Participation) -> Any:
        return self._as_of()

    def get_original_deadlines(self, p: Participation) -> dict[str, Any]:
        return p.original_deadlines()

    def get_art4_deadline(self, p: Participation) -> Any:
        return p.original_deadlines().get("art4")

    def get_art5_deadline(self, p: Participation) -> Any:
        return p.original_deadlines().get("art5")

    def get_art7_initial_report_due(self, p: Participation) -> Any:
        return p.original_deadlines().get("art7-initial")

    def get_sources(self, p: Participation) -> list[str]:
        seen: dict[str, None] = {}
        for action in p.actions:
            for url in action.source_urls:
                seen.setdefault(url, None)
        return list(seen)


class StatusCountsSerializer(serializers.Serializer[Any]):
    treaty = serializers.CharField()
    as_of = serializers.DateField()
    states_parties = serializers.IntegerField(help_text="In force for the State and not withdrawn.")
    consented = serializers.IntegerField(
        help_text="Instrument deposited and not withdrawn, including the waiting period."
    )
    waiting_for_entry_into_force = serializers.IntegerField()
    signatories_not_consented = serializers.IntegerField()
    not_signed = serializers.IntegerField(help_text="Under a treaty with a signature stage.")
    not_a_party = serializers.IntegerField(
        help_text="Under a treaty States join without signing first (a CCW protocol): "
        "the States that have not joined it. Zero under a treaty with a signature stage."
    )
    withdrawn = serializers.IntegerField()
    withdrawal_pending = serializers.IntegerField()
    did_not_exist = serializers.IntegerField(
        help_text="States that did not exist yet on as_of: not counted in any figure above."
    )
    unknown = serializers.IntegerField(
        help_text="States whose consent is on record without its date, and as_of is before a source "
        "listed them: the record cannot say. Not counted in any figure above."
    )
    treaty_adopted = serializers.BooleanField(
        help_text="False before the treaty was adopted: it did not exist, every count is zero."
    )
