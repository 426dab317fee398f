"""Tokens for the personas, and a client that speaks to the API as a program would."""

from __future__ import annotations

import json as jsonlib

import pytest

from pregonero.accounts.roles import Role
from pregonero.api import tokens
from pregonero.api.models import Access, Resource

EVERYTHING = {
    Resource.ORGANISATION: Access.READ,
    Resource.POSTS: Access.WRITE,
    Resource.PUBLICATIONS: Access.WRITE,
    Resource.CHANNELS: Access.READ,
    Resource.AUDIT: Access.READ,
    Resource.INBOX: Access.WRITE,
    Resource.ARCHIVE: Access.WRITE,
}


def make_token(organisation, creator, role=Role.EDITOR, scopes=None, **extra) -> str:
    """A token of ``organisation`` created by ``creator``; returns the secret."""
    _token, secret = tokens.create_token(
        organisation, actor=creator, name=f"{role} token", role=role, scopes=scopes or EVERYTHING, **extra
    )
    return secret


class Api:
    """``api.get(path, token)`` etc.; paths are relative to /api/v1/."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, *, json=None, headers=None, **extra):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if json is not None:
            extra["data"] = jsonlib.dumps(json)
            extra["content_type"] = "application/json"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return getattr(self.client, method)(url, headers=headers, **extra)

    def get(self, path, token=None, **extra):
        return self.call("get", path, token, **extra)

    def post(self, path, token=None, **extra):
        return self.call("post", path, token, **extra)

    def patch(self, path, token=None, **extra):
        return self.call("patch", path, token, **extra)

    def put(self, path, token=None, **extra):
        return self.call("put", path, token, **extra)


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture
def editor_token(vilanova, alba) -> str:
    return make_token(vilanova, alba, Role.EDITOR)


@pytest.fixture
def approver_token(vilanova, diana) -> str:
    """Created by another admin (Diana, of the council above): four eyes see two people."""
    return make_token(vilanova, diana, Role.APPROVER)


@pytest.fixture
def altea_token(altea, oscar) -> str:
    return make_token(altea, oscar, Role.ADMIN)


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    # Uploads of a test go to its own directory; tasks run as soon as they are enqueued.
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def tiny_png() -> bytes:
    """A valid 1×1 PNG (Pillow is not installed)."""
    from pregonero.publishing.tests.test_end_to_end import tiny_png as png

    return png()
