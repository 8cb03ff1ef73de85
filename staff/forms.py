"""Forms of the staff pages: they type input; the services decide."""

from __future__ import annotations

from django import forms

from credits import rules
from credits.forms import DateInput
from credits.membership_selectors import MembershipFilter
from credits.models import STAFF_DECISIONS, PatientSafetyKind, ReviewStatus
from members.models import Member, MembershipType, Standing


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


def _year_choices(today) -> list[tuple[str, str]]:
    """The years a cycle may end in on the overview and the list: three back, three ahead."""
    years = range(today.year - 3, today.year + 4)
    return [("", f"{today.year} and {today.year + 1}"), *((str(y), str(y)) for y in years)]


BODY_CHOICES = [
    ("", "Any body"),
    ("asps", "ASPS members"),
    ("asaps", "ASAPS members"),
    ("abps", "ABPS diplomates"),
]
REQUIREMENT_CHOICES = [
    ("", "Any requirement"),
    ("total", "Total"),
    ("category_1", "Category 1"),
    ("plastic_surgery", "Plastic surgery"),
    ("patient_safety", "Patient safety"),
]
SORT_CHOICES = [("days_left", "Days left, fewest first"), ("deficit", "Deficit, largest first")]


class OverviewForm(forms.Form):
    """The overview's one choice: the year the members' cycles end in."""

    year = forms.ChoiceField(required=False, label="Cycles ending in")

    def __init__(self, *args, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(today)

    def years(self) -> tuple[int, ...]:
        """The chosen year, or () for the default (this year and next)."""
        year = self.cleaned_data.get("year") if self.is_valid() else ""
        return (int(year),) if year else ()


class MembershipFilterForm(OverviewForm):
    """The at-risk list's filters (typing only; the selector applies them)."""

    status = forms.ChoiceField(
        required=False,
        label="Verdict",
        choices=[("", "Any verdict"), *((p.value, p.label) for p in rules.Pace)],
    )
    ends_within_days = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label="Cycle ends within (days)"
    )
    requirement = forms.ChoiceField(required=False, label="Short of", choices=REQUIREMENT_CHOICES)
    membership_type = forms.ChoiceField(
        required=False,
        label="Membership",
        choices=[("", "Active Members and Candidates"), *MembershipType.choices],
    )
    state = forms.CharField(required=False, max_length=100, label="State")
    body = forms.ChoiceField(required=False, label="Body", choices=BODY_CHOICES)
    standing = forms.ChoiceField(
        required=False, label="Standing", choices=[("", "Any standing"), *Standing.choices]
    )
    pending_only = forms.BooleanField(
        required=False, label="Only verdicts that depend on claims under review"
    )
    sort = forms.ChoiceField(required=False, label="Sort by", choices=SORT_CHOICES)

    def chosen(self) -> MembershipFilter:
        """The filter the selector applies; nothing but the year when the form is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return MembershipFilter(
            years=self.years(),
            ends_within_days=data.get("ends_within_days"),
            requirement=data.get("requirement", ""),
            status=data.get("status", ""),
            membership_type=data.get("membership_type", ""),
            state=(data.get("state") or "").strip(),
            body=data.get("body", ""),
            standing=data.get("standing", ""),
            pending_only=bool(data.get("pending_only")),
            sort=data.get("sort") or "days_left",
        )


class ProjectionForm(forms.Form):
    within_days = forms.IntegerField(
        required=False, min_value=1, max_value=1100, initial=365, label="Within (days)"
    )
    to = forms.ChoiceField(
        required=False,
        label="Next step",
        choices=[
            ("", "Any step"),
            (Standing.PROBATION, "Goes on probation"),
            (Standing.SUSPENDED, "Is suspended"),
            (Standing.DROPPED, "Is dropped"),
        ],
    )
