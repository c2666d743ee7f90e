from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Every person who signs in: citizens, business representatives and officials.

    The custom model exists from the first migration so that the accounts issue can add identity
    fields (personal ID, phone, assurance level) without swapping the user model later.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self):
        return self.full_name or super().get_full_name()
