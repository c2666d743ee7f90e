"""Desk pages of the back office: inbox, dossier page, search, walk-in reception, register.

Mounted under /mot-cua/ in the "processing" namespace (processing/urls.py); Vietnamese slugs, stable."""

from django.urls import path

from .views import dossier, inbox, register, walk_in

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier"),
    path(
        "ho-so/<str:code>/tep/<int:attachment_id>/", dossier.attachment_download, name="attachment_download"
    ),
    path("tiep-nhan-truc-tiep/", walk_in.walk_in_start, name="walk_in"),
    path("tiep-nhan-truc-tiep/<int:offering_id>/", walk_in.walk_in_form, name="walk_in_form"),
    path("tiep-nhan-truc-tiep/<int:offering_id>/kiem-tra/", walk_in.walk_in_check, name="walk_in_check"),
    path("so-theo-doi/", register.register, name="register"),
    path("so-theo-doi/tai-ve.<str:fmt>", register.register_download, name="register_download"),
]
