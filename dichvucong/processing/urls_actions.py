"""Actions on one dossier: reception decisions, steps, approval and signing, return, printed forms."""

from django.urls import path

from .views import actions, printing, results

urlpatterns = [
    # One URL per action of views/action_specs.ACTIONS (tiep-nhan, yeu-cau-bo-sung, ky-duyet, …).
    path("ho-so/<str:code>/thao-tac/<slug:slug>/", actions.dossier_action, name="action"),
    # Forms 1–6: tiep-nhan, bo-sung (?lan=N), tu-choi, gia-han (?lan=N), dung, kiem-soat.
    path("ho-so/<str:code>/in/<slug:kind>/", printing.print_form, name="print"),
    path("ho-so/<str:code>/ket-qua/<int:attachment_id>/", results.result_download, name="result_download"),
]
