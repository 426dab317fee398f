"""Request helpers shared by the compliance screens."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.http import require_http_methods

from pregonero.accounts.scoping import organisation_for

GET_POST = require_http_methods(["GET", "POST"])


def post_only(view):
    """Actions answer 405 to anything but POST, after the organisation check (outsiders get 404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            organisation_for(request.user, slug)
            return HttpResponseNotAllowed(["POST"])
        return view(request, slug, *args, **kwargs)

    return wrapper


def posted(request: HttpRequest):
    """The POST data, or None for a GET (an empty POST, every box unticked, is still a POST)."""
    return request.POST if request.method == "POST" else None
