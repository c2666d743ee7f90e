from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/co-quan/", views.agency_chooser, name="agency_chooser"),
    path("thu-tuc/<str:code>/mau/<slug:slug>.pdf", views.form_template_pdf, name="form_template_pdf"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
]
