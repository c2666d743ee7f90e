"""Sign-in with VNeID (OpenID Connect authorization code flow, mozilla-django-oidc): see docs/vneid.md.

The backend exchanges the code, verifies the ID token (signature against the provider's JWKS, algorithm,
issuer, audience, expiry, nonce), reads the user-info claims and hands them to
`services.vneid`. Anything wrong raises VNeIDRefused with a reason code; the callback view
(views/vneid.py) turns it into a clear page and an audit row.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from .services.vneid import VNeIDRefused, vneid_identity_from_claims, vneid_user_sync

logger = logging.getLogger(__name__)

# Seconds to wait for the identity provider (token, user info, keys) when OIDC_TIMEOUT is not set.
DEFAULT_TIMEOUT = 10
# Clock difference tolerated between the provider and us when checking exp/iat/nbf.
CLOCK_SKEW_SECONDS = 60


class VNeIDBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the VNeID code flow; inert when VNeID is not configured.

    Django builds every backend on each password sign-in and calls those whose `authenticate` accepts
    the credentials given: this one only accepts `nonce` (and `code_verifier`), which only the VNeID
    callback passes, so a password form can never trigger a token exchange.
    """

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads its endpoints at construction and fails without them; only build it
        # when VNeID is configured, and never let a half configuration break password sign-in.
        self.enabled = settings.VNEID_ENABLED
        if self.enabled:
            try:
                super().__init__(*args, **kwargs)
            except ImproperlyConfigured as exc:
                logger.error("VNeID sign-in is switched off: %s (see docs/vneid.md)", exc)
                self.enabled = False

    @staticmethod
    def get_settings(attr, *args):
        if attr == "OIDC_TIMEOUT" and not hasattr(settings, "OIDC_TIMEOUT"):
            return DEFAULT_TIMEOUT  # mozilla-django-oidc waits forever by default
        return OIDCAuthenticationBackend.get_settings(attr, *args)

    def authenticate(self, request, *, nonce, code_verifier=None):
        if not self.enabled or request is None:
            return None
        code, state = request.GET.get("code"), request.GET.get("state")
        if not code or not state:
            return None
        self.request = request
        token_payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
        }
        if code_verifier is not None:
            token_payload["code_verifier"] = code_verifier
        token_info = self.get_token(token_payload)
        id_token, access_token = token_info.get("id_token"), token_info.get("access_token")
        payload = self.verify_token(id_token, nonce=nonce)
        self.store_tokens(access_token, id_token)
        return self.get_or_create_user(access_token, id_token, payload)

    # --- Talking to the provider ----------------------------------------------------------------------

    def get_token(self, payload):
        try:
            token_info = super().get_token(payload)
        except requests.HTTPError as exc:
            # The provider refused the code (used twice, expired, wrong client secret...).
            response = exc.response
            raise VNeIDRefused(
                "token_refused",
                status=response.status_code if response is not None else None,
                error=_oauth_error(response),
            ) from exc
        except (requests.RequestException, ValueError) as exc:
            raise VNeIDRefused("provider_unreachable", step="token", error=type(exc).__name__) from exc
        if not isinstance(token_info, dict):
            raise VNeIDRefused("token_refused", error="not_a_json_object")
        return token_info

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (requests.RequestException, ValueError) as exc:
            raise VNeIDRefused("provider_unreachable", step="jwks", error=type(exc).__name__) from exc
        except (SuspiciousOperation, KeyError, jwt.PyJWTError) as exc:
            # No key of the provider has the token's key id: signed by someone else, or keys rotated.
            raise VNeIDRefused("unknown_signing_key") from exc

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}  # everything is in the ID token
        try:
            userinfo = super().get_userinfo(access_token, id_token, payload)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            raise VNeIDRefused("userinfo_refused", status=status) from exc
        except (requests.RequestException, ValueError) as exc:
            raise VNeIDRefused("provider_unreachable", step="userinfo", error=type(exc).__name__) from exc
        if not isinstance(userinfo, dict):
            raise VNeIDRefused("userinfo_refused", error="not_a_json_object")
        # OpenID Connect Core 5.3.4: the user info must be about the person the ID token is about.
        if userinfo.get("sub") != payload.get("sub"):
            raise VNeIDRefused("userinfo_subject_mismatch")
        return userinfo

    # --- Checking the ID token ------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        """The verified payload of the ID token (or of a signed user-info response, without `nonce`).

        Stricter than mozilla-django-oidc: the audience, the issuer (when VNEID_ISSUER is set) and the
        presence of exp/iat are checked too.
        """
        is_id_token = "nonce" in kwargs
        if not token or not isinstance(token, str):
            raise VNeIDRefused("missing_id_token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise VNeIDRefused("invalid_token", error=type(exc).__name__) from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            # Refuses "none" and algorithm confusion (an HS256 token made with the public key).
            raise VNeIDRefused("wrong_algorithm", algorithm=str(header.get("alg"))[:20])
        key = self._verification_key(token)
        issuer = self.get_settings("OIDC_OP_ISSUER", "") or None
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"] if is_id_token else ["sub"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise VNeIDRefused("bad_signature") from exc
        except jwt.ExpiredSignatureError as exc:
            raise VNeIDRefused("expired_token") from exc
        except jwt.InvalidAudienceError as exc:
            raise VNeIDRefused("wrong_audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise VNeIDRefused("wrong_issuer") from exc
        except jwt.PyJWTError as exc:
            raise VNeIDRefused("invalid_token", error=type(exc).__name__) from exc
        if is_id_token and self.get_settings("OIDC_USE_NONCE", True):
            expected, received = kwargs["nonce"], payload.get("nonce")
            if not expected or not isinstance(received, str) or not constant_time_compare(expected, received):
                # The code was obtained for another sign-in than the one this browser started.
                raise VNeIDRefused("bad_nonce")
        return payload

    def _verification_key(self, token):
        if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")):
            return self.OIDC_RP_IDP_SIGN_KEY or self.retrieve_matching_jwk(token)
        return self.OIDC_RP_CLIENT_SECRET

    # --- The account --------------------------------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        """The account for the verified claims (user info over ID token), created on first sign-in."""
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        identity = vneid_identity_from_claims(claims)
        user, created = vneid_user_sync(identity=identity, request=self.request)
        user.vneid_created = created
        return user

    def get_user(self, user_id):
        if not self.enabled:
            return None
        return ModelBackend.get_user(self, user_id)  # refuses deactivated accounts


def _oauth_error(response) -> str:
    """The OAuth error code of a token response ("invalid_grant"...), never its description."""
    try:
        error = response.json().get("error", "")
    except (AttributeError, ValueError):
        return ""
    return str(error)[:50]
