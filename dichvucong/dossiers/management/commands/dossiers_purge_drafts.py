from django.core.management.base import BaseCommand

from dichvucong.dossiers.services.retention import drafts_purge


class Command(BaseCommand):
    help = "Warn about drafts close to expiry and delete expired drafts (DRAFT_RETENTION_DAYS)."

    def handle(self, *args, verbosity=1, **options):
        warned, deleted = drafts_purge()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Bản nháp: đã nhắc {warned}, đã xóa {deleted}."))
