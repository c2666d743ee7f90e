"""Back office (/mot-cua/): inbox, reception, processing steps, results and their return.

Two route modules: the desk (inbox, dossier page, search, walk-in, register) and the actions on a
dossier (reception decisions, steps, approval, signing, return, printed forms)."""

from django.urls import include, path

app_name = "processing"

urlpatterns = [
    path("mot-cua/", include("dichvucong.processing.urls_desk")),
    path("mot-cua/", include("dichvucong.processing.urls_actions")),
]
