"""Periodic work of the public pages; the clock (:mod:`pregonero.core.clock`) enqueues it."""

from django.tasks import task

from pregonero.public import subscriptions


@task
def purge_unconfirmed_subscriptions() -> dict[str, int]:
    """Delete subscription requests never confirmed in time, as the consent text promises."""
    return {"deleted": subscriptions.purge_unconfirmed()}
