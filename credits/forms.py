"""The submission form: it types what the member entered and, so that every mistake shows at
once, asks the checks of one entry (credits.entry_checks) about the rest before the service
checks them again when it writes (credits.services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from credits import pending_certificates, rules
from credits.entry_checks import (
    CERTIFICATE_MAX_BYTES,
    ENTRY_FIELDS,
    check_certificate,
    validate_values,
)
from credits.models import (
    ActivityType,
    ApprovedActivity,
    Category,
    ContentArea,
    PatientSafetyKind,
    TracerProcedure,
)

CREDITS_WIDGET = {"step": "0.25", "min": "0", "inputmode": "decimal"}


def credits_field(
    label: str, help_text: str = "", initial: int | None = None
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        initial=initial,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs=CREDITS_WIDGET),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CreditEntryForm(forms.Form):
    title = forms.CharField(label="Title of activity", max_length=255)
    activity_type = forms.ChoiceField(
        label="Type of activity", choices=[("", "Choose…"), *ActivityType.choices]
    )
    category = forms.TypedChoiceField(
        label="CME category",
        coerce=int,
        choices=[("", "Choose…"), *Category.choices],
        help_text="Teaching, posters, published articles, advanced degrees and board "
        "certification are Category 1 only when awarded directly by the AMA.",
    )
    provider = forms.CharField(
        label="Accredited provider",
        required=False,
        max_length=200,
        help_text="As in the activity's accreditation statement (\"… is accredited by the "
        'ACCME …"). Leave empty for Category 2 (N/A). Credits from ASPS, CSPS, NWSPPS and '
        "SESPPRS activities arrive automatically: don't enter those.",
        widget=forms.TextInput(attrs={"list": "known-providers", "autocomplete": "off"}),
    )
    start_date = forms.DateField(label="Start date", widget=DateInput())
    end_date = forms.DateField(label="End date", widget=DateInput())
    credits = credits_field("CME credits", "In steps of 0.25, as on your certificate.")
    plastic_surgery_credits = credits_field(
        "Plastic surgery credits",
        "Enter 0 if you have not earned any plastic surgery credits.",
        initial=0,
    )
    patient_safety_credits = credits_field(
        "Patient safety credits",
        "Enter 0 if you have not earned any patient safety credits.",
        initial=0,
    )
    patient_safety_kind = forms.ChoiceField(
        label="Patient safety topic",
        required=False,
        choices=PatientSafetyKind.choices,
        initial=PatientSafetyKind.GENERAL,
        help_text="Quality assurance, device training, research and accreditation workshops "
        "count at most 5 credits each per cycle.",
    )
    city = forms.CharField(label="City", max_length=100, help_text="Your home city is acceptable.")
    state = forms.CharField(
        label="State",
        max_length=100,
        required=False,
        help_text="Required in the United States. Your home state is acceptable.",
    )
    country = forms.CharField(label="Country", max_length=100)
    certificate = forms.FileField(
        label="Certificate (optional)",
        required=False,
        help_text="PDF, JPEG or PNG, up to 10 MB. Keep your certificates: documentation may be "
        "requested.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    activity = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    content_areas = forms.MultipleChoiceField(
        label="Content areas (optional)",
        required=False,
        choices=ContentArea.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the activity covered. An activity from the catalogue fills these in.",
    )
    confirm_duplicate = forms.BooleanField(
        label="Yes, record it again: I attended this activity twice.", required=False
    )

    # The certificate chosen on an earlier try that failed (credits.pending_certificates).
    PENDING_FIELD = "pending_certificate"
    DROP_PENDING_FIELD = "pending_certificate_drop"
    PENDING_GONE = "The certificate you chose before is no longer kept: choose it again."

    def __init__(self, *args: object, user: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.pending: pending_certificates.PendingCertificate | None = None
        self.replaced: pending_certificates.PendingCertificate | None = None
        self.fields["certificate"].widget.attrs["data-max-bytes"] = str(CERTIFICATE_MAX_BYTES)

    def mark_read(self, marks: dict[str, str]) -> None:
        """Mark the fields filled from the member's certificate ("read", or "check" when the
        reading was unsure): the field's label says so (templates/forms/field.html)."""
        for name, mark in marks.items():
            if name in self.fields:
                self.fields[name].read_mark = mark

    def clean_certificate(self) -> object:
        """A new file is checked here, with the other fields (one pass, every error at once);
        without one, the file kept from the last try (bound to this user, not expired)."""
        upload = self.cleaned_data.get("certificate")
        token = self.data.get(self.PENDING_FIELD)
        if upload:
            if token and self.user is not None:  # replaced: the view discards the old file
                self.replaced = pending_certificates.find(user=self.user, token=str(token))
            try:
                check_certificate(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["certificate"]) from None
            return upload
        if token and not self.data.get(self.DROP_PENDING_FIELD):
            found = None
            if self.user is not None:
                found = pending_certificates.find(user=self.user, token=str(token))
            if found is None:
                raise ValidationError(self.PENDING_GONE, code="pending_gone")
            self.pending = found
        return None

    def clean(self) -> dict:
        """Every rule of one entry (credits.entry_checks) on what was typed, so that all the
        mistakes show at once; a field Django already refused keeps its own message."""
        cleaned = super().clean()
        values = {field: cleaned.get(field) for field in ENTRY_FIELDS}
        _, _, problems = validate_values(values, today=timezone.localdate())
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def error_summary(self) -> list[dict]:
        """The errors in the order of the page, each with the id of what it is about."""
        items = [{"anchor": "", "label": "", "message": e} for e in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = "duplicate-warning" if name == "confirm_duplicate" else bound.auto_id
            label = "" if name == "confirm_duplicate" else field.label
            for message in self.errors[name]:
                items.append({"anchor": anchor, "label": label, "message": message})
        return items

    @property
    def entry_values(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("certificate", "confirm_duplicate")
        }

    @property
    def asks_duplicate_confirmation(self) -> bool:
        """Show the confirmation box: the entry repeats one of the member's own (an entry
        that repeats the society's record cannot be confirmed: it already counts)."""
        if self.recorded_by_society_errors:
            return False
        return bool(self.errors.get("confirm_duplicate")) or bool(
            self.data.get("confirm_duplicate")
        )

    @property
    def recorded_by_society_errors(self) -> list:
        errors = self.errors.as_data().get("confirm_duplicate", []) if self.is_bound else []
        return [error.message for error in errors if error.code == "recorded_by_society"]


class CertificateForm(forms.Form):
    """The upload on the entry's page: its ids (``id_upload_certificate``) differ from the edit
    form's on the same page; the field's name stays ``certificate``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "id_upload_%s")
        super().__init__(*args, **kwargs)

    certificate = forms.FileField(
        label="Certificate file",
        help_text="PDF, JPEG or PNG, up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class WindowForm(forms.Form):
    """Which window to show: ``?cycle=current|previous`` or ``?start=YYYY-MM-DD&end=YYYY-MM-DD``.

    Used by the entries list and every format of the CME report (the README's list of pages).
    """

    MAX_YEARS = 10

    cycle = forms.ChoiceField(
        required=False,
        choices=[("current", "Current cycle"), ("previous", "Previous cycle"), ("range", "Dates")],
    )
    start = forms.DateField(required=False, label="From", widget=DateInput())
    end = forms.DateField(required=False, label="To", widget=DateInput())

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if (start is None) != (end is None):
            self.add_error("end" if end is None else "start", "Give both dates of the range.")
        elif start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        elif start and end and (end - start).days > 366 * self.MAX_YEARS:
            self.add_error("end", f"Choose a range of at most {self.MAX_YEARS} years.")
        return cleaned

    def window(self, *, cycle_start: dt.date, today: dt.date) -> rules.Window:
        """The chosen window; the current cycle when nothing (valid) was chosen."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        if cleaned.get("start") and cleaned.get("end"):
            return rules.Window(cleaned["start"], cleaned["end"])
        if cleaned.get("cycle") == "previous":
            return rules.previous_cycle(cycle_start, today)
        return rules.current_cycle(cycle_start, today)


class TracerProcedureForm(forms.Form):
    """A tracer procedure the member completed and the aligned approved activity
    (ABPS Continuous Certification)."""

    procedure = forms.ModelChoiceField(
        label="Tracer procedure",
        queryset=TracerProcedure.objects.none(),
        empty_label="Choose…",
        help_text="From the ABPS list of tracer procedures.",
    )
    completed_on = forms.DateField(label="Date of the procedure", widget=DateInput())
    approved_activity = forms.ModelChoiceField(
        label="Aligned approved educational activity",
        queryset=ApprovedActivity.objects.none(),
        required=False,
        empty_label="None yet",
        help_text="An ABPS-approved course or article aligned with this procedure. It counts "
        "when completed within the three years before the 1 December deadline of year 3 or 6.",
    )
    activity_completed_on = forms.DateField(
        label="Date you completed the activity", required=False, widget=DateInput()
    )

    def __init__(
        self,
        *args: object,
        procedures: QuerySet[TracerProcedure],
        activities: QuerySet[ApprovedActivity],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["approved_activity"].queryset = activities
        # "Rhinoplasty — Course: Nasal Airway (ASPS)": the member sees what each aligns with.
        self.fields["approved_activity"].label_from_instance = lambda activity: (
            f"{activity.tracer_procedure.name} — {activity.get_format_display()}: "
            f"{activity.title}" + (f" ({activity.offered_by})" if activity.offered_by else "")
        )
