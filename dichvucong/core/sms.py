"""Sending SMS through a configured backend (settings.SMS_BACKEND).

This is the channel interface the accounts issue needs for one-time codes; the notifications issue adds
the HTTP gateway backend and the outbox on top of it. Backends:
- "console": print to standard output (development, `make run`);
- "file": append to VAR_DIR/sms.log (default with DEBUG off until a gateway is configured);
- "memory": keep messages in `outbox` (tests).
"""

import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    sent_at: datetime


def send_sms(to: str, text: str) -> SmsMessage:
    """Send `text` to the E.164 number `to` through the configured backend."""
    message = SmsMessage(to=to, text=text, sent_at=datetime.now(UTC))
    backend = settings.SMS_BACKEND
    if backend == "memory":
        outbox.append(message)
    elif backend == "console":
        sys.stdout.write(f"[SMS → {to}] {text}\n")
        sys.stdout.flush()
    elif backend == "file":
        path = settings.VAR_DIR / "sms.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{message.sent_at.isoformat()}\t{to}\t{text}\n")
    else:
        raise ValueError(f"Unknown SMS_BACKEND {backend!r}")
    return message
