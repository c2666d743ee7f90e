from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dichvucong.processing.selectors import DUE_SOON_WORKING_DAYS
from dichvucong.processing.services.deadline_alerts import deadline_alerts_send, deadline_querysets


class Command(BaseCommand):
    help = (
        "Alert the officials responsible for dossiers due within N working days and for overdue ones "
        "(once a day per dossier); --explain prints the query plans."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DUE_SOON_WORKING_DAYS,
            help=f"'Due soon' window in working days (default {DUE_SOON_WORKING_DAYS}).",
        )
        parser.add_argument(
            "--explain", action="store_true", help="Print the query plans of both lists and alert nobody."
        )

    def handle(self, *args, days, explain, verbosity=1, **options):
        if not 0 <= days <= 30:
            raise CommandError("--days must be between 0 and 30.")
        if explain:
            due_soon, overdue = deadline_querysets(timezone.now(), days)
            self.stdout.write("-- Sắp đến hạn (due soon)")
            self.stdout.write(due_soon.values("pk", "due_date").explain())
            self.stdout.write("-- Quá hạn (overdue)")
            self.stdout.write(overdue.values("pk").explain())
            return
        result = deadline_alerts_send(days=days)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sắp đến hạn: {result.due_soon}; quá hạn: {result.overdue}; "
                    f"đã nhắc: {result.alerted}; đã nhắc trong ngày trước đó: {result.already_alerted}."
                )
            )
