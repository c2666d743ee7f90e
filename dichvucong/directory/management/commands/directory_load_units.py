from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dichvucong.core.progress import Progress
from dichvucong.directory.services import read_unit_changes, unit_apply_changes, unit_load_all
from dichvucong.directory.sources import SourceError, default_source_dir, read_units


class Command(BaseCommand):
    help = (
        "Load or update the 34 provinces and 3,321 commune-level units (idempotent). Units are matched by "
        "code and updated in place; with --changes, resolutions are applied from a CSV (docs/directory.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            help=f"folder with tinh_tp.json and xa-phuong/ "
            f"(default: the bundled dataset, {default_source_dir()})",
        )
        parser.add_argument("--changes", type=Path, help="CSV of resolutions to apply after loading")
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="mark units absent from the source as no longer valid",
        )

    def handle(self, *args, source=None, changes=None, retire_missing=False, verbosity=1, **options):
        try:
            records = read_units(source)
            change_rows = read_unit_changes(changes) if changes else []
            progress = Progress("Đơn vị hành chính", len(records), self.stdout) if verbosity else None
            report = unit_load_all(records, retire_missing=retire_missing, progress=progress)
            applied = unit_apply_changes(change_rows) if change_rows else []
        except SourceError as exc:
            raise CommandError(
                f"Không nạp được danh mục đơn vị hành chính, dữ liệu không thay đổi: {exc}"
            ) from exc
        if verbosity:
            for line in report.changes + applied:
                self.stdout.write(f"  {line}")
        if report.missing and verbosity:
            action = "đã đánh dấu hết hiệu lực" if retire_missing else "giữ nguyên"
            self.stdout.write(f"  {len(report.missing)} đơn vị không có trong nguồn ({action})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị hành chính: thêm {report.created}, cập nhật {report.updated + len(applied)}, "
                f"không đổi {report.unchanged}."
            )
        )
