from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dichvucong.core import views as core_views

admin.site.site_header = "Quản trị Cổng Dịch vụ công"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Danh mục và cấu hình"

urlpatterns = [
    path("", include("dichvucong.catalog.urls")),
    path("", include("dichvucong.directory.urls")),
    path("", include("dichvucong.core.urls")),
    path("", include("dichvucong.accounts.urls")),
    path("", include("dichvucong.documents.urls")),
    path("", include("dichvucong.dossiers.urls")),
    path("", include("dichvucong.processing.urls")),
    path("health/", core_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler404 = "dichvucong.core.views.page_not_found"
handler500 = "dichvucong.core.views.server_error"
