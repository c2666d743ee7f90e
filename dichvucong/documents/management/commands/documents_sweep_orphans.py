"""Delete stored files nothing points to, and bytes in private storage with no row (daily)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from dichvucong.documents.sweep import sweep_orphans


class Command(BaseCommand):
    help = "Delete orphan stored files: rows nothing references (not in a wallet) and files with no row."

    def add_arguments(self, parser):
        parser.add_argument(
            "--row-grace-hours",
            type=int,
            default=24,
            help="Keep unreferenced rows younger than this (default 24).",
        )
        parser.add_argument(
            "--file-grace-minutes",
            type=int,
            default=60,
            help="Keep files without a row younger than this: uploads still being recorded (default 60).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, row_grace_hours, file_grace_minutes, dry_run, verbosity, **options):
        report = sweep_orphans(
            row_grace=timedelta(hours=row_grace_hours),
            file_grace=timedelta(minutes=file_grace_minutes),
            dry_run=dry_run,
        )
        if verbosity:
            verb = "sẽ xóa" if dry_run else "đã xóa"
            self.stdout.write(
                f"documents_sweep_orphans: {verb} {report.rows_deleted} bản ghi tệp không còn dùng và "
                f"{report.files_deleted} tệp không có bản ghi (đã xem {report.files_seen} tệp)."
            )
