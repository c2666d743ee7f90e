"""The back office's own pages for officials: choosing the active agency, and agency administrators
managing their staff (accounts, roles, two-factor resets)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..activation import STAFF_ACTIVATION_SECONDS, staff_activation_tokens
from ..decorators import official_required
from ..forms import NewPasswordForm
from ..forms_officials import RoleForm, StaffCreateForm
from ..models import SecurityEventType, StaffRole
from ..selectors import (
    agencies_for_official,
    membership_get_active,
    staff_get_for_agency,
    staff_list_for_agency,
)
from ..services.passwords import password_set
from ..services.staff import (
    StaffError,
    official_agency_choose,
    staff_activation_link_issue,
    staff_create,
    staff_role_grant,
    staff_role_revoke,
    staff_two_factor_reset,
)
from .two_factor import next_url, with_next

STAFF_PAGE_SIZE = 50
admin_required = official_required(StaffRole.AGENCY_ADMIN)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def agency_choose(request):
    """An official with roles in several agencies picks the one they work in now (kept in the session)."""
    agencies = list(agencies_for_official(request.user))
    if not agencies:
        raise PermissionDenied
    if not request.user.is_verified():
        return redirect(with_next("accounts:two_factor_verify", request.get_full_path()))
    if request.method == "POST":
        agency = official_agency_choose(request=request, agency_id=request.POST.get("agency"))
        messages.success(request, _("Bạn đang làm việc tại: %(agency)s.") % {"agency": agency.name})
        return redirect(next_url(request, default="processing:inbox"))
    return render(
        request,
        "accounts/staff/agency_choose.html",
        {"agencies": agencies, "active": membership_get_active(request), "next": request.GET.get("next", "")},
    )


def _staff_member_or_404(request, user_id: int):
    member = staff_get_for_agency(
        actor=request.user, agency=request.active_membership.agency, user_id=user_id
    )
    if member is None:
        raise Http404
    return member


@never_cache
@admin_required
@require_GET
def staff_list(request):
    agency = request.active_membership.agency
    page = Paginator(staff_list_for_agency(actor=request.user, agency=agency), STAFF_PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "accounts/staff/staff_list.html", {"agency": agency, "page": page})


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def staff_create_view(request):
    """Add an official: a new account (no password until they open the activation link), or an official
    of another agency who is given a role here."""
    agency = request.active_membership.agency
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.existing_official is not None:
            member = form.existing_official
            staff_role_grant(
                actor=request.user, agency=agency, user=member, role=data["role"], request=request
            )
            messages.success(
                request,
                _("Đã cấp vai trò cho cán bộ %(name)s (tài khoản đã có).") % {"name": member},
            )
            return redirect("accounts:staff_detail", user_id=member.pk)
        member = staff_create(
            actor=request.user,
            agency=agency,
            username=data["username"],
            full_name=data["full_name"].strip(),
            email=data["email"],
            phone=data["phone"],
            role=data["role"],
            request=request,
        )
        link = staff_activation_link_issue(actor=request.user, agency=agency, user=member, request=request)
        messages.success(request, _("Đã tạo tài khoản cán bộ %(name)s.") % {"name": member})
        return _activation_link_page(request, member, link)
    return render(request, "accounts/staff/staff_create.html", {"agency": agency, "form": form})


def _activation_link_page(request, member, path: str):
    """The activation link, shown this once to the administrator (never cached, never stored)."""
    return render(
        request,
        "accounts/staff/activation_link.html",
        {
            "member": member,
            "link": request.build_absolute_uri(path),
            "hours": STAFF_ACTIVATION_SECONDS // 3600,
        },
    )


@never_cache
@admin_required
@require_GET
def staff_detail(request, user_id: int):
    agency = request.active_membership.agency
    member = _staff_member_or_404(request, user_id)
    held = {m.role for m in member.agency_roles}
    grantable = [(value, label) for value, label in StaffRole.choices if value not in held]
    return render(
        request,
        "accounts/staff/staff_detail.html",
        {
            "agency": agency,
            "member": member,
            "grant_form": RoleForm(initial={"role": grantable[0][0]} if grantable else None),
            "grantable": grantable,
            "is_self": member.pk == request.user.pk,
        },
    )


def _staff_action(request, user_id: int, action):
    """Run one POSTed change on a member of the active agency's staff; a refused change is a message."""
    member = _staff_member_or_404(request, user_id)
    try:
        result = action(member)
    except StaffError as exc:
        messages.error(request, str(exc))
        result = None
    return member, result


@admin_required
@require_POST
def staff_role_grant_view(request, user_id: int):
    form = RoleForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:staff_detail", user_id=user_id)
    agency, role = request.active_membership.agency, form.cleaned_data["role"]

    def grant(member):
        staff_role_grant(actor=request.user, agency=agency, user=member, role=role, request=request)
        messages.success(request, _("Đã cấp vai trò %(role)s.") % {"role": StaffRole(role).label})

    member, _result = _staff_action(request, user_id, grant)
    return redirect("accounts:staff_detail", user_id=member.pk)


@admin_required
@require_POST
def staff_role_revoke_view(request, user_id: int):
    form = RoleForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:staff_detail", user_id=user_id)
    agency, role = request.active_membership.agency, form.cleaned_data["role"]

    def revoke(member):
        staff_role_revoke(actor=request.user, agency=agency, user=member, role=role, request=request)
        messages.success(request, _("Đã thu hồi vai trò %(role)s.") % {"role": StaffRole(role).label})

    member, _result = _staff_action(request, user_id, revoke)
    if member.pk == request.user.pk and role == StaffRole.AGENCY_ADMIN:
        return redirect("accounts:agency_choose")
    return redirect("accounts:staff_detail", user_id=member.pk)


@admin_required
@require_POST
def staff_two_factor_reset_view(request, user_id: int):
    agency = request.active_membership.agency

    def reset(member):
        staff_two_factor_reset(actor=request.user, agency=agency, user=member, request=request)
        messages.success(
            request,
            _("Đã đặt lại xác thực hai lớp của %(name)s. Lần đăng nhập tới, cán bộ thiết lập lại ứng dụng.")
            % {"name": member},
        )

    member, _result = _staff_action(request, user_id, reset)
    return redirect("accounts:staff_detail", user_id=member.pk)


@never_cache
@admin_required
@require_POST
def staff_activation_link_view(request, user_id: int):
    agency = request.active_membership.agency
    member, path = _staff_action(
        request,
        user_id,
        lambda m: staff_activation_link_issue(actor=request.user, agency=agency, user=m, request=request),
    )
    if path is None:
        return redirect("accounts:staff_detail", user_id=member.pk)
    return _activation_link_page(request, member, path)


class StaffActivateView(PasswordResetConfirmView):
    """A new official opens the link from their administrator and sets their first password (the token
    moves to the session and out of the URL, as in Django's password reset)."""

    form_class = NewPasswordForm
    token_generator = staff_activation_tokens
    template_name = "accounts/staff/activate.html"
    reset_url_token = "dat-mat-khau"  # noqa: S105 (a path segment, not a secret)
    success_url = reverse_lazy("accounts:sign_in")

    def form_valid(self, form):
        password_set(
            user=self.user,
            raw_password=form.cleaned_data["password1"],
            request=self.request,
            event=SecurityEventType.PASSWORD_RESET,
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            _("Đã đặt mật khẩu. Mời bạn đăng nhập, rồi thiết lập ứng dụng xác thực trên điện thoại."),
        )
        return HttpResponseRedirect(self.get_success_url())


staff_activate = StaffActivateView.as_view()
