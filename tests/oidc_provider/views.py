"""Test-only endpoints of the provider that misbehave on purpose, to prove the portal refuses them."""

import base64
import json

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oidc_provider.models import RSAKey
from oidc_provider.views import TokenView

_FOREIGN_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwks_foreign_key(request):
    """The provider's key ids with the public numbers of another key: what a portal would trust if its
    JWKS address pointed at an impostor (or the provider signed with a key it does not publish)."""
    numbers = _FOREIGN_KEY.public_key().public_numbers()
    keys = [
        {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": rsakey.kid,
            "n": jwt.utils.to_base64url_uint(numbers.n).decode("ascii"),
            "e": jwt.utils.to_base64url_uint(numbers.e).decode("ascii"),
        }
        for rsakey in RSAKey.objects.all()
    ]
    return JsonResponse({"keys": keys})


@csrf_exempt
def token_altered(request, mode):
    """The real token endpoint, then the ID token is changed on the way, as an attacker in the middle
    would: "altered" raises the identity level keeping the signature, "unsigned" re-issues it with
    alg "none"."""
    if mode not in ("altered", "unsigned"):
        raise Http404
    response = TokenView.as_view()(request)
    if response.status_code != 200:
        return response
    data = json.loads(response.content)
    header, payload, signature = data["id_token"].split(".")
    claims = json.loads(_b64_decode(payload))
    claims["acr"] = "vneid:level2"
    if mode == "altered":
        data["id_token"] = ".".join((header, _b64(json.dumps(claims).encode()), signature))
    else:
        data["id_token"] = jwt.encode(claims, None, algorithm="none")
    return JsonResponse(data)
