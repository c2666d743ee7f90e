"""A representative's businesses: register one, manage who may file for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..forms import OrganizationForm, RepresentativeForm
from ..models import OrganizationMember, OrganizationRole
from ..services.organizations import (
    OrganizationError,
    organization_register,
    representative_add,
    representative_remove,
)


@login_required
@require_http_methods(["GET", "POST"])
def organizations(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_register(user=request.user, data=form.cleaned_data)
        except OrganizationError as exc:
            form.add_error("tax_code", str(exc))
        else:
            messages.success(request, _("Đã đăng ký %(name)s.") % {"name": organization.name})
            return redirect("accounts:organization_detail", pk=organization.pk)
    return render(
        request,
        "accounts/organizations.html",
        {"memberships": selectors.organization_memberships_for(request.user), "form": form},
    )


def _membership_or_404(request, pk) -> OrganizationMember:
    """The signed-in user's membership of organisation `pk`: 404 for anyone else (nothing leaks)."""
    return get_object_or_404(
        OrganizationMember.objects.select_related("organization"), organization_id=pk, user=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_detail(request, pk):
    membership = _membership_or_404(request, pk)
    organization = membership.organization
    is_owner = membership.role == OrganizationRole.OWNER
    if request.method == "POST" and not is_owner:
        messages.error(request, _("Chỉ người đại diện theo pháp luật mới quản lý được người được ủy quyền."))
        return redirect("accounts:organization_detail", pk=pk)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            representative_add(
                actor=request.user, organization=organization, personal_id=form.cleaned_data["personal_id"]
            )
        except OrganizationError as exc:
            form.add_error("personal_id", str(exc))
        else:
            messages.success(request, _("Đã thêm người được ủy quyền."))
            return redirect("accounts:organization_detail", pk=pk)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "is_owner": is_owner,
            "members": organization.members.select_related("user").order_by("role", "user__full_name"),
            "form": form,
        },
    )


@login_required
@require_POST
def representative_delete(request, pk, member_pk):
    membership = _membership_or_404(request, pk)
    member = get_object_or_404(OrganizationMember, pk=member_pk, organization=membership.organization)
    try:
        representative_remove(actor=request.user, member=member)
    except OrganizationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xóa người được ủy quyền."))
    return redirect("accounts:organization_detail", pk=pk)
