"""Version 1 of the API, one module per resource.

Each operation parses, authorises through :func:`pregonero.api.access.reach`, calls one
service and answers; refusals are raised and become problems in :mod:`pregonero.api.api`.
"""

from ninja import Header

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
