"""Fixtures of the VNeID sign-in tests: a real OpenID provider in its own process, and the portal
configured to use it."""

import pytest
from django.urls import reverse

from .server import start_provider


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The test OpenID provider (django-oidc-provider), running for the whole session.

    The portal's callback on the live server is registered as the client's redirect URI."""
    pytest.importorskip("oidc_provider", reason="django-oidc-provider (a test dependency) is not installed")
    redirect_uri = live_server.url + reverse("accounts:vneid_callback")
    provider = start_provider(tmp_path_factory.mktemp("oidc_provider"), redirect_uri=redirect_uri)
    yield provider
    provider.stop()


@pytest.fixture
def vneid(settings, oidc_provider):
    """The portal configured as the VNEID_* variables of docs/vneid.md would, pointing at the provider."""
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.userinfo_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.jwks_endpoint
    settings.OIDC_OP_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid profile phone vneid"
    settings.VNEID_ENABLED = True
    return oidc_provider
