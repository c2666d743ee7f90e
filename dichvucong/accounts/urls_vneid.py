"""URLs of VNeID sign-in (OpenID Connect); both answer 404 while VNeID is not configured."""

from django.urls import path

from .views import vneid

urlpatterns = [
    path("tai-khoan/vneid/dang-nhap/", vneid.VNeIDSignInView.as_view(), name="vneid_sign_in"),
    # Register this address (absolute, https) as the redirect URI at the identity provider.
    path("tai-khoan/vneid/callback/", vneid.VNeIDCallbackView.as_view(), name="vneid_callback"),
]
