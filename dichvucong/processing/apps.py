from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dichvucong.processing"
    verbose_name = _("Xử lý hồ sơ (một cửa)")
