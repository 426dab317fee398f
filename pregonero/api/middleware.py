"""What every request to the HTTP API shares: no cookies in, rate-limit headers out."""

from __future__ import annotations

API_PREFIX = "/api/"


class ApiRequestMiddleware:
    """The API authenticates with bearer tokens only (docs/api.md).

    A browser that is signed in to the interface sends its session cookie along; dropping it
    before the session middleware means an API request can never act as that session, and
    no CSRF token is ever needed. On the way out, the rate-limit headers the token check
    computed are added to whatever the API answered, errors included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        request.META.pop("HTTP_COOKIE", None)
        response = self.get_response(request)
        for name, value in getattr(request, "api_headers", {}).items():
            response.headers.setdefault(name, value)
        return response
