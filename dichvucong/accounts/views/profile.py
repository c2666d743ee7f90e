"""The signed-in user's own pages: profile, contact details, notifications, security, data, closure."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.core.identifiers import phone_display

from .. import selectors
from ..forms import CodeForm, ConfirmPasswordForm, ContactForm
from ..preferences import CHANNELS, EVENT_TYPES, preferences_for
from ..services.codes import CodeRateLimited
from ..services.messages import email_verification_send
from ..services.profile import (
    account_closure_request,
    personal_data_export,
    preferences_update,
    profile_change_email,
    profile_start_phone_change,
    profile_update_address,
)
from ..services.registration import phone_verify
from ..services.security import user_sign_out_everywhere
from .registration import mask_phone

PHONE_CHANGE_KEY = "phone_change"


@never_cache
@login_required
@require_GET
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "phone": phone_display(user.phone),
            "last_sign_in": selectors.sign_in_previous(user),
            "organizations": selectors.organization_memberships_for(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request):
    user = request.user
    initial = {
        "email": user.email,
        "phone": phone_display(user.phone),
        "address_province": user.address_province_id,
        "address_commune": user.address_commune_id,
        "address_street": user.address_street,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile_update_address(
            user=user,
            province=data["address_province"],
            commune=data["address_commune"],
            street=data["address_street"],
        )
        if profile_change_email(user=user, email=data["email"], request=request):
            messages.info(request, _("Đã gửi liên kết xác minh tới thư điện tử mới."))
        if data["phone"] != user.phone:
            try:
                profile_start_phone_change(user=user, phone=data["phone"])
            except CodeRateLimited:
                messages.error(request, _("Bạn đã yêu cầu quá nhiều mã trong một giờ. Vui lòng thử lại sau."))
                return redirect("accounts:profile")
            request.session[PHONE_CHANGE_KEY] = data["phone"]
            return redirect("accounts:phone_change_verify")
        messages.success(request, _("Đã lưu thông tin liên hệ."))
        return redirect("accounts:profile")
    return render(request, "accounts/contact_edit.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phone_change_verify(request):
    phone = request.session.get(PHONE_CHANGE_KEY)
    if not phone:
        return redirect("accounts:contact_edit")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if phone_verify(user=request.user, code=form.cleaned_data["code"], request=request, phone=phone):
            del request.session[PHONE_CHANGE_KEY]
            messages.success(request, _("Đã xác minh và lưu số điện thoại mới."))
            return redirect("accounts:profile")
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn."))
    return render(request, "accounts/register_verify.html", {"form": form, "phone": mask_phone(phone)})


@login_required
@require_POST
def email_verification_resend(request):
    if request.user.email and not request.user.email_verified_at:
        email_verification_send(request.user)
        messages.info(
            request, _("Đã gửi lại liên kết xác minh tới %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    if request.method == "POST":
        chosen = {event: request.POST.getlist(event) for event, _label, _optional in EVENT_TYPES}
        preferences_update(user=request.user, chosen=chosen)
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("accounts:notification_preferences")
    current = preferences_for(request.user)
    rows = [
        {
            "event": event,
            "label": label,
            "optional": optional,
            "channels": [(code, name, code in current[event]) for code, name in CHANNELS],
        }
        for event, label, optional in EVENT_TYPES
    ]
    return render(request, "accounts/notification_preferences.html", {"rows": rows})


@never_cache
@login_required
@require_GET
def security(request):
    return render(
        request,
        "accounts/security.html",
        {"history": selectors.sign_in_history(request.user, limit=10)},
    )


@login_required
@require_POST
def sign_out_everywhere(request):
    user_sign_out_everywhere(user=request.user, request=request)
    logout(request)
    messages.success(request, _("Đã đăng xuất khỏi mọi thiết bị. Mời bạn đăng nhập lại."))
    return redirect("accounts:sign_in")


@never_cache
@login_required
@require_GET
def data_export(request):
    payload = personal_data_export(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def closure_request(request):
    form = ConfirmPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_closure_request(user=request.user, request=request)
        messages.success(
            request, _("Đã ghi nhận yêu cầu đóng tài khoản. Chúng tôi sẽ thông báo khi hoàn tất.")
        )
        return redirect("accounts:profile")
    return render(request, "accounts/closure_request.html", {"form": form})
