"""The test people of the provider and how their claims are emitted (django-oidc-provider hooks).

- `userinfo` (OIDC_USERINFO) fills the standard claims: name, birthdate, phone_number.
- `VNeIDScopeClaims` (OIDC_EXTRA_SCOPE_CLAIMS) adds the scope "vneid" with the claim "personal_id".
- `id_token_add_level` (OIDC_IDTOKEN_PROCESSING_HOOK) puts the identity level in the ID token as "acr".
"""

from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims

PASSWORD = "vneid-thu-nghiem-2026"  # test people only

PEOPLE = {
    # Level 2, ISO birth date, national phone format.
    "an": {
        "personal_id": "001090012345",
        "name": "Nguyễn Văn An",
        "birthdate": "1990-05-17",
        "phone_number": "0912 345 678",
        "acr": "vneid:level2",
    },
    # Level 1, Vietnamese birth date, international phone format.
    "binh": {
        "personal_id": "079195001234",
        "name": "Trần Thị Bình",
        "birthdate": "17/05/1995",
        "phone_number": "+84 987 654 321",
        "acr": "1",
    },
    # Claims without a personal ID, and with an impossible one (no province has code 123).
    "khong-dinh-danh": {"name": "Người Chưa Định Danh", "acr": "vneid:level1"},
    "dinh-danh-sai": {"personal_id": "123456789012", "name": "Người Định Danh Sai", "acr": "vneid:level2"},
}


def userinfo(claims, user):
    person = PEOPLE.get(user.username, {})
    claims["name"] = person.get("name", "")
    claims["birthdate"] = person.get("birthdate", "")
    claims["phone_number"] = person.get("phone_number", "")
    claims["phone_number_verified"] = bool(person.get("phone_number"))
    return claims


class VNeIDScopeClaims(ScopeClaims):
    info_vneid = (_("Số định danh cá nhân"), _("Số định danh cá nhân của bạn."))

    def scope_vneid(self):
        return {"personal_id": PEOPLE.get(self.user.username, {}).get("personal_id")}


def id_token_add_level(id_token, user, token, request, **kwargs):
    level = PEOPLE.get(user.username, {}).get("acr")
    if level:
        id_token["acr"] = level
    return id_token
