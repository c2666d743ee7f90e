"""Writing outbox rows; always inside the caller's transaction (the event and its messages commit
together or not at all)."""

from django.db import transaction

from .models import Outbox, OutboxChannel


def outbox_enqueue(
    *, event: str, recipients, channels_for, context: dict, subject: tuple[str, str] = ("", "")
) -> list[Outbox]:
    """One row per recipient and channel; `channels_for(user)` gives a user's channels for `event`.

    Must run inside a transaction: the rows belong to the event that caused them.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the event's transaction")
    rows = []
    for user in recipients:
        for channel in channels_for(user):
            address = {OutboxChannel.EMAIL: user.email, OutboxChannel.SMS: user.phone}.get(channel, "")
            if channel != OutboxChannel.INAPP and not address:
                continue
            rows.append(
                Outbox(
                    event=event,
                    channel=channel,
                    recipient=user,
                    address=address,
                    context=context,
                    subject_type=subject[0],
                    subject_id=subject[1],
                )
            )
    return Outbox.objects.bulk_create(rows)
