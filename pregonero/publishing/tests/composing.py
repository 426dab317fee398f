"""Fixtures of the composing and workflow tests: fake networks, channels, a post maker.

Each test module that needs them imports the functions (``*_fixture``); the
fixtures keep their short names (``threads``, ``make_post``), so parameters do not shadow
imports. This package's shared conftest stays with the dispatcher's fixtures.
"""

from __future__ import annotations

import pytest

from pregonero.channels import connectors
from pregonero.channels.models import Channel
from pregonero.publishing import services
from pregonero.publishing.tests.fakes import FAKES


@pytest.fixture(name="fake_networks", autouse=True)
def fake_networks_fixture(monkeypatch, settings, tmp_path):
    # Uploaded files of a test go to its own directory, not to the instance's var/media.
    settings.MEDIA_ROOT = tmp_path
    for key, path in FAKES.items():
        monkeypatch.setitem(connectors.REGISTRY, key, path)
    connectors.connector_class.cache_clear()
    yield
    connectors.connector_class.cache_clear()


@pytest.fixture(name="threads")
def threads_fixture(vilanova) -> Channel:
    return Channel.objects.create(organisation=vilanova, connector="test_threads", name="Fil")


@pytest.fixture(name="plain")
def plain_fixture(vilanova) -> Channel:
    return Channel.objects.create(organisation=vilanova, connector="test_plain", name="Pla")


@pytest.fixture(name="make_post")
def make_post_fixture(threads, urbanismo):
    """``make_post(author, **values)``: a draft of vilanova in both languages on the threads channel."""

    def make(author, **values):
        organisation = values.pop("organisation", threads.organisation)
        own = organisation == threads.organisation
        values.setdefault("texts", {"es": "Corte de agua el lunes.", "ca": "Tall d'aigua dilluns."})
        values.setdefault("channels", [threads] if own else [])
        values.setdefault("department", urbanismo if own else None)
        values.setdefault("title", "Corte de agua")
        return services.create_post(organisation, actor=author, **values)

    return make
