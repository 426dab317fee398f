"""Fuzzing the API on a running server against its own OpenAPI document (schemathesis).

Every operation of the generated document gets a bounded number of generated requests (valid
and invalid), sent over HTTP to pytest-django's live server with an admin token of Vilanova.
Each reply must not be a server error and must match the document: status code, content
type, headers and body schema. Run time is bounded by ``MAX_EXAMPLES`` per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pregonero.accounts.roles import Role
from pregonero.api.api import api as ninja_api
from pregonero.api.tests.conftest import make_token
from pregonero.channels.models import Channel

MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema())

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fuzzed_town(settings, vilanova, alba, diana):
    """A token that may do everything in Vilanova, and something to find there."""
    settings.API_RATE_LIMIT = 100_000
    Channel.objects.create(organisation=vilanova, connector="website", name="Web")
    return vilanova.slug, make_token(vilanova, alba, Role.ADMIN)


def test_the_served_document_is_the_generated_one(live_server):
    import httpx

    served = httpx.get(f"{live_server.url}/api/v1/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    assert served["paths"].keys() == ninja_api.get_openapi_schema()["paths"].keys()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_its_document(case, live_server, fuzzed_town):
    slug, token = fuzzed_town
    if "organisation" in (case.path_parameters or {}):
        # Other slugs are simply 404 (test_isolation proves it); fuzz inside the organisation.
        case.path_parameters["organisation"] = slug
    case.call_and_validate(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
    )
