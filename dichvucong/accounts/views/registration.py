"""Citizen registration: the form, the phone code, the e-mail link; plus the commune options."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.core.identifiers import phone_display
from dichvucong.core.ratelimit import rate_limit_hit
from dichvucong.directory.models import AdministrativeUnit, UnitLevel

from ..forms import CodeForm, RegistrationForm
from ..services.codes import CodeRateLimited
from ..services.registration import citizen_register, email_verify, phone_code_send, phone_verify
from ..services.security import client_ip
from ..tokens import email_verification_token

User = get_user_model()
SESSION_KEY = "registration"


def mask_phone(e164: str) -> str:
    """+84912345678 -> 09xx xxx 678: enough to recognise, not to read."""
    national = phone_display(e164).replace(" ", "")
    return f"{national[:2]}xx xxx {national[-3:]}" if len(national) >= 6 else ""


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(f"register:{client_ip(request)}", limit=20, window_seconds=3600):
            messages.error(request, _("Có quá nhiều yêu cầu đăng ký từ thiết bị này. Vui lòng thử lại sau."))
        else:
            user = citizen_register(data=form.cleaned_data, request=request)
            request.session[SESSION_KEY] = {
                "user_id": user.pk if user else None,
                "username": form.cleaned_data["personal_id"],
                "phone": mask_phone(form.cleaned_data["phone"]),
            }
            return redirect("accounts:register_verify")
    return render(request, "accounts/register.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def register_verify(request):
    """Enter the SMS code. The page is the same whether or not an account was created."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect("accounts:register")
    user = User.objects.filter(pk=pending["user_id"], is_active=False).first() if pending["user_id"] else None
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            if user is not None:
                phone_code_send(user)
            messages.info(request, _("Đã gửi lại mã xác minh."))
        except CodeRateLimited:
            messages.error(request, _("Bạn đã yêu cầu quá nhiều mã trong một giờ. Vui lòng thử lại sau."))
        return redirect("accounts:register_verify")
    if request.method == "POST" and form.is_valid():
        if user is not None and phone_verify(user=user, code=form.cleaned_data["code"], request=request):
            del request.session[SESSION_KEY]
            messages.success(request, _("Tài khoản đã được kích hoạt. Mời bạn đăng nhập."))
            return redirect("accounts:sign_in")
        # A wrong code counts towards the sign-in lockout of this username, like a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": pending["username"]}, request=request
        )
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn. Kiểm tra tin nhắn hoặc gửi lại mã."))
    return render(request, "accounts/register_verify.html", {"form": form, "phone": pending["phone"]})


@never_cache
@require_GET
def verify_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_email_failed.html", status=400)
    email_verify(user=user, request=request)
    messages.success(request, _("Đã xác minh thư điện tử %(email)s.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:sign_in")


@require_GET
def commune_options(request):
    """<option>s of the communes of a province, for the address fields (htmx)."""
    code_or_pk = (request.GET.get("address_province") or "")[:10]
    communes = (
        AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, parent_id=code_or_pk, valid_until=None)
        .order_by("name_folded")
        .only("pk", "name")
        if code_or_pk.isdigit()
        else []
    )
    html = render_to_string("accounts/_commune_options.html", {"communes": communes})
    return HttpResponse(html)
