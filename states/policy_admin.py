"""Admin for the policy record: meetings, attendance and statements, UN General Assembly
resolutions and votes, policy facts — every save, deletion and revert through
``states.policy`` (``ServiceAdmin``: the service's refusals show as field errors).

Reviewers see every record still unconfirmed in one list ("Unconfirmed records", linked from
each of these lists) and confirm records there, or from a list with the "Confirm with a
source" action: the source is added to the record's and its flags are cleared.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from mineban.admin_support import ServiceAdmin, ServiceForm, error_messages, submitted
from states import policy
from states.models import Meeting, MeetingAttendance, PolicyFact, UNGAResolution, UNGAVote


class ConfirmationFilter(admin.SimpleListFilter):
    title = "confirmation"
    parameter_name = "confirmation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("unconfirmed", "Unconfirmed"), ("confirmed", "Confirmed")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "unconfirmed":
            return queryset.exclude(unverified_fields=[])
        if self.value() == "confirmed":
            return queryset.filter(unverified_fields=[])
        return queryset


class ConfirmForm(forms.Form):
    source_citation = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="The source that confirms the flagged fields.",
    )
    source_urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="One URL a line.",
    )

    def clean_source_urls(self) -> list[str]:
        urls = [line.strip() for line in self.cleaned_data["source_urls"].splitlines() if line.strip()]
        validate = forms.URLField(assume_scheme="https").clean
        return [validate(url) for url in urls]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("source_citation", "").strip() or cleaned.get("source_urls")):
            raise ValidationError("Cite the source that confirms them: a citation, a URL, or both.")
        return cleaned


def confirm_records(
    request: HttpRequest, pairs: list[tuple[policy.RecordKind, models.Model]], form: ConfirmForm
) -> int:
    """Confirm each record through the service; say what was refused. Returns how many."""
    done = 0
    for kind, record in pairs:
        try:
            policy.confirm(
                kind,
                record,
                source_citation=form.cleaned_data["source_citation"],
                source_urls=form.cleaned_data["source_urls"],
                user=request.user,
            )
            done += 1
        except ValidationError as exc:
            messages.error(request, f"{record}: {' '.join(error_messages(exc))}")
    return done


@dataclass
class UnconfirmedGroup:
    """One kind's unconfirmed records on the review page, with links to their change pages."""

    kind: policy.RecordKind
    name: str
    key: str
    records: list[tuple[models.Model, str]] = field(default_factory=list)
    can_confirm: bool = False


def unconfirmed_url() -> str:
    return reverse("admin:states_unconfirmed_records")


