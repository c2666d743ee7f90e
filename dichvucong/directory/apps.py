from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "dichvucong.directory"
    label = "directory"
    verbose_name = _("Đơn vị hành chính và cơ quan")
