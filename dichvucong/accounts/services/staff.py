"""Agency administrators' writes on their own staff: accounts, roles, two-factor resets, and the active
agency of an official. Each service checks the actor's right itself (views check first, for the 403)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dichvucong.directory.models import Agency

from ..activation import staff_activation_tokens
from ..models import SecurityEventType, StaffMembership, StaffRole, User
from ..selectors import ACTIVE_AGENCY_SESSION_KEY, agencies_for_official, user_can_manage_agency
from .security import security_event_log
from .two_factor import two_factor_devices_delete


class StaffError(Exception):
    """A refused staff change; str(error) is the Vietnamese message to show."""


def _require_admin(actor: User, agency: Agency) -> None:
    if not user_can_manage_agency(actor, agency):
        raise PermissionDenied


def _require_member(user: User, agency: Agency) -> None:
    if not StaffMembership.objects.filter(user=user, agency=agency).exists():
        raise PermissionDenied


def _audit(event_type, *, request, actor: User, user: User, agency: Agency, **detail) -> None:
    security_event_log(
        event_type, request=request, user=user, agency=agency.code, by=actor.get_username(), **detail
    )


@transaction.atomic
def staff_create(
    *,
    actor: User,
    agency: Agency,
    username: str,
    full_name: str,
    role: str,
    email: str = "",
    phone: str = "",
    request=None,
) -> User:
    """A new official of `agency` with one role and no usable password: they set it through the link of
    staff_activation_link_issue, then enrol their authenticator app at first sign-in."""
    _require_admin(actor, agency)
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    user.set_unusable_password()
    user.save()
    staff_role_grant(actor=actor, agency=agency, user=user, role=role, request=request)
    return user


@transaction.atomic
def staff_role_grant(*, actor: User, agency: Agency, user: User, role: str, request=None) -> StaffMembership:
    """Give `user` a role in `agency` (again, if it was revoked); granting a held role changes nothing."""
    _require_admin(actor, agency)
    if role not in StaffRole.values:
        raise StaffError(_("Vai trò không hợp lệ."))
    membership, created = StaffMembership.objects.select_for_update().get_or_create(
        user=user, agency=agency, role=role, defaults={"created_by": actor}
    )
    if not created:
        if membership.is_active:
            return membership
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    _audit(SecurityEventType.ROLE_GRANTED, request=request, actor=actor, user=user, agency=agency, role=role)
    return membership


@transaction.atomic
def staff_role_revoke(*, actor: User, agency: Agency, user: User, role: str, request=None) -> None:
    """Take a role in `agency` away from `user` (the row stays, inactive, for the record). The last agency
    administrator cannot be removed: the agency would have no one left to manage its staff."""
    _require_admin(actor, agency)
    membership = (
        StaffMembership.objects.select_for_update()
        .filter(user=user, agency=agency, role=role, is_active=True)
        .first()
    )
    if membership is None:
        return
    if role == StaffRole.AGENCY_ADMIN:
        # Lock every administrator row: two administrators revoking each other at once leave one.
        admins = list(
            StaffMembership.objects.select_for_update()
            .filter(agency=agency, role=StaffRole.AGENCY_ADMIN, is_active=True)
            .values_list("pk", flat=True)
        )
        if len(admins) <= 1:
            raise StaffError(
                _("Cơ quan cần ít nhất một cán bộ quản trị. Hãy cấp vai trò này cho người khác trước.")
            )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _audit(SecurityEventType.ROLE_REVOKED, request=request, actor=actor, user=user, agency=agency, role=role)


@transaction.atomic
def staff_two_factor_reset(*, actor: User, agency: Agency, user: User, request=None) -> None:
    """Remove the authenticator app and recovery codes of an official of `agency` (a lost phone) and end
    all their sessions: at their next sign-in they must enrol a new app."""
    _require_admin(actor, agency)
    _require_member(user, agency)
    if user.pk == actor.pk:
        raise StaffError(
            _("Bạn không thể tự đặt lại xác thực hai lớp của mình; hãy thiết lập lại trong trang Bảo mật.")
        )
    two_factor_devices_delete(user)
    # The session hash includes session_version: every open session of the official ends.
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    _audit(SecurityEventType.TWO_FACTOR_RESET, request=request, actor=actor, user=user, agency=agency)


@transaction.atomic
def staff_activation_link_issue(*, actor: User, agency: Agency, user: User, request=None) -> str:
    """The path of a one-time link (24 hours) with which `user` sets their first password; it replaces any
    earlier link. Only for accounts that never had a password, and only by an administrator of every
    agency where the official holds a role: another agency's administrator cannot take the account."""
    _require_admin(actor, agency)
    _require_member(user, agency)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise StaffError(_("Tài khoản đã được kích hoạt; cán bộ dùng chức năng quên mật khẩu nếu cần."))
    other_agencies = (
        StaffMembership.objects.filter(user=user, is_active=True).exclude(agency=agency).values("agency_id")
    )
    for other in Agency.objects.filter(pk__in=other_agencies):
        _require_admin(actor, other)
    user.set_unusable_password()  # a new random unusable hash: earlier links stop working
    user.save(update_fields=["password"])
    _audit(SecurityEventType.PASSWORD_RESET_REQUESTED, request=request, actor=actor, user=user, agency=agency)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "accounts:staff_activate", kwargs={"uidb64": uid, "token": staff_activation_tokens.make_token(user)}
    )


def official_agency_choose(*, request, agency_id) -> Agency:
    """Make `agency_id` the active agency of the signed-in official for this session; PermissionDenied
    unless they hold an active role there."""
    try:
        agency_id = int(agency_id)
    except (TypeError, ValueError) as exc:
        raise PermissionDenied from exc
    agency = agencies_for_official(request.user).filter(pk=agency_id).first()
    if agency is None:
        raise PermissionDenied
    request.session[ACTIVE_AGENCY_SESSION_KEY] = agency.pk
    request.__dict__.pop("_active_membership", None)
    return agency
