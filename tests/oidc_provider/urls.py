from django.contrib.auth.views import LoginView
from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", LoginView.as_view(template_name="provider/login.html"), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("test/jwks-foreign-key/", views.jwks_foreign_key),
    path("test/token/<str:mode>/", views.token_altered),
]
