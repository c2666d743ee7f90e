from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dichvucong.catalog.services import catalog_load_all
from dichvucong.catalog.sources import DATA_DIR, FixtureError
from dichvucong.core.progress import Progress


class Command(BaseCommand):
    help = (
        "Load the procedure catalogue from the project's fixtures (idempotent). A procedure whose fixture "
        "changed gets a new published version; open dossiers keep the version they were filed under."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="folder with fields.yaml and procedures/"
        )

    def handle(self, *args, data_dir=DATA_DIR, verbosity=1, **options):
        progress = Progress("Thủ tục", 0, self.stdout) if verbosity else None
        try:
            report = catalog_load_all(data_dir, progress=progress)
        except FixtureError as exc:
            raise CommandError(f"Không nạp được danh mục thủ tục, dữ liệu không thay đổi: {exc}") from exc
        for code in report.new_versions:
            self.stdout.write(f"  {code}: đã công bố phiên bản mới")
        self.stdout.write(
            self.style.SUCCESS(
                f"Thủ tục: thêm {len(report.created)}, phiên bản mới {len(report.new_versions)}, "
                f"không đổi {len(report.unchanged)}."
            )
        )
