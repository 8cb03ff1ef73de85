"""The at-risk list's filter as it arrives in the query string of "Remind these members"
(the list's names: ``year`` — empty for this year and next — and the other fields of
:class:`credits.membership_selectors.MembershipFilter`), typed into a filter and described in
words for the preview. Unknown values are errors, not ignored:
staff must never remind a wider group than the list they looked at."""

from __future__ import annotations

from django import forms

from credits import rules
from credits.membership_selectors import BODIES, REQUIREMENTS, SORTS, MembershipFilter
from members.models import MembershipType, Standing

REQUIREMENT_WORDS = {
    "total": "the total",
    "category_1": "AMA PRA Category 1",
    "plastic_surgery": "plastic surgery",
    "patient_safety": "patient safety",
}
BODY_WORDS = {"asps": "ASPS members", "asaps": "ASAPS members", "abps": "ABPS diplomates"}


def _choices(values, words=None) -> list[tuple[str, str]]:
    return [("", "Any")] + [(value, (words or {}).get(value, value)) for value in values]


class MembershipFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    ends_within_days = forms.IntegerField(required=False, min_value=0, max_value=3660)
    requirement = forms.ChoiceField(
        required=False, choices=_choices(REQUIREMENTS, REQUIREMENT_WORDS)
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any")] + [(pace.value, pace.label) for pace in rules.Pace]
    )
    membership_type = forms.ChoiceField(
        required=False, choices=[("", "Any"), *list(MembershipType.choices)]
    )
    state = forms.CharField(required=False, max_length=100)
    body = forms.ChoiceField(required=False, choices=_choices(BODIES, BODY_WORDS))
    standing = forms.ChoiceField(required=False, choices=[("", "Any"), *list(Standing.choices)])
    pending_only = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=_choices(SORTS))

    def chosen(self) -> MembershipFilter:
        values = self.cleaned_data
        return MembershipFilter(
            years=(values["year"],) if values["year"] else (),
            ends_within_days=values["ends_within_days"],
            requirement=values["requirement"],
            status=values["status"],
            membership_type=values["membership_type"],
            state=values["state"].strip(),
            body=values["body"],
            standing=values["standing"],
            pending_only=values["pending_only"],
            sort=values["sort"] or "days_left",
        )


def describe(chosen: MembershipFilter, default_years: tuple[int, ...]) -> list[str]:
    """The filter in words, e.g. ``["Cycle ends in 2026 or 2027", "Short of patient
    safety"]``."""
    years = chosen.years or default_years
    words = [f"Cycle ends in {' or '.join(str(year) for year in years)}"]
    if chosen.ends_within_days is not None:
        words.append(f"Cycle ends within {chosen.ends_within_days} days")
    if chosen.requirement:
        words.append(f"Short of {REQUIREMENT_WORDS[chosen.requirement]}")
    if chosen.status:
        words.append(rules.Pace(chosen.status).label)
    if chosen.membership_type:
        words.append(MembershipType(chosen.membership_type).label)
    if chosen.state:
        words.append(f"State: {chosen.state}")
    if chosen.body:
        words.append(BODY_WORDS[chosen.body])
    if chosen.standing:
        words.append(Standing(chosen.standing).label)
    if chosen.pending_only:
        words.append("Verdict depends on claims under review")
    return words
