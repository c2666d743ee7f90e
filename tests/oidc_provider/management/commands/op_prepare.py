"""Prepare the test provider's database: tables, an RS256 key, the portal as a client, the test people."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oidc_provider.models import Client, ResponseType

from ...claims import PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Create the tables, an RS256 key (creatersakey), the client and the test people."

    def add_arguments(self, parser):
        parser.add_argument("--redirect-uri", required=True, help="the portal's VNeID callback URL")
        parser.add_argument("--client-id", default="dichvucong")
        parser.add_argument("--client-secret", default="dichvucong-test-secret")

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("creatersakey", stdout=self.stdout)
        client = Client.objects.create(
            name="Cổng Dịch vụ công (thử nghiệm)",
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            client_type="confidential",
            jwt_alg="RS256",
            _redirect_uris=options["redirect_uri"],
            require_consent=True,
            reuse_consent=False,  # ask every time: the same page in every test, whatever ran before
        )
        client.response_types.add(ResponseType.objects.get(value="code"))
        User = get_user_model()
        for username in PEOPLE:
            User.objects.create_user(username=username, password=PASSWORD)
        self.stdout.write(f"client {client.client_id}, people: {', '.join(PEOPLE)}")
