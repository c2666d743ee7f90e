from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dichvucong.accounts.models import User

# Documented in README.md; created only while DEBUG is on, never in production.
DEMO_ADMIN = {"username": "quantri", "password": "QuanTri@2026!", "full_name": "Quản trị hệ thống (demo)"}


class Command(BaseCommand):
    help = "Create the demo accounts listed in README.md (only when DEBUG is on; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Dữ liệu demo chỉ được tạo khi DEBUG=true.")
        user, created = User.objects.get_or_create(
            username=DEMO_ADMIN["username"],
            defaults={"full_name": DEMO_ADMIN["full_name"], "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(DEMO_ADMIN["password"])
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Tài khoản demo: {DEMO_ADMIN['username']} ({'tạo mới' if created else 'đã có'})."
            )
        )
