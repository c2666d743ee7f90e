import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of settings.SCHEDULED_COMMANDS in a loop (for `make run`; production uses "
        "cron or a Kubernetes CronJob calling the same commands)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once, then exit")

    def handle(self, *args, once=False, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for command, interval in settings.SCHEDULED_COMMANDS:
                if once or now - last_run.get(command, -interval) >= interval:
                    last_run[command] = now
                    try:
                        call_command(command)
                    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                        self.stderr.write(f"{command}: {exc}")
            if once:
                return
            time.sleep(30)
