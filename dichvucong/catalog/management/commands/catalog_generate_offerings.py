from django.core.management.base import BaseCommand

from dichvucong.catalog.services import offering_generate_all
from dichvucong.core.progress import Progress


class Command(BaseCommand):
    help = "Create the offerings of every procedure at every agency its level names (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        progress = Progress("Cung cấp thủ tục", 0, self.stdout) if verbosity else None
        report = offering_generate_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Cung cấp thủ tục: thêm {report.created}, đã có {report.existing}.")
        )
