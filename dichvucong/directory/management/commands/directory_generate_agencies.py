from django.core.management.base import BaseCommand

from dichvucong.core.progress import Progress
from dichvucong.directory.services import agency_generate_all


class Command(BaseCommand):
    help = "Create the agencies of every administrative unit and refresh their generated names (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        progress = Progress("Cơ quan", 0, self.stdout) if verbosity else None
        report = agency_generate_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Cơ quan: thêm {report.created}, cập nhật {report.updated}, không đổi {report.unchanged}."
            )
        )
