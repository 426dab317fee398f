"""The channels page: health for every member, new channels for admins only."""

import pytest
from django.urls import reverse

from pregonero.audit.models import AuditEntry
from pregonero.channels import connectors
from pregonero.channels.models import Channel, Health

FAKE = "pregonero.publishing.tests.fakes.ThreadingNetwork"


@pytest.fixture(autouse=True)
def only_the_fake_network(monkeypatch):
    # The real connectors are written separately; the page must not depend on them.
    monkeypatch.setattr(connectors, "REGISTRY", {"test_threads": FAKE, "missing": "no.such.Module"})
    connectors.connector_class.cache_clear()
    yield
    connectors.connector_class.cache_clear()


def test_members_see_every_channel_with_its_health(client_for, vera, vilanova):
    Channel.objects.create(
        organisation=vilanova,
        connector="test_threads",
        name="Fil",
        health=Health.BROKEN,
        health_message="Token caducado",
    )
    content = client_for(vera).get(reverse("channels:list", args=[vilanova.slug])).content.decode()
    assert "Fil" in content and "Needs attention" in content and "Token caducado" in content
    assert "Add a channel" not in content


def test_a_channel_whose_connector_is_not_installed_is_still_listed(client_for, vera, vilanova):
    Channel.objects.create(organisation=vilanova, connector="missing", name="Antiga")
    content = client_for(vera).get(reverse("channels:list", args=[vilanova.slug])).content.decode()
    assert "Antiga" in content and "not installed" in content


def test_an_admin_adds_a_channel_with_its_owner_department(client_for, alba, vilanova, urbanismo):
    url = reverse("channels:list", args=[vilanova.slug])
    response = client_for(alba).post(
        url, {"connector": "test_threads", "name": "Web municipal", "owner_department": urbanismo.pk}
    )
    assert response.status_code == 302
    channel = Channel.objects.get(organisation=vilanova)
    assert (channel.connector, channel.owner_department) == ("test_threads", urbanismo)
    assert AuditEntry.objects.filter(action="channel.created", organisation=vilanova).exists()


def test_only_networks_whose_code_is_installed_are_offered(client_for, alba, vilanova):
    content = client_for(alba).get(reverse("channels:list", args=[vilanova.slug])).content.decode()
    assert 'value="test_threads"' in content
    assert 'value="missing"' not in content


def test_names_are_unique_in_an_organisation(client_for, alba, vilanova):
    Channel.objects.create(organisation=vilanova, connector="test_threads", name="Web")
    url = reverse("channels:list", args=[vilanova.slug])
    response = client_for(alba).post(url, {"connector": "test_threads", "name": "web"})
    assert response.status_code == 200
    assert Channel.objects.count() == 1


def test_an_editor_cannot_add_channels(client_for, ana, vilanova):
    url = reverse("channels:list", args=[vilanova.slug])
    assert client_for(ana).post(url, {"connector": "test_threads", "name": "X"}).status_code == 403


def test_a_department_of_another_town_is_refused(client_for, alba, vilanova, altea_department):
    url = reverse("channels:list", args=[vilanova.slug])
    response = client_for(alba).post(
        url, {"connector": "test_threads", "name": "X", "owner_department": altea_department.pk}
    )
    assert response.status_code == 200
    assert not Channel.objects.exists()


def test_another_towns_channels_are_404(client_for, oscar, vilanova):
    assert client_for(oscar).get(reverse("channels:list", args=[vilanova.slug])).status_code == 404


def test_an_admin_edits_a_channel_and_its_network_settings(
    client_for, alba, vilanova, urbanismo, monkeypatch
):
    monkeypatch.setitem(
        connectors.REGISTRY, "email", "pregonero.channels.connectors.email.connector.EmailConnector"
    )
    connectors.connector_class.cache_clear()
    channel = Channel.objects.create(organisation=vilanova, connector="email", name="Butlletí")
    url = reverse("channels:edit", args=[vilanova.slug, channel.pk])
    assert 'name="settings-from_email"' in client_for(alba).get(url).content.decode()
    response = client_for(alba).post(
        url,
        {
            "name": "Butlletí municipal",
            "owner_department": urbanismo.pk,
            "is_active": "on",
            "settings-from_email": "butlleti@vilanova.example",
            "settings-privacy_url": "https://vilanova.example/privacitat",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Butlletí municipal" and channel.owner_department == urbanismo
    assert channel.config == {
        "from_email": "butlleti@vilanova.example",
        "privacy_url": "https://vilanova.example/privacitat",
    }
    entry = AuditEntry.objects.get(action="channel.updated")
    assert entry.changes["settings.from_email"] == [None, "butlleti@vilanova.example"]


def test_a_bad_setting_is_shown_on_its_field(client_for, alba, vilanova, monkeypatch):
    monkeypatch.setitem(
        connectors.REGISTRY, "email", "pregonero.channels.connectors.email.connector.EmailConnector"
    )
    connectors.connector_class.cache_clear()
    channel = Channel.objects.create(organisation=vilanova, connector="email", name="Butlletí")
    url = reverse("channels:edit", args=[vilanova.slug, channel.pk])
    response = client_for(alba).post(url, {"name": "Butlletí", "settings-from_email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    channel.refresh_from_db()
    assert channel.config == {}


def test_only_admins_edit_and_outsiders_get_404(client_for, ana, oscar, vilanova):
    channel = Channel.objects.create(organisation=vilanova, connector="test_threads", name="Fil")
    url = reverse("channels:edit", args=[vilanova.slug, channel.pk])
    assert client_for(ana).get(url).status_code == 403
    assert client_for(ana).post(url, {"name": "X"}).status_code == 403
    assert client_for(oscar).get(url).status_code == 404


def test_another_towns_channel_is_404_even_for_an_admin(client_for, oscar, altea, vilanova):
    channel = Channel.objects.create(organisation=vilanova, connector="test_threads", name="Fil")
    assert client_for(oscar).get(reverse("channels:edit", args=[altea.slug, channel.pk])).status_code == 404
    url = reverse("channels:disconnect", args=[altea.slug, channel.pk])
    assert client_for(oscar).post(url).status_code == 404
