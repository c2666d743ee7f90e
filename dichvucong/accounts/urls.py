from django.urls import path

from .urls_officials import urlpatterns as officials_urlpatterns
from .urls_vneid import urlpatterns as vneid_urlpatterns
from .views import auth, organizations, password, profile, registration

app_name = "accounts"

urlpatterns = [
    path("tai-khoan/dang-nhap/", auth.sign_in, name="sign_in"),
    path("tai-khoan/dang-xuat/", auth.sign_out, name="sign_out"),
    path("tai-khoan/dang-ky/", registration.register, name="register"),
    path("tai-khoan/dang-ky/xac-minh/", registration.register_verify, name="register_verify"),
    path("tai-khoan/xac-minh-email/<uidb64>/<token>/", registration.verify_email, name="verify_email"),
    path("tai-khoan/don-vi-hanh-chinh/", registration.commune_options, name="commune_options"),
    path("tai-khoan/quen-mat-khau/", password.password_reset, name="password_reset"),
    path("tai-khoan/quen-mat-khau/sms/", password.password_reset_sms, name="password_reset_sms"),
    path(
        "tai-khoan/quen-mat-khau/<uidb64>/<token>/",
        password.password_reset_email_confirm,
        name="password_reset_email_confirm",
    ),
    path("tai-khoan/doi-mat-khau/", password.password_change, name="password_change"),
    path("tai-khoan/", profile.profile, name="profile"),
    path("tai-khoan/lien-he/", profile.contact_edit, name="contact_edit"),
    path("tai-khoan/lien-he/xac-minh-dien-thoai/", profile.phone_change_verify, name="phone_change_verify"),
    path(
        "tai-khoan/lien-he/gui-lai-xac-minh/",
        profile.email_verification_resend,
        name="email_verification_resend",
    ),
    path("tai-khoan/thong-bao/", profile.notification_preferences, name="notification_preferences"),
    path("tai-khoan/bao-mat/", profile.security, name="security"),
    path(
        "tai-khoan/bao-mat/dang-xuat-moi-thiet-bi/", profile.sign_out_everywhere, name="sign_out_everywhere"
    ),
    path("tai-khoan/du-lieu-ca-nhan.json", profile.data_export, name="data_export"),
    path("tai-khoan/dong-tai-khoan/", profile.closure_request, name="closure_request"),
    path("tai-khoan/doanh-nghiep/", organizations.organizations, name="organizations"),
    path("tai-khoan/doanh-nghiep/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path(
        "tai-khoan/doanh-nghiep/<int:pk>/nguoi-dai-dien/<int:member_pk>/xoa/",
        organizations.representative_delete,
        name="representative_delete",
    ),
    *vneid_urlpatterns,
    *officials_urlpatterns,
]
