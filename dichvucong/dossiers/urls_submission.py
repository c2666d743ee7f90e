"""URLs of filing a dossier: start from a procedure, the draft's steps, submit, confirmation."""

from django.urls import path

from .views import submission

urlpatterns = [
    path("thu-tuc/<str:code>/nop/", submission.submission_start, name="submission_start"),
    path("ho-so/nhap/<uuid:public_id>/", submission.draft_resume, name="draft_resume"),
    path("ho-so/nhap/<uuid:public_id>/to-khai/", submission.draft_form, name="draft_form"),
    path(
        "ho-so/nhap/<uuid:public_id>/to-khai/kiem-tra/", submission.draft_form_check, name="draft_form_check"
    ),
    path("ho-so/nhap/<uuid:public_id>/giay-to/", submission.draft_documents, name="draft_documents"),
    path("ho-so/nhap/<uuid:public_id>/nhan-ket-qua/", submission.draft_delivery, name="draft_delivery"),
    path("ho-so/nhap/<uuid:public_id>/nop/", submission.draft_review, name="draft_review"),
    path("ho-so/nhap/<uuid:public_id>/xoa/", submission.draft_discard, name="draft_discard"),
    path("ho-so/don-vi-hanh-chinh/", submission.commune_options, name="commune_options"),
    path("ho-so/<str:code>/da-nop/", submission.dossier_submitted, name="dossier_submitted"),
    path("ho-so/<str:code>/to-khai.pdf", submission.declaration_pdf, name="declaration_pdf"),
]