class PolicyRecordAdmin(ServiceAdmin):
    """A ``ServiceAdmin`` for one ``states.policy`` kind, with the confirmation filter and
    action."""

    kind: policy.RecordKind
    actions = ["confirm_with_source"]
    change_list_template = "admin/states/policy_change_list.html"

    def get_list_filter(self, request: HttpRequest) -> Any:
        return (*super().get_list_filter(request), ConfirmationFilter)

    @admin.display(boolean=True)
    def confirmed(self, obj: Any) -> bool:
        return bool(obj.confirmed)

    def _reverting_to(self, request: HttpRequest) -> int | None:
        """The version being restored, on the history "revert" page."""
        match = request.resolver_match
        opts = self.model._meta
        if match is None or match.url_name != f"{opts.app_label}_{opts.model_name}_simple_history":
            return None
        return int(match.kwargs.get("version_id") or match.args[1])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and self._reverting_to(request) is not None:
            return [f.name for f in self.model._meta.concrete_fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def service_write(
        self, request: HttpRequest, form: "forms.ModelForm[Any]", existing: models.Model | None
    ) -> Any:
        facts = submitted(form, self.kind.facts)
        if existing is None:
            identity = submitted(form, self.kind.identity)
            return policy.record(self.kind, user=request.user, **identity, **facts)
        version = self._reverting_to(request)
        if version is not None:
            return policy.revert(self.kind, existing, version, user=request.user)
        return policy.update(self.kind, existing, user=request.user, **facts)

    def service_delete(self, request: HttpRequest, obj: Any) -> None:
        policy.delete(self.kind, obj, user=request.user)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        extra = {"unconfirmed_url": unconfirmed_url(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    @admin.action(permissions=["change"], description="Confirm with a source")
    def confirm_with_source(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        form = ConfirmForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = confirm_records(request, [(self.kind, record) for record in queryset], form)
            self.message_user(
                request, f"Confirmed {done} record{'s' if done != 1 else ''}.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/states/confirm_with_source.html",
            {
                **self.admin_site.each_context(request),
                "title": "Confirm with a source",
                "opts": self.model._meta,
                "records": list(queryset),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


def _form(model: type[models.Model], kind: policy.RecordKind) -> type[ServiceForm]:
    fields = [name for name in kind.fields if name != "reference_key"]
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Form", (ServiceForm,), {"Meta": meta})


@admin.register(Meeting)
class MeetingAdmin(PolicyRecordAdmin):
    kind = policy.MEETING
    form = _form(Meeting, policy.MEETING)
    list_display = ["code", "name", "treaty", "kind", "start_date", "end_date", "place", "confirmed"]
    list_filter = ["treaty", "kind"]
    search_fields = ["code", "name", "place"]
    list_select_related = ["treaty"]
    date_hierarchy = "start_date"
    identity_fields = ("treaty", "code")
    history_list_display = ["start_date", "end_date", "place"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(PolicyRecordAdmin):
    kind = policy.ATTENDANCE
    form = _form(MeetingAttendance, policy.ATTENDANCE)
    list_display = ["meeting", "country", "attendance", "statement_kind", "confirmed"]
    list_filter = ["meeting__treaty", "attendance", "statement_kind"]
    search_fields = ["country__name", "country__iso3", "meeting__code", "statement"]
    list_select_related = ["meeting", "country"]
    autocomplete_fields = ["country"]
    identity_fields = ("meeting", "country")


@admin.register(UNGAResolution)
class UNGAResolutionAdmin(PolicyRecordAdmin):
    kind = policy.RESOLUTION
    form = _form(UNGAResolution, policy.RESOLUTION)
    list_display = ["symbol", "adopted_on", "in_favour", "against", "abstaining", "treaty", "confirmed"]
    list_filter = ["treaty"]
    search_fields = ["symbol", "title"]
    list_select_related = ["treaty"]
    identity_fields = ("treaty", "symbol")


@admin.register(UNGAVote)
class UNGAVoteAdmin(PolicyRecordAdmin):
    kind = policy.VOTE
    form = _form(UNGAVote, policy.VOTE)
    list_display = ["resolution", "country", "vote", "seat_name", "confirmed"]
    list_filter = ["vote", "resolution"]
    search_fields = ["country__name", "country__iso3", "resolution__symbol", "seat_name"]
    list_select_related = ["resolution", "country"]
    autocomplete_fields = ["country"]
    identity_fields = ("resolution", "country")
    list_per_page = 100


@admin.register(PolicyFact)
class PolicyFactAdmin(PolicyRecordAdmin):
    kind = policy.POLICY_FACT
    form = _form(PolicyFact, policy.POLICY_FACT)
    list_display = ["country", "topic", "dated", "short_statement", "quantity", "unit", "confirmed"]
    list_filter = ["topic"]
    search_fields = ["country__name", "country__iso3", "statement", "source_citation"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    identity_fields = ("country",)
    bookkeeping_fields = (
        "known_from",
        "reference_key",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    )

    @admin.display(description="statement")
    def short_statement(self, obj: PolicyFact) -> str:
        return obj.statement if len(obj.statement) <= 90 else obj.statement[:89] + "…"

    def get_urls(self) -> list[URLPattern]:
        review = path(
            "unconfirmed/",
            self.admin_site.admin_view(self.unconfirmed_view),
            name="states_unconfirmed_records",
        )
        return [review, *super().get_urls()]

    def unconfirmed_view(self, request: HttpRequest) -> HttpResponse:
        """Every record of the policy record still unconfirmed, in one list; confirm the
        ones checked with one source."""
        groups = []
        for kind in policy.KINDS:
            opts = kind.model._meta
            if not request.user.has_perm(f"states.view_{opts.model_name}"):
                continue
            records = list(kind.model._default_manager.exclude(unverified_fields=[]))
            groups.append(
                UnconfirmedGroup(
                    kind=kind,
                    name=str(opts.verbose_name_plural),
                    key=str(opts.model_name),
                    records=[
                        (record, reverse(f"admin:states_{opts.model_name}_change", args=[record.pk]))
                        for record in records
                    ],
                    can_confirm=request.user.has_perm(f"states.change_{opts.model_name}"),
                )
            )
        form = ConfirmForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            chosen = set(request.POST.getlist("record"))
            pairs = [
                (group.kind, record)
                for group in groups
                if group.can_confirm
                for record, _ in group.records
                if f"{group.key}:{record.pk}" in chosen
            ]
            if not pairs:
                messages.warning(request, "Check the records to confirm.")
            else:
                done = confirm_records(request, pairs, form)
                messages.success(request, f"Confirmed {done} record{'s' if done != 1 else ''}.")
                return HttpResponseRedirect(request.path)
        return TemplateResponse(
            request,
            "admin/states/unconfirmed_records.html",
            {
                **self.admin_site.each_context(request),
                "title": "Unconfirmed records",
                "groups": groups,
                "total": sum(len(group.records) for group in groups),
                "form": form,
            },
        )
