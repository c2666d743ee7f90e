"""Notification preferences: which events reach a user by which channel."""

from django.utils.translation import gettext_lazy as _

CHANNELS = [("email", _("Thư điện tử")), ("sms", _("Tin nhắn SMS")), ("inapp", _("Trên cổng"))]
# (event type, label, may be switched off). Supplement requests and results always reach the citizen:
# missing them costs the citizen the dossier.
EVENT_TYPES = [
    ("dossier_submitted", _("Nộp hồ sơ thành công"), True),
    ("dossier_received", _("Hồ sơ được tiếp nhận, có ngày hẹn trả"), True),
    ("supplement_requested", _("Yêu cầu bổ sung giấy tờ"), False),
    ("payment_requested", _("Yêu cầu nộp phí, lệ phí"), False),
    ("dossier_extended", _("Gia hạn, xin lỗi vì trễ hẹn"), True),
    ("result_ready", _("Có kết quả"), False),
    ("dossier_returned", _("Đã trả kết quả"), True),
    ("dossier_refused", _("Từ chối tiếp nhận, dừng xử lý"), False),
    ("message_received", _("Tin nhắn của cơ quan"), True),
]
DEFAULT_CHANNELS = ["email", "sms", "inapp"]


def preferences_for(user) -> dict[str, list[str]]:
    """The channels of every event type for `user`; compulsory events always include every channel."""
    stored = user.notification_preferences or {}
    result = {}
    for event, _label, optional in EVENT_TYPES:
        channels = stored.get(event, DEFAULT_CHANNELS) if optional else DEFAULT_CHANNELS
        result[event] = [c for c, _name in CHANNELS if c in channels]
    return result
