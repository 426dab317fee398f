"""Subscribing to the bulletin: double opt-in, recorded consent, unsubscribing."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pregonero.audit.models import AuditEntry
from pregonero.public import subscriptions
from pregonero.public.models import Subscriber
from pregonero.public.tests.factories import (
    as_citizens_read_it,
    make_channel,
    make_post,
    make_publication,
    make_subscriber,
    part_for,
)

ADDRESS = "Marta.Vecina@Correo.example"


def subscribe(client, bulletin, email=ADDRESS, language="ca", consent=True, ip="192.0.2.10"):
    data = {"email": email, "language": language, "channel": bulletin.pk}
    if consent:
        data["consent"] = "on"
    return client.post("/p/vilanova-de-mar/subscribe/", data, REMOTE_ADDR=ip)


def confirmation_link(message) -> str:
    return re.search(r"https://pregonero\.example(/p/\S+/subscribe/confirm/\S+/)", message.body).group(1)


def test_the_form_shows_the_data_protection_information(client, bulletin):
    page = client.get("/p/vilanova-de-mar/subscribe/").text

    assert as_citizens_read_it("Controller: %(name)s.", name="Ajuntament de Vilanova de Mar") in page
    assert (
        as_citizens_read_it(
            "Legal basis: your consent (article 6.1.a of the General Data Protection Regulation). "
            "You can withdraw it at any time with the link in every message."
        )
        in page
    )
    assert 'name="consent"' in page and 'name="csrfmiddlewaretoken"' in page


def test_there_is_no_form_without_a_bulletin(client, vilanova):
    assert client.get("/p/vilanova-de-mar/subscribe/").status_code == 404


def test_subscribing_records_consent_and_sends_only_a_confirmation(client, bulletin):
    response = subscribe(client, bulletin)

    assert response.status_code == 200 and as_citizens_read_it("Check your mailbox") in response.text
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "marta.vecina@correo.example"
    assert subscriber.confirmed_at is None and subscriber.language == "ca"
    # The consent kept is the text the person read: the page's language, not the bulletin's.
    assert subscriber.consent_text == subscriptions.consent_for(bulletin, "es").text
    assert subscriber.consent_version.startswith(subscriptions.CONSENT_TEMPLATE_VERSION + "-")
    assert subscriber.consent_ip == "192.0.2.10"
    assert subscriber.token_hash and len(subscriber.token_hash) == 64
    [message] = mail.outbox
    assert message.to == ["marta.vecina@correo.example"]
    assert subscriber.token_hash not in message.body


def test_consent_is_required(client, bulletin):
    response = subscribe(client, bulletin, consent=False)

    assert response.status_code == 200 and 'aria-invalid="true"' in response.text
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_subscribing_needs_the_csrf_token(bulletin):
    strict = Client(enforce_csrf_checks=True)

    assert subscribe(strict, bulletin).status_code == 403


def test_an_unconfirmed_address_receives_no_bulletin(client, bulletin, ana):
    subscribe(client, bulletin)
    mail.outbox.clear()
    post = make_post(bulletin.organisation, ana, {"es": "Noticia", "ca": "Notícia"})

    bulletin.get_connector().publish(part_for(make_publication(post, bulletin, "ca")))

    assert mail.outbox == []


def test_opening_the_link_asks_and_confirming_subscribes(client, bulletin):
    subscribe(client, bulletin)
    link = confirmation_link(mail.outbox[0])

    asked = client.get(link)
    assert asked.status_code == 200 and as_citizens_read_it("Confirm my subscription") in asked.text
    assert Subscriber.objects.get().confirmed_at is None

    confirmed = client.post(link)
    assert as_citizens_read_it("Subscription confirmed") in confirmed.text
    assert Subscriber.objects.get().is_active


def test_a_confirmation_link_expires_after_48_hours(client, bulletin):
    subscribe(client, bulletin)
    Subscriber.objects.update(token_sent_at=timezone.now() - timedelta(hours=49))

    response = client.post(confirmation_link(mail.outbox[0]))

    assert response.status_code == 404
    assert Subscriber.objects.get().confirmed_at is None


def test_a_confirmation_link_works_only_for_its_organisation(client, bulletin, altea):
    make_channel(altea, "email")
    subscribe(client, bulletin)
    link = confirmation_link(mail.outbox[0]).replace("vilanova-de-mar", "altea")

    assert client.post(link).status_code == 404


def test_asking_again_soon_sends_no_second_message(client, bulletin):
    subscribe(client, bulletin)
    subscribe(client, bulletin)

    assert len(mail.outbox) == 1


def test_a_confirmed_address_asking_again_gets_nothing_and_the_same_answer(client, bulletin):
    make_subscriber(bulletin, ADDRESS.lower())

    response = subscribe(client, bulletin)

    assert as_citizens_read_it("Check your mailbox") in response.text
    assert mail.outbox == []


def test_too_many_requests_from_one_address_are_refused(client, bulletin):
    for number in range(subscriptions.MAX_REQUESTS_PER_ADDRESS):
        assert subscribe(client, bulletin, email=f"person{number}@correo.example").status_code == 200

    response = subscribe(client, bulletin, email="one-more@correo.example")

    assert response.status_code == 429
    assert subscribe(client, bulletin, email="elsewhere@correo.example", ip="192.0.2.99").status_code == 200


def test_unsubscribing_asks_first_then_stops_the_bulletin(client, bulletin):
    subscriber = make_subscriber(bulletin, "marta@correo.example")
    link = subscriptions.unsubscribe_url(subscriber).removeprefix("https://pregonero.example")

    asked = client.get(link)
    assert asked.status_code == 200 and 'method="post"' in asked.text
    assert Subscriber.objects.get().unsubscribed_at is None

    done = client.post(link)
    assert as_citizens_read_it("You have unsubscribed") in done.text
    assert Subscriber.objects.get().unsubscribed_at is not None


def test_one_click_unsubscribing_works_without_a_csrf_token(bulletin):
    subscriber = make_subscriber(bulletin, "marta@correo.example")
    link = subscriptions.unsubscribe_url(subscriber).removeprefix("https://pregonero.example")

    response = Client(enforce_csrf_checks=True).post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Subscriber.objects.get().is_active


def test_a_forged_or_foreign_unsubscribe_link_is_refused(client, bulletin, altea):
    subscriber = make_subscriber(bulletin, "marta@correo.example")
    token = subscriptions.unsubscribe_token(subscriber)

    assert client.post(f"/p/vilanova-de-mar/unsubscribe/{subscriber.pk}:forged/").status_code == 404
    assert client.post(f"/p/altea/unsubscribe/{token}/").status_code == 404
    assert Subscriber.objects.get().is_active


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(client, bulletin):
    make_subscriber(bulletin, ADDRESS.lower(), unsubscribed=True)
    Subscriber.objects.update(token_sent_at=timezone.now() - timedelta(days=30))

    subscribe(client, bulletin)

    subscriber = Subscriber.objects.get()
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is None
    assert len(mail.outbox) == 1


def test_subscription_events_are_audited_without_the_address(client, bulletin, caplog):
    caplog.set_level(logging.DEBUG)
    subscribe(client, bulletin)
    client.post(confirmation_link(mail.outbox[0]))

    entries = AuditEntry.objects.filter(organisation=bulletin.organisation, action__startswith="subscriber.")
    assert list(entries.order_by("seq").values_list("action", flat=True)) == [
        "subscriber.requested",
        "subscriber.confirmed",
    ]
    for entry in entries:
        assert "correo.example" not in f"{entry.object_repr} {entry.details} {entry.actor_label}"
    assert "correo.example" not in caplog.text.lower()


def test_unconfirmed_requests_are_purged_after_their_link_expires(bulletin):
    old = make_subscriber(bulletin, "old@correo.example", confirmed=False)
    make_subscriber(bulletin, "new@correo.example", confirmed=False)
    make_subscriber(bulletin, "kept@correo.example")
    Subscriber.objects.filter(pk=old.pk).update(token_sent_at=timezone.now() - timedelta(hours=49))

    assert subscriptions.purge_unconfirmed() == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "kept@correo.example",
        "new@correo.example",
    ]


def test_subscriber_counts_count_current_subscribers_per_channel(bulletin):
    make_subscriber(bulletin, "a@correo.example")
    make_subscriber(bulletin, "b@correo.example", confirmed=False)
    make_subscriber(bulletin, "c@correo.example", unsubscribed=True)

    assert subscriptions.subscriber_counts(bulletin.organisation) == {bulletin.pk: 1}


@pytest.mark.parametrize("language", ["es", "ca"])
def test_the_confirmation_message_speaks_the_chosen_language(client, bulletin, settings, language):
    subscribe(client, bulletin, language=language)

    assert mail.outbox[0].subject
    assert "Ajuntament de Vilanova de Mar" in mail.outbox[0].from_email
