"""Forms of the staff pages: they type input; the services decide."""

from __future__ import annotations

from django import forms

from credits.forms import DateInput
from credits.models import STAFF_DECISIONS, PatientSafetyKind, ReviewStatus
from members.models import Member, Standing


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *ReviewStatus.choices],
        initial=ReviewStatus.PENDING,
    )
    member = forms.CharField(required=False, label="Member (name, email or ASPS ID)")
    kind = forms.ChoiceField(
        required=False, label="Topic", choices=[("", "Any topic"), *PatientSafetyKind.choices]
    )
    ended_from = forms.DateField(required=False, label="Ended from", widget=DateInput())
    ended_to = forms.DateField(required=False, label="Ended to", widget=DateInput())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(d.value, d.label) for d in STAFF_DECISIONS])
    # The status the reviewer saw: a claim decided meanwhile by someone else is not overturned.
    seen_status = forms.ChoiceField(required=False, choices=ReviewStatus.choices)
    note = forms.CharField(
        required=False,
        label="Note to the member",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to reject or to request documentation.",
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Name, email or ASPS ID")


class DocumentationAuditForm(forms.Form):
    """Ask members for the certificates of their entries in a window: named or sampled."""

    start = forms.DateField(label="Window from", widget=DateInput())
    end = forms.DateField(label="Window to", widget=DateInput())
    asps_ids = forms.CharField(
        required=False,
        label="Members by hand (ASPS IDs)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separated by spaces, commas or new lines. Leave empty to draw a sample.",
    )
    sample_size = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, label="Or a random sample of"
    )
    seed = forms.CharField(
        required=False,
        max_length=50,
        help_text="The same seed draws the same sample again (e.g. 2026-Q4).",
    )
    note = forms.CharField(
        label="Note to the members", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        ids = (cleaned.get("asps_ids") or "").replace(",", " ").split()
        cleaned["asps_id_list"] = ids
        if not ids and not cleaned.get("sample_size"):
            self.add_error("sample_size", "Give ASPS IDs above or the size of a random sample.")
        if cleaned.get("sample_size") and not cleaned.get("seed"):
            self.add_error("seed", "A sample needs a seed, so that it can be drawn again.")
        return cleaned


class StandingOverrideForm(forms.Form):
    standing = forms.ChoiceField(choices=Standing.choices, label="Set standing to")
    note = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Kept in the member's history and emailed to the member.",
    )


class MemberBodiesForm(forms.ModelForm):
    """Which bodies' requirements apply to a member (set by staff or by the roster import)."""

    class Meta:
        model = Member
        fields = [
            "asps_member",
            "asaps_member",
            "abps_certification_year",
            "abps_special_circumstances",
        ]


class InviteStaffForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their login. They get a one-time link to choose a password.",
    )
