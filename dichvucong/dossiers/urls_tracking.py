"""URLs of following a dossier: my dossiers, one dossier, supplements, withdrawal, messages, lookup."""

from django.urls import path

from .views import lookup, tracking

urlpatterns = [
    path("ho-so/", tracking.my_dossiers, name="my_dossiers"),
    path("ho-so/<str:code>/", tracking.dossier_detail, name="dossier_detail"),
    path(
        "ho-so/<str:code>/tep/<int:attachment_id>/", tracking.attachment_download, name="attachment_download"
    ),
    path("ho-so/<str:code>/bo-sung/", tracking.supplement_send, name="supplement_send"),
    path("ho-so/<str:code>/bo-sung/tai-len/", tracking.supplement_upload, name="supplement_upload"),
    path("ho-so/<str:code>/bo-sung/xoa-tep/", tracking.supplement_file_delete, name="supplement_file_delete"),
    path("ho-so/<str:code>/rut/", tracking.withdraw, name="withdraw"),
    path("ho-so/<str:code>/tin-nhan/", tracking.message_create, name="message_create"),
    path("ho-so/<str:code>/danh-gia/", tracking.rate, name="rate"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
]
