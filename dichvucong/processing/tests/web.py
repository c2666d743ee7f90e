"""Helpers of the back-office web tests (test_actions_*, test_results_*): officials signed in past
two-factor authentication, posting an action with the page's lock_version, reading PDFs, and a
development PKI for the approving agency in a temporary SIGNING_DIR (never var/).

Import the fixtures by name into a test module (`from .web import desk, signing_dir`)."""

import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from dichvucong.accounts.tests.officials import sign_in_verified
from dichvucong.documents.storage import private_storage

from .helpers import COMPETENT_A, RECEPTION_A


def action_url(dossier, slug: str) -> str:
    return reverse("processing:action", args=[dossier.code, slug])


def dossier_url(dossier) -> str:
    return reverse("processing:dossier", args=[dossier.code])


def print_url(dossier, kind: str, number: int | None = None) -> str:
    url = reverse("processing:print", args=[dossier.code, kind])
    return f"{url}?lan={number}" if number else url


class Desk:
    """A test client signed in as one official after another (`as_(user)`)."""

    def __init__(self, client):
        self.client = client

    def as_(self, user):
        self.client.logout()
        sign_in_verified(self.client, user)
        return self

    def post(self, dossier, slug: str, data=None, *, version=None, **extra):
        dossier.refresh_from_db()
        payload = {"lock_version": dossier.lock_version if version is None else version, **(data or {})}
        return self.client.post(action_url(dossier, slug), payload, **extra)

    def get(self, url, **extra):
        return self.client.get(url, **extra)


@pytest.fixture
def desk(client):
    return Desk(client)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def stored_bytes(stored_file) -> bytes:
    with private_storage().open(stored_file.storage_name, "rb") as handle:
        return handle.read()


@pytest.fixture(scope="session")
def pki_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """The development CA and certificates of agency A's committee and desk, made once per session."""
    root = tmp_path_factory.mktemp("pki") / "signing"
    with django_db_blocker.unblock(), override_settings(SIGNING_DIR=root):
        call_command("documents_make_dev_ca", agency=[COMPETENT_A, RECEPTION_A], verbosity=0)
    return root


@pytest.fixture
def signing_dir(settings, tmp_path, pki_template):
    """This test's own copy of the PKI as SIGNING_DIR."""
    target = tmp_path / "signing"
    shutil.copytree(pki_template, target)
    settings.SIGNING_DIR = target
    return target


@pytest.fixture
def no_signing(settings, tmp_path):
    """A SIGNING_DIR with nothing in it: no agency can sign."""
    settings.SIGNING_DIR = tmp_path / "empty-signing"
    return settings.SIGNING_DIR
