"""The e-mail bulletin connector, called directly with outgoing parts."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from pregonero.channels.connectors.base import ConnectorError, OutgoingMedia
from pregonero.channels.connectors.email.connector import bulletin_language
from pregonero.public import subscriptions
from pregonero.public.models import BulletinDelivery, DeliveryState
from pregonero.public.tests.factories import (
    make_channel,
    make_post,
    make_publication,
    make_subscriber,
    part_for,
    smtp_server,
)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://pregonero.example"


@pytest.fixture
def bulletin(vilanova):
    return make_channel(vilanova, "email", "Butlletí de Vilanova", from_email="noticies@vilanova.example")


@pytest.fixture
def post(vilanova, ana):
    return make_post(vilanova, ana, {"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dilluns."}, "Agua")


@pytest.fixture
def marta(bulletin):
    return make_subscriber(bulletin, "marta@correo.example", "es")


@pytest.fixture
def jordi(bulletin):
    return make_subscriber(bulletin, "jordi@correo.example", "ca")


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


class FailingAfter(LocmemBackend):
    """Takes ``accepted`` messages in all, then behaves as a mail server that went away."""

    accepted = 1

    def send_messages(self, messages):
        if len(mail.outbox) >= self.accepted:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.parametrize(
    ("subscriber", "available", "expected"),
    [
        ("ca", {"es", "ca"}, "ca"),
        ("eu", {"es", "ca"}, "es"),
        ("eu", {"ca"}, "ca"),
        ("es", {"gl", "ca"}, "ca"),
        ("es", set(), None),
    ],
)
def test_each_subscriber_reads_their_language_or_the_default(subscriber, available, expected):
    assert bulletin_language(subscriber, available, "es", ["es", "ca", "gl"]) == expected


def test_it_declares_a_whole_message_with_no_thread(bulletin):
    connector = bulletin.get_connector()
    assert connector.capabilities.idempotent_publish and not connector.capabilities.thread
    assert connector.limits.max_thread == 1


def test_the_bulletin_goes_to_confirmed_subscribers_only(bulletin, post, marta):
    make_subscriber(bulletin, "pending@correo.example", confirmed=False)
    make_subscriber(bulletin, "gone@correo.example", unsubscribed=True)

    bulletin.get_connector().publish(part_for(make_publication(post, bulletin, "es")))

    assert recipients() == ["marta@correo.example"]
    delivery = BulletinDelivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.message_id


def test_publishing_the_same_key_again_sends_nothing_more(bulletin, post, marta):
    part = part_for(make_publication(post, bulletin, "es"))
    connector = bulletin.get_connector()

    connector.publish(part)
    connector.publish(part)

    assert recipients() == ["marta@correo.example"]
    assert connector.find_published(part.idempotency_key) is not None


def test_each_language_version_goes_to_its_readers(bulletin, post, marta, jordi):
    basque = make_subscriber(bulletin, "miren@correo.example", "eu")
    connector = bulletin.get_connector()
    spanish, catalan = (make_publication(post, bulletin, lang) for lang in ("es", "ca"))

    connector.publish(part_for(spanish))
    connector.publish(part_for(catalan))

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([marta.email, jordi.email, basque.email])
    assert "Corte de agua" in by_address[marta.email].body
    assert "Tall d'aigua" in by_address[jordi.email].body
    assert "Corte de agua" in by_address[basque.email].body


def test_a_retry_sends_only_to_those_not_reached(settings, bulletin, post, marta, jordi):
    jordi.language = "es"
    jordi.save()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingAfter"}}
    part = part_for(make_publication(post, bulletin, "es"))
    connector = bulletin.get_connector()

    with pytest.raises(ConnectorError) as error:
        connector.publish(part)
    assert not error.value.permanent
    assert connector.find_published(part.idempotency_key) is None
    FailingAfter.accepted = 2
    try:
        connector.publish(part)
    finally:
        FailingAfter.accepted = 1

    assert recipients() == sorted([marta.email, jordi.email])
    assert set(BulletinDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert BulletinDelivery.objects.get(subscriber=jordi).attempts == 2


def test_a_delivery_interrupted_mid_send_is_not_sent_again(bulletin, post, marta):
    part = part_for(make_publication(post, bulletin, "es"))
    BulletinDelivery.objects.create(
        subscriber=marta,
        channel=bulletin,
        part_key=part.idempotency_key,
        language="es",
        state=DeliveryState.SENDING,
        attempts=1,
        attempted_at=timezone.now() - timedelta(hours=1),
    )

    bulletin.get_connector().publish(part)

    assert mail.outbox == []
    assert BulletinDelivery.objects.get().state == DeliveryState.UNKNOWN


def test_every_message_carries_its_unsubscribe_link_and_headers(bulletin, post, marta):
    bulletin.get_connector().publish(part_for(make_publication(post, bulletin, "es")))

    [message] = mail.outbox
    link = subscriptions.unsubscribe_url(marta)
    assert link.startswith("https://pregonero.example/p/vilanova-de-mar/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    [(html, mime)] = message.alternatives
    assert mime == "text/html" and link in html
    assert message.from_email == "Ajuntament de Vilanova de Mar <noticies@vilanova.example>"
    assert message.subject == "Agua"


def test_images_are_described_not_attached(bulletin, post, marta):
    image = OutgoingMedia(path="posts/1/x/plaza.png", mime="image/png", description="La plaza <mayor>")

    bulletin.get_connector().publish(part_for(make_publication(post, bulletin, "es"), media=(image,)))

    [message] = mail.outbox
    assert message.attachments == []
    assert "La plaza <mayor>" in message.body
    assert "La plaza &lt;mayor&gt;" in message.alternatives[0].content


def test_the_text_is_escaped_in_the_html_version(bulletin, vilanova, ana, marta):
    post = make_post(vilanova, ana, {"es": "<script>alert(1)</script> https://vilanova.example"})

    bulletin.get_connector().publish(part_for(make_publication(post, bulletin, "es")))

    html = mail.outbox[0].alternatives[0].content
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://vilanova.example"' in html


def test_a_real_smtp_server_receives_one_message_per_subscriber(settings, bulletin, post, marta, jordi):
    jordi.language = "es"
    jordi.save()
    part = part_for(make_publication(post, bulletin, "es"))

    with smtp_server(settings) as mailbox:
        bulletin.get_connector().publish(part)
        bulletin.get_connector().publish(part)

    assert len(mailbox.messages) == 2
    [received] = mailbox.to(marta.email)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subscriptions.unsubscribe_url(marta) in received["List-Unsubscribe"]
    assert received["Message-ID"] == BulletinDelivery.objects.get(subscriber=marta).message_id
    assert received.is_multipart()


def test_a_large_list_goes_out_in_batches_through_the_dispatcher_once_each(
    settings, bulletin, post, mailoutbox
):
    from pregonero.publishing import dispatch
    from pregonero.publishing.models import PostState, PublicationState

    settings.BULLETIN_BATCH_SIZE = 2
    post.state = PostState.SCHEDULED
    post.save(update_fields=["state"])
    for n in range(5):
        make_subscriber(bulletin, f"vecina{n}@correo.example", "es")
    publication = make_publication(post, bulletin, "es")

    batches = []
    while (handled := dispatch.dispatch_next("worker-a")) is not None:
        batches.append((handled[1], len(mailoutbox)))
    assert batches == [
        (PublicationState.RETRY_WAIT, 2),
        (PublicationState.RETRY_WAIT, 4),
        (PublicationState.SENT, 5),
    ]
    assert recipients() == sorted(f"vecina{n}@correo.example" for n in range(5))
    publication.refresh_from_db()
    # Progress is not failure: no backoff, no failed attempt, the channel stays healthy.
    assert [attempt.outcome for attempt in publication.attempts.all()] == ["success"] * 3
    assert publication.attempts.first().error.startswith("%(count)d of %(total)d")
    assert publication.attempts.first().error_params == {"count": 3, "total": 5}
    bulletin.refresh_from_db()
    assert (bulletin.health, bulletin.consecutive_failures) == ("ok", 0)


def test_batches_wait_the_interval_the_mail_provider_needs(settings, bulletin, post, marta, jordi):
    from pregonero.publishing import dispatch
    from pregonero.publishing.models import PostState, PublicationState

    settings.BULLETIN_BATCH_SIZE = 1
    settings.BULLETIN_BATCH_INTERVAL = 3600
    post.state = PostState.SCHEDULED
    post.save(update_fields=["state"])
    jordi.language = "es"
    jordi.save(update_fields=["language"])
    publication = make_publication(post, bulletin, "es")
    assert dispatch.dispatch_next("worker-a") == (publication.pk, PublicationState.RETRY_WAIT)
    publication.refresh_from_db()
    assert publication.due_at > timezone.now() + timedelta(minutes=59)
    assert dispatch.dispatch_next("worker-a") is None
