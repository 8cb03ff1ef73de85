"""Who may see what: the one place that decides it.

Every page, file download, report, API view, DRF permission, template and the admin asks
this module; nothing else looks at ``is_staff``, groups or permissions.

Three kinds of signed-in user:

- **CME staff** (:func:`is_cme_staff`): ``is_staff``, in the "CME staff" group (or a
  superuser), *and* two-factor authentication enabled. They see every member's data.
- **CME staff without two-factor** (:func:`needs_two_factor`): would be CME staff but have
  not set up an authenticator app yet. Anything that shows another member's data sends them
  to the two-factor set-up page (:class:`TwoFactorRequired`), whatever the URL.
- **Everyone else** — members, and ``is_staff`` accounts outside the group — see their own
  data only; another member's data does not exist for them (404).

Owned objects are scoped with :func:`scope` (a queryset of anything with a path to a member),
so "own data only" is written once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from members.models import Member, User

CME_STAFF_GROUP = "CME staff"
TWO_FACTOR_MESSAGE = (
    "Staff access needs two-factor authentication: set up an authenticator app first."
)
REVIEW_PERMISSION = "credits.review_claims"
_CACHE = "_cmetrack_access"

M = TypeVar("M", bound=Model)


class TwoFactorRequired(Exception):
    """Raised where CME staff without two-factor ask for another member's data.

    ``cmetrack.middleware.StaffTwoFactorMiddleware`` turns it into the set-up page (pages)
    or a 403 that says so (API).
    """


def _in_staff_role(user: User) -> bool:
    """is_staff and (superuser or in the CME staff group), two-factor aside. Membership of the
    group, not a permission granted one by one, makes CME staff."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or user.groups.filter(name=CME_STAFF_GROUP).exists())


def _status(user: User) -> tuple[bool, bool]:
    """(in the staff role, two-factor enabled), computed once per user object."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        role = _in_staff_role(user)
        cached = (role, bool(role and is_mfa_enabled(user)))
        with contextlib.suppress(AttributeError):  # objects without a __dict__
            setattr(user, _CACHE, cached)
    return cached


def context(request) -> dict[str, object]:
    """Template context processor: ``is_cme_staff``, ``staff_role``, ``may_invite_staff`` and
    ``has_member_profile``, asked only when a template uses them (the navigation shows only
    the links the user can open). A request refused before the login is read (a 404 for a
    control character in the path) has no user: it is anonymous."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "is_cme_staff": lambda: is_cme_staff(user),
        "staff_role": lambda: in_staff_role(user),
        "may_invite_staff": lambda: may_invite_staff(user),
        "has_member_profile": lambda: has_member_profile(user),
    }


def has_member_profile(user: User) -> bool:
    """Does this account have a CME record of its own (the member's pages: dashboard, entries,
    report)? Staff accounts usually do not."""
    return bool(user.is_authenticated and hasattr(user, "member"))


def lands_on_staff_overview(user: User) -> bool:
    """Staff without a member profile start at the staff overview, not an empty dashboard."""
    return in_staff_role(user) and not has_member_profile(user)


def forget(user: User) -> None:
    """Drop the cached answer (after enabling two-factor or changing groups in one request)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_cme_staff(user: User) -> bool:
    """May this user see every member's data and review claims right now?"""
    role, two_factor = _status(user)
    return role and two_factor


def needs_two_factor(user: User) -> bool:
    """CME staff who must set up two-factor before they see any other member's data."""
    role, two_factor = _status(user)
    return role and not two_factor


def in_staff_role(user: User) -> bool:
    """CME staff, with or without two-factor yet (who sees the Staff link)."""
    return _status(user)[0]


def require_cme_staff(user: User) -> None:
    """Pass for CME staff; the two-factor page for staff without it; 404 for anyone else."""
    if is_cme_staff(user):
        return
    if needs_two_factor(user):
        raise TwoFactorRequired
    raise Http404("No such page.")


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a staff page: the login page for visitors, :func:`require_cme_staff` for the rest
    (so members never learn the page exists)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        require_cme_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def may_decide_claims_of(user: User, member: Member) -> bool:
    """CME staff decide other members' claims, never their own (a reviewer who is also a
    member has their claims decided by someone else)."""
    return is_cme_staff(user) and member.user_id != user.pk


def may_invite_staff(user: User) -> bool:
    """Superusers who are CME staff with two-factor may add staff accounts."""
    return is_cme_staff(user) and bool(user.is_superuser)


def require_staff_admin(user: User) -> None:
    """Pass for :func:`may_invite_staff`; the two-factor page for staff without it; else 404."""
    require_cme_staff(user)
    if not may_invite_staff(user):
        raise Http404("No such page.")


def scope(queryset: QuerySet[M], user: User, *, member_path: str = "member") -> QuerySet[M]:
    """The objects of ``queryset`` this user may see.

    ``member_path`` is the lookup from the object to its :class:`Member` (``"member"`` for an
    entry, ``""`` for members themselves). CME staff get everything; staff without two-factor
    are sent to set it up; everyone else gets their own objects only.
    """
    if is_cme_staff(user):
        return queryset
    if needs_two_factor(user):
        raise TwoFactorRequired
    if not user.is_authenticated:
        return queryset.none()
    lookup = f"{member_path}__user" if member_path else "user"
    return queryset.filter(**{lookup: user})


def own_scope(queryset: QuerySet[M], user: User, *, member_path: str = "member") -> QuerySet[M]:
    """Only the user's own objects, whoever they are (what a member edits or uploads)."""
    if not user.is_authenticated:
        return queryset.none()
    lookup = f"{member_path}__user" if member_path else "user"
    return queryset.filter(**{lookup: user})


def member_for(user: User, asps_id: str | None) -> Member:
    """The member whose data is asked for: one's own without ``asps_id``; with it, any
    member's for CME staff, the two-factor page for staff without it, and a 404 for anyone
    else (naming a member, even oneself, is a staff feature)."""
    if asps_id is None:
        try:
            return Member.objects.select_related("user").get(user=user)
        except Member.DoesNotExist:
            raise Http404("This account has no member profile.") from None
    require_cme_staff(user)
    try:
        return Member.objects.select_related("user").get(asps_id=asps_id)
    except (Member.DoesNotExist, ValueError):
        raise Http404("No such member.") from None
