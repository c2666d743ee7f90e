"""A minimal upload page for the browser tests of js/upload.js (test URLconf only, never deployed)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_http_methods

from dichvucong.documents.services import stored_files_create_many
from dichvucong.urls import urlpatterns as site_urlpatterns

PAGE = """{% extends "base.html" %}{% load i18n static %}
{% block content %}<h1>Tải tệp</h1>
<script src="{% static 'js/upload.js' %}" defer></script>
<form method="post" enctype="multipart/form-data" data-upload-progress>{% csrf_token %}
<input type="hidden" name="action" value="upload">
{% include "documents/_upload_field.html" with name="files" label=label accepted_types=accepted %}
<button type="submit">Tải lên</button></form>{% endblock %}"""
DONE = """{% extends "base.html" %}{% block content %}<h1>Xong</h1>{% endblock %}"""


def _render(request, source, context=None, status=200):
    template = engines["django"].from_string(source)
    return HttpResponse(template.render(context or {}, request), status=status)


@require_http_methods(["GET", "POST"])
def upload_page(request):
    errors = []
    if request.method == "POST":
        batch = stored_files_create_many(owner=None, uploaded_files=request.FILES.getlist("files"))
        errors = [rejected.message for rejected in batch.rejected]
        if batch.created and not errors:
            messages.success(request, f"Đã nhận {len(batch.created)} tệp.")
            return redirect("test_upload_done")
    return _render(
        request,
        PAGE,
        {"label": "Giấy khai sinh", "accepted": ["pdf", "png"], "errors": errors},
        status=400 if errors else 200,
    )


def upload_done(request):
    return _render(request, DONE)


urlpatterns = [
    path("thu-tai-len/", upload_page, name="test_upload"),
    path("thu-tai-len/xong/", upload_done, name="test_upload_done"),
    *site_urlpatterns,
]
