"""The one-time link with which a new official sets their first password (accounts:staff_activate)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

# An agency administrator hands the link over in person or by the agency's own channel: a working day.
STAFF_ACTIVATION_SECONDS = 24 * 3600


class StaffActivationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt (a reset token is not an activation token, nor the
    reverse) and a 24-hour lifetime instead of PASSWORD_RESET_TIMEOUT.

    The token hashes the password field, so it stops working as soon as the password is set, and when
    the administrator issues a new link (which replaces the unusable password).
    """

    key_salt = "dichvucong.accounts.activation.StaffActivationTokenGenerator"
    timeout = STAFF_ACTIVATION_SECONDS

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self.timeout:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


staff_activation_tokens = StaffActivationTokenGenerator()
