from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("tai-khoan/kho-du-lieu/", views.wallet, name="wallet"),
    path("tai-khoan/kho-du-lieu/<uuid:public_id>/", views.wallet_file_download, name="wallet_file"),
    path("tai-khoan/kho-du-lieu/<uuid:public_id>/xoa/", views.wallet_file_remove, name="wallet_file_remove"),
    # The QR code printed on signed results points here (ARCHITECTURE.md, public URLs).
    path("xac-thuc/<slug:token>/", views.verify, name="verify"),
]
