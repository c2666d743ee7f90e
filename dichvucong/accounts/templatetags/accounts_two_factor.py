"""`{% two_factor_status_of user as status %}`: the 2FA summary on the account's security page."""

from django import template

from ..selectors import two_factor_status

register = template.Library()


@register.simple_tag
def two_factor_status_of(user) -> dict:
    return two_factor_status(user) if user.is_authenticated else {"enabled": False}
