"""The password policy (DOMAIN.md §5): long, mixed, not common, not personal, not reused.

Used through AUTH_PASSWORD_VALIDATORS on registration, change and reset. Messages are Vietnamese.
"""

import re

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommonPasswordValidator
from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dichvucong.core.text import fold


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """At least `min_length` characters (10 by default), said in Vietnamese."""

    def __init__(self, min_length=10):
        super().__init__(min_length)

    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Mật khẩu có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class CompositionValidator:
    """Letters, digits and special characters, all three."""

    def validate(self, password, user=None):
        missing = []
        if not re.search(r"[^\W\d_]", password):
            missing.append(_("chữ cái"))
        if not re.search(r"\d", password):
            missing.append(_("chữ số"))
        if not re.search(r"[^\w\s]|_", password):
            missing.append(_("ký tự đặc biệt (ví dụ ! @ # $ %)"))
        if missing:
            raise ValidationError(
                _("Mật khẩu cần có thêm: %(missing)s.") % {"missing": ", ".join(missing)},
                code="password_composition",
            )

    def get_help_text(self):
        return _("Mật khẩu gồm chữ cái, chữ số và ký tự đặc biệt.")


class PersonalDataSimilarityValidator:
    """Not similar to the name, personal ID, phone number or e-mail (also without diacritics)."""

    def validate(self, password, user=None):
        if user is None:
            return
        folded = fold(password).replace(" ", "")
        digits = re.sub(r"\D", "", password)
        values = {
            "full_name": getattr(user, "full_name", ""),
            "email": (getattr(user, "email", "") or "").split("@")[0],
        }
        for value in values.values():
            for part in fold(value).split():
                if len(part) >= 4 and part in folded:
                    raise ValidationError(
                        _("Mật khẩu không được chứa họ tên hoặc thư điện tử của bạn."),
                        code="password_personal",
                    )
        for number in (getattr(user, "personal_id", None) or "", (getattr(user, "phone", "") or "")[-9:]):
            # Any run of 6 digits of the ID number or phone is too guessable.
            if number and any(number[i : i + 6] in digits for i in range(len(number) - 5)):
                raise ValidationError(
                    _("Mật khẩu không được chứa số định danh cá nhân hoặc số điện thoại."),
                    code="password_personal",
                )
        # Django's own similarity check on the remaining attributes (username, e-mail, name).
        UserAttributeSimilarityValidator(("username", "full_name", "email")).validate(password, user)

    def get_help_text(self):
        return _("Không dùng họ tên, số định danh, số điện thoại hoặc thư điện tử trong mật khẩu.")


class PasswordHistoryValidator:
    """Not one of the user's last `history` passwords (nor the current one)."""

    def __init__(self, history=5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        # The last `history` passwords: the current one and the history-1 before it.
        earlier = user.password_history.values_list("password", flat=True)[: self.history - 1]
        previous = [user.password, *earlier]
        if any(encoded and check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                _("Không dùng lại một trong %(count)s mật khẩu gần nhất.") % {"count": self.history},
                code="password_reused",
            )

    def get_help_text(self):
        return _("Không dùng lại %(count)s mật khẩu gần nhất.") % {"count": self.history}


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords, also after removing the symbols, spaces and diacritics
    people add to make a common password look strong ("Password123!", "Mật khẩu@123")."""

    def validate(self, password, user=None):
        super().validate(password, user)
        stripped = fold(password).replace(" ", "")
        if stripped != password.lower() and stripped in self.passwords:
            raise ValidationError(_("Mật khẩu này quá phổ biến."), code="password_too_common")

    def get_error_message(self):
        return _("Mật khẩu này quá phổ biến.")
