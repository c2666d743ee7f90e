import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from .accounts_load_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (only when DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Chỉ dùng được khi DEBUG=true.")
        totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
        totp.time = time.time()
        self.stdout.write(f"{totp.token():06d}")
