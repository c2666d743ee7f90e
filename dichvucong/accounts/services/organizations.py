"""Businesses and their representatives: who may file on an organisation's behalf."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Organization, OrganizationMember, OrganizationRole, User


class OrganizationError(Exception):
    """A request that cannot be done; str() is the Vietnamese message for the user."""


@transaction.atomic
def organization_register(*, user: User, data: dict) -> Organization:
    """Register an organisation with `user` as its legal representative (owner)."""
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name=data["name"].strip(),
                tax_code=data["tax_code"],
                address_province=data["address_province"],
                address_commune=data["address_commune"],
                address_street=data.get("address_street", "").strip(),
            )
    except IntegrityError as exc:
        raise OrganizationError(
            _(
                "Mã số thuế này đã được đăng ký trên cổng. Hãy liên hệ người đại diện của doanh nghiệp "
                "để được thêm làm người được ủy quyền."
            )
        ) from exc
    OrganizationMember.objects.create(organization=organization, user=user, role=OrganizationRole.OWNER)
    return organization


def _require_owner(*, actor: User, organization: Organization) -> None:
    if not OrganizationMember.objects.filter(
        organization=organization, user=actor, role=OrganizationRole.OWNER
    ).exists():
        raise OrganizationError(_("Chỉ người đại diện theo pháp luật mới quản lý được người được ủy quyền."))


@transaction.atomic
def representative_add(*, actor: User, organization: Organization, personal_id: str) -> OrganizationMember:
    _require_owner(actor=actor, organization=organization)
    user = User.objects.filter(personal_id=personal_id, is_active=True).first()
    if user is None:
        raise OrganizationError(
            _(
                "Không tìm thấy tài khoản với số định danh này. "
                "Người được ủy quyền cần đăng ký tài khoản trước."
            )
        )
    member, created = OrganizationMember.objects.get_or_create(
        organization=organization, user=user, defaults={"role": OrganizationRole.STAFF}
    )
    if not created:
        raise OrganizationError(_("Người này đã là người đại diện của tổ chức."))
    return member


@transaction.atomic
def representative_remove(*, actor: User, member: OrganizationMember) -> None:
    _require_owner(actor=actor, organization=member.organization)
    if member.role == OrganizationRole.OWNER:
        raise OrganizationError(_("Không thể xóa người đại diện theo pháp luật."))
    member.delete()
