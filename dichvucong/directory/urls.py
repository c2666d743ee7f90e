from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("co-quan/", views.agency_list, name="agency_list"),
]
