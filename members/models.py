"""Who: the login (``User``, email only) and the society's ``Member`` profile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from members import formatting
from members.validators import ASPS_ID_MAX_LENGTH, ASPS_ID_RULE, validate_asps_id


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra)
        # None gives an unusable password: the member sets one through an invitation link.
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Email is the username; there is no other username anywhere."""

    email = models.EmailField("email address", max_length=254, unique=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can open the staff pages and the admin."
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField("date joined", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        member = getattr(self, "member", None)
        return member.full_name if member else self.email

    def get_short_name(self) -> str:
        member = getattr(self, "member", None)
        return member.first_name if member else self.email


class MembershipType(models.TextChoices):
    """The roster's ``membership_type`` codes (docs/imports.md)."""

    ACTIVE = "active", "ASPS Active Member"
    CANDIDATE = "candidate", "Candidate for Membership"
    RESIDENT = "resident", "Resident Member"
    LIFE = "life", "Life Member"
    AFFILIATE = "affiliate", "Affiliate Member"
    INTERNATIONAL = "international", "International Member"


# The ASPS CME policy (docs/rules.md): "All ASPS Active Members and Candidates for
# Membership must earn 150 credits"; other membership types see their progress, never flagged.
MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT = frozenset(
    {MembershipType.ACTIVE, MembershipType.CANDIDATE}
)


class Standing(models.TextChoices):
    """docs/rules.md: good → probation → suspended → dropped."""

    # The labels live with the other words of the pages (members.formatting).
    GOOD = "good", formatting.STANDING_LABELS["good"]
    PROBATION = "probation", formatting.STANDING_LABELS["probation"]
    SUSPENDED = "suspended", formatting.STANDING_LABELS["suspended"]
    DROPPED = "dropped", formatting.STANDING_LABELS["dropped"]


# The ABPS was founded in 1937; a year far ahead is a typing mistake.
FIRST_ABPS_CERTIFICATION_YEAR = 1937
LAST_ABPS_CERTIFICATION_YEAR = 2100


class Member(models.Model):
    """A society member: the person whose CME is tracked."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member")
    asps_id = models.CharField(
        "ASPS ID",
        max_length=ASPS_ID_MAX_LENGTH,
        unique=True,
        validators=[validate_asps_id],
        help_text=f"{ASPS_ID_RULE[0].upper()}{ASPS_ID_RULE[1:]}.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(
        max_length=100, blank=True, help_text='Post-nominal letters, e.g. "MD, FACS".'
    )
    membership_type = models.CharField(
        max_length=20, choices=MembershipType.choices, default=MembershipType.ACTIVE
    )
    joined_on = models.DateField()
    cycle_start = models.DateField(
        help_text="First day of the member's first 3-year CME cycle; cycles follow on from it."
    )
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True, default="United States")
    standing = models.CharField(max_length=20, choices=Standing.choices, default=Standing.GOOD)
    standing_since = models.DateField(null=True, blank=True)
    # The days the standing job has judged this member, first and last (README "Nightly
    # jobs"): a run as of a day in between changes nothing; an earlier day recomputes.
    standing_judged_from = models.DateField(null=True, blank=True, editable=False)
    standing_judged_to = models.DateField(null=True, blank=True, editable=False)

    # Which bodies' requirements apply (docs/rules.md). Set by staff or the roster.
    asps_member = models.BooleanField(
        "ASPS member", default=True, help_text="Held to the ASPS membership CME requirements."
    )
    asaps_member = models.BooleanField(
        "ASAPS member",
        default=False,
        help_text="Also held to the ASAPS requirements (the same numbers as ASPS).",
    )
    abps_certification_year = models.PositiveSmallIntegerField(
        "ABPS certification year",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(FIRST_ABPS_CERTIFICATION_YEAR),
            MaxValueValidator(LAST_ABPS_CERTIFICATION_YEAR),
        ],
        help_text="Empty: not an ABPS diplomate. Year 1 of the 10-year Continuous "
        "Certification cycle.",
    )
    abps_special_circumstances = models.BooleanField(
        "ABPS Special Circumstances",
        default=False,
        help_text="Approved by the Board under the Diplomates with Special Circumstances "
        "policy: an approved patient-safety activity in years 3, 6 and 9.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(abps_special_circumstances=False)
                | models.Q(abps_certification_year__isnull=False),
                name="member_special_circumstances_needs_diplomate",
            ),
            models.CheckConstraint(
                condition=models.Q(abps_certification_year__isnull=True)
                | models.Q(
                    abps_certification_year__gte=FIRST_ABPS_CERTIFICATION_YEAR,
                    abps_certification_year__lte=LAST_ABPS_CERTIFICATION_YEAR,
                ),
                name="member_abps_certification_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.asps_id})"

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name}, {self.credentials}" if self.credentials else name

    @property
    def is_held_to_the_requirement(self) -> bool:
        return self.membership_type in MEMBERSHIP_TYPES_HELD_TO_THE_REQUIREMENT

    @property
    def is_abps_diplomate(self) -> bool:
        return self.abps_certification_year is not None

    def clean(self) -> None:
        super().clean()
        if self.abps_special_circumstances and not self.is_abps_diplomate:
            raise ValidationError(
                {
                    "abps_special_circumstances": "Only ABPS diplomates come under the Special "
                    "Circumstances policy: give the certification year too."
                }
            )


class StandingChange(models.Model):
    """Every change of standing: from, to, when, why, and by whom (docs/rules.md)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="standing_changes")
    from_standing = models.CharField(max_length=20, choices=Standing.choices)
    to_standing = models.CharField(max_length=20, choices=Standing.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the nightly standing job made the change.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [
            # The job is idempotent: the same step on the same day is recorded once.
            models.UniqueConstraint(
                fields=["member", "to_standing", "effective_on"],
                condition=models.Q(changed_by__isnull=True),
                name="standing_change_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_standing} → {self.to_standing} on {self.effective_on}"

    @property
    def is_override(self) -> bool:
        return self.changed_by_id is not None


class ReminderSent(models.Model):
    """A cycle-end reminder, sent at most once per member, cycle and lead time."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reminders")
    cycle_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "cycle_end", "days_before"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.days_before} days before {self.cycle_end} to {self.member}"


class AuditEvent(models.Model):
    """One line of the security log: who did what, when and from where (logins, two-factor
    changes, staff decisions, imports and standing changes). Written once, never edited; never
    a password or token."""

    class Action(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Login failed"
        LOGOUT = "logout", "Logged out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        MFA_ADDED = "mfa_added", "Two-factor method added"
        MFA_REMOVED = "mfa_removed", "Two-factor method removed"
        REVIEW_DECISION = "review_decision", "Review decision"
        REVIEW_STATUS_CHANGED = "review_status_changed", "Claim back to review"
        DOCUMENTATION_REQUESTED = "documentation_requested", "Documentation audit"
        GROUP_REMINDER = "group_reminder", "Group reminder"
        IMPORT = "import", "Import"
        STANDING_CHANGED = "standing_changed", "Standing changed"
        TOKEN_ISSUED = "token_issued", "API token issued"
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        STAFF_INVITED = "staff_invited", "Staff invited"
        EMAIL_VERIFIED = "email_verified", "Email address verified"
        REQUIREMENT_SETS_CHANGED = "requirement_sets_changed", "Requirement sets changed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The security log (members.security_log); "audit" is the documentation audits'.
        verbose_name = "security log event"
        verbose_name_plural = "security log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target}"
