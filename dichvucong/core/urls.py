from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("an-toan-thong-tin/", views.security_advice, name="security_advice"),
]
