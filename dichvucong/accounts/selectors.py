"""Permission-scoped reads of the accounts app: officials' agencies and roles, staff lists, 2FA state.

Every back-office read starts from the memberships of the user asking (docs/security.md, "Officials and
permissions"): a selector given an actor without the right role returns nothing, never another
agency's rows.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.directory.models import Agency

from .models import OrganizationMember, SecurityEvent, SecurityEventType, StaffMembership, StaffRole, User

# The agency an official with roles in several agencies is working in (accounts:agency_choose).
ACTIVE_AGENCY_SESSION_KEY = "active_agency_id"


@dataclass(frozen=True)
class ActiveMembership:
    """The agency an official works in for this request and their active roles there."""

    agency: Agency
    roles: frozenset[str]
    agency_count: int = 1

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_agency_admin(self) -> bool:
        return StaffRole.AGENCY_ADMIN in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [str(label) for value, label in StaffRole.choices if value in self.roles]


def membership_list_active_for_user(user) -> QuerySet[StaffMembership]:
    """The active roles of `user` in active agencies (nothing for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return StaffMembership.objects.none()
    return StaffMembership.objects.filter(user=user, is_active=True, agency__is_active=True)


def agencies_for_official(user) -> QuerySet[Agency]:
    """Agencies where `user` holds at least one active role, by name (the active-agency chooser)."""
    agency_ids = membership_list_active_for_user(user).values("agency_id")
    return Agency.objects.filter(pk__in=agency_ids).select_related("unit").order_by("name", "pk")


def membership_get_active(request) -> ActiveMembership | None:
    """The active agency of the official making `request` and their roles there, or None.

    None for anyone without an active role, and for an official with roles in several agencies who has
    not chosen one yet. An official with roles in one agency needs no choice. A stored choice whose
    roles have since been revoked is dropped. Cached on the request.
    """
    if hasattr(request, "_active_membership"):
        return request._active_membership
    by_agency: dict[int, tuple[Agency, set[str]]] = {}
    for membership in membership_list_active_for_user(request.user).select_related("agency"):
        by_agency.setdefault(membership.agency_id, (membership.agency, set()))[1].add(membership.role)
    chosen = request.session.get(ACTIVE_AGENCY_SESSION_KEY) if by_agency else None
    if chosen is not None and chosen not in by_agency:
        del request.session[ACTIVE_AGENCY_SESSION_KEY]
        chosen = None
    if chosen is None and len(by_agency) == 1:
        chosen = next(iter(by_agency))
    active = None
    if chosen is not None:
        agency, roles = by_agency[chosen]
        active = ActiveMembership(agency=agency, roles=frozenset(roles), agency_count=len(by_agency))
    request._active_membership = active
    return active


def user_can_manage_agency(user, agency: Agency) -> bool:
    """True when `user` is an active agency administrator of `agency`."""
    return membership_list_active_for_user(user).filter(agency=agency, role=StaffRole.AGENCY_ADMIN).exists()


def staff_list_for_agency(*, actor, agency: Agency) -> QuerySet[User]:
    """Everyone with a role (active or revoked) in `agency`, by name, each with `agency_roles` (the
    active memberships there) and `has_two_factor`; empty unless `actor` administers `agency`."""
    if not user_can_manage_agency(actor, agency):
        return User.objects.none()
    return (
        User.objects.filter(pk__in=StaffMembership.objects.filter(agency=agency).values("user_id"))
        .annotate(has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .prefetch_related(
            Prefetch(
                "staff_memberships",
                queryset=StaffMembership.objects.filter(agency=agency, is_active=True).order_by("role"),
                to_attr="agency_roles",
            )
        )
        .order_by("full_name", "username", "pk")
    )


def staff_get_for_agency(*, actor, agency: Agency, user_id: int) -> User | None:
    """One member of `agency`'s staff, or None when there is none or `actor` may not see them."""
    return staff_list_for_agency(actor=actor, agency=agency).filter(pk=user_id).first()


def two_factor_enabled(user) -> bool:
    """True when `user` has a confirmed TOTP device (they must then verify at every sign-in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_status(user) -> dict:
    """What the 2FA settings page shows to `user` about their own devices."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return {
        "enabled": device is not None,
        "enabled_at": device.created_at if device else None,
        "last_used_at": device.last_used_at if device else None,
        "recovery_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }


def security_event_list_for_user(*, user, limit: int = 20) -> QuerySet[SecurityEvent]:
    """The latest security events of `user` themselves (their profile's history), newest first."""
    if not getattr(user, "is_authenticated", False):
        return SecurityEvent.objects.none()
    return SecurityEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def two_factor_required(user) -> bool:
    """Officials and administrators (Django admin) must pass two-factor authentication at sign-in;
    citizens only once they turned it on."""
    return user.is_staff or user.is_superuser or user.is_official or two_factor_enabled(user)


# --- The signed-in user's own account pages -------------------------------------------------------------

SIGN_IN_EVENTS = [SecurityEventType.SIGN_IN, SecurityEventType.SIGN_IN_FAILED, SecurityEventType.LOCKED_OUT]


def sign_in_history(user: User, *, limit: int = 10) -> QuerySet[SecurityEvent]:
    """The user's recent sign-ins and failed attempts on their username, newest first."""
    return SecurityEvent.objects.filter(user=user, event_type__in=SIGN_IN_EVENTS).order_by("-created_at")[
        :limit
    ]


def sign_in_previous(user: User) -> SecurityEvent | None:
    """The sign-in before the current one (time and IP shown on the profile)."""
    return (
        SecurityEvent.objects.filter(user=user, event_type=SecurityEventType.SIGN_IN).order_by("-created_at")[
            1:2
        ]
    ).first()


def organization_memberships_for(user: User) -> QuerySet[OrganizationMember]:
    return (
        OrganizationMember.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
