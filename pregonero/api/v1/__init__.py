"""Version 1 of the API, one module per resource.

Each operation parses, authorises through :func:`pregonero.api.access.reach`, calls one
service and answers; refusals are raised and become problems in :mod:`pregonero.api.api`.
"""

from ninja.responses import codes_4xx

from pregonero.api.schemas import ProblemOut

# Path ids stay within what every database can compare (a larger number is simply not found).
ID = {"ge": 1, "le": 2**62}


def answers(**ok) -> dict:
    """Response declarations: the successful ones given, plus problems for every 4xx."""
    return {**{int(code.removeprefix("s")): schema for code, schema in ok.items()}, codes_4xx: ProblemOut}
