"""Accounts from VNeID (OpenID Connect) claims: read what the identity provider asserts, then create or
update the matching account. See docs/vneid.md."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.utils import timezone

from dichvucong.core.identifiers import IdentifierError, personal_id_clean, personal_id_gender, phone_clean

from ..models import AssuranceLevel, IdentityProvider, SecurityEventType, User
from .security import security_event_log


class VNeIDRefused(SuspiciousOperation):
    """A VNeID sign-in that must not go through.

    `reason` is a stable code (written to the audit log and used to choose the message shown);
    `detail` holds non-secret facts for the log (never a token, a code or a claim value).
    """

    def __init__(self, reason: str, *, user: User | None = None, **detail):
        super().__init__(reason)
        self.reason = reason
        self.user = user
        self.detail = detail


@dataclass(frozen=True)
class VNeIDIdentity:
    """What VNeID asserts about a person, validated and normalised."""

    personal_id: str
    full_name: str = ""
    birth_date: dt.date | None = None
    phone: str = ""  # E.164, or "" when VNeID gave none (or an invalid one)
    assurance_level: int = AssuranceLevel.NONE


_LEVEL_AT_END = re.compile(r"(?<!\d)([12])$")


def assurance_level_from_claim(value) -> int:
    """The VNeID level (1 or 2) from a claim: "1"/"2", 1/2, or an acr value ending in the level
    ("vneid:level2", "urn:vneid:loa:1"); 0 when the claim is missing or says something else."""
    if isinstance(value, bool) or value is None:
        return AssuranceLevel.NONE
    if isinstance(value, int):
        return value if value in (1, 2) else AssuranceLevel.NONE
    if isinstance(value, list | tuple):
        return max((assurance_level_from_claim(item) for item in value), default=AssuranceLevel.NONE)
    match = _LEVEL_AT_END.search(str(value).strip())
    return int(match.group(1)) if match else AssuranceLevel.NONE


def birth_date_from_claim(value) -> dt.date | None:
    """A birth date from "1990-05-17" (OpenID Connect) or "17/05/1990" (Vietnamese); None otherwise."""
    text = str(value or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            date = dt.date.fromisoformat(text)
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            date = dt.datetime.strptime(text, "%d/%m/%Y").date()
        else:
            return None
    except ValueError:
        return None
    return date if dt.date(1900, 1, 1) <= date <= timezone.localdate() else None


def vneid_identity_from_claims(claims: dict) -> VNeIDIdentity:
    """Read the claims named by the VNEID_CLAIM_* settings. The personal ID is required and must be
    valid (VNeIDRefused otherwise); a missing or invalid name, birth date or phone is left out."""
    claim = settings.VNEID_CLAIM_PERSONAL_ID
    raw_personal_id = claims.get(claim)
    if raw_personal_id is None or str(raw_personal_id).strip() == "":
        raise VNeIDRefused("missing_personal_id", claim=claim)
    try:
        personal_id = personal_id_clean(str(raw_personal_id))
    except IdentifierError as exc:
        raise VNeIDRefused("invalid_personal_id", claim=claim) from exc
    phone = ""
    if claims.get(settings.VNEID_CLAIM_PHONE):
        try:
            phone = phone_clean(str(claims[settings.VNEID_CLAIM_PHONE]))
        except IdentifierError:
            phone = ""
    return VNeIDIdentity(
        personal_id=personal_id,
        full_name=" ".join(str(claims.get(settings.VNEID_CLAIM_FULL_NAME) or "").split())[:150],
        birth_date=birth_date_from_claim(claims.get(settings.VNEID_CLAIM_BIRTH_DATE)),
        phone=phone,
        assurance_level=assurance_level_from_claim(claims.get(settings.VNEID_CLAIM_LEVEL)),
    )


def vneid_user_sync(*, identity: VNeIDIdentity, request=None) -> tuple[User, bool]:
    """The account of `identity`, matched by personal ID: created on the first VNeID sign-in, brought up
    to date (name, birth date, phone, assurance level) on every one. Returns (user, created).

    Raises VNeIDRefused when the account is deactivated, or when the personal ID is already the
    username of another account (an inconsistency an administrator must look at).
    """
    try:
        return _user_sync(identity, request)
    except IntegrityError:
        # Two first sign-ins of the same person at once: the other one created the account.
        return _user_sync(identity, request)


@transaction.atomic
def _user_sync(identity: VNeIDIdentity, request) -> tuple[User, bool]:
    user = User.objects.select_for_update().filter(personal_id=identity.personal_id).first()
    created = user is None
    if created:
        if User.objects.filter(username__iexact=identity.personal_id).exists():
            raise VNeIDRefused("account_conflict")
        user = User(
            username=identity.personal_id,
            personal_id=identity.personal_id,
            identity_provider=IdentityProvider.VNEID,
            gender=personal_id_gender(identity.personal_id),
        )
        user.set_unusable_password()
    elif not user.is_active:
        if not _is_unfinished_registration(user):
            raise VNeIDRefused("inactive_account", user=user)
        # A registration whose phone was never verified, perhaps typed by someone else: VNeID proves who
        # owns the personal ID, so the account is theirs now, without what the registration left unproven.
        user.is_active = True
        user.set_unusable_password()
        if not user.email_verified_at:
            user.email = ""
        security_event_log(
            SecurityEventType.REGISTERED,
            request=request,
            user=user,
            method="vneid",
            unfinished_registration=True,
        )

    elif user.assurance_level == AssuranceLevel.NONE:
        _secure_first_link(user, identity, request)

    if identity.full_name:
        user.full_name = identity.full_name
    if identity.birth_date:
        user.birth_date = identity.birth_date
    if identity.phone and (identity.phone != user.phone or not user.phone_verified_at):
        # VNeID verified this number when the person registered with it.
        user.phone = identity.phone
        user.phone_verified_at = timezone.now()
    user.assurance_level = identity.assurance_level
    user.save()
    if created:
        security_event_log(SecurityEventType.REGISTERED, request=request, user=user, method="vneid")
    return user, created


def _secure_first_link(user: User, identity: VNeIDIdentity, request) -> None:
    """The first VNeID sign-in into an account registered with a password.

    Registration does not prove that the personal ID belongs to whoever registered. VNeID does: its
    owner's first sign-in ends every other session, and when the registered phone is not VNeID's, the
    password is disabled too (whoever set it may not be the owner); the owner can set a new one.
    """
    user.session_version += 1
    phone_mismatch = bool(identity.phone and user.phone and identity.phone != user.phone)
    if phone_mismatch:
        user.set_unusable_password()
    security_event_log(
        SecurityEventType.VNEID_LINKED, request=request, user=user, password_disabled=phone_mismatch
    )


def _is_unfinished_registration(user: User) -> bool:
    return not user.is_active and user.phone_verified_at is None and user.last_login is None
