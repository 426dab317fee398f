"""Background work of webhooks: sending deliveries, retrying them, watching channel health."""

from __future__ import annotations

from django.tasks import task

from pregonero.api import webhooks


@task
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery, enqueued when its event is committed."""
    delivery = webhooks.claim(delivery_id)
    return webhooks.send(delivery) if delivery is not None else "not due"


@task
def webhook_rounds() -> dict[str, int]:
    """Every minute (the clock): announce channels that turned unhealthy and answers that fell
    overdue, send due retries."""
    announced = webhooks.announce_unhealthy_channels() + webhooks.announce_overdue_conversations()
    sent = 0
    for pk in webhooks.due_ids():
        delivery = webhooks.claim(pk)
        if delivery is not None:
            webhooks.send(delivery)
            sent += 1
    return {"announced": announced, "attempted": sent}
