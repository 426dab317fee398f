"""Version 1 of the API, one module per resource.

Each operation parses, authorises through :func:`pregonero.api.access.reach`, calls one
service and answers; refusals are raised and become problems in :mod:`pregonero.api.api`.
"""

import json

from django.http import HttpResponse
from ninja import Header, Schema

from pregonero.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from pregonero.api.schemas import ProblemOut

# Path ids stay within what every database can compare (a larger number is simply not found).
ID = {"ge": 1, "le": 2**62}

# The optional key of every POST that acts once (submit, approve, a publication's decision...).
IDEMPOTENCY_KEY = Header(
    None,
    alias=IDEMPOTENCY_HEADER,
    description="Any unique string (a UUID): a retry with the same key gets the first reply.",
)


# The refusals any operation may answer, all as problems (pregonero.api.problems).
PROBLEM_CODES = frozenset({400, 401, 403, 404, 412, 413, 415, 422, 428, 429})


def answers(**ok) -> dict:
    """Response declarations: the successful ones given, plus the problems."""
    return {**{int(code.removeprefix("s")): schema for code, schema in ok.items()}, PROBLEM_CODES: ProblemOut}


def json_answer(status: int, schema: Schema, headers: dict[str, str] | None = None) -> HttpResponse:
    """``schema`` as the JSON body of a response with ``status`` (201, 202...) and ``headers``."""
    response = HttpResponse(
        json.dumps(schema.model_dump(mode="json"), ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
