"""The HTTP API, version 1: one NinjaAPI whose OpenAPI 3.1 document is generated from the code.

Each resource has its module under :mod:`pregonero.api.v1`; they all authorise through
:func:`pregonero.api.access.reach` and call the same services as the interface. Every
refusal leaves here as an RFC 9457 problem (:mod:`.problems`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from pregonero.api import problems
from pregonero.api.auth import TokenAuth

DESCRIPTION = """
Pregonero's public HTTP API: read the organisation, write and publish posts, decide on
publications, watch channels, answer and triage the inbox's conversations, search the archive
and read the audit log. Authenticate every request with `Authorization: Bearer <token>`; an administrator
creates tokens under the organisation's settings. Errors are RFC 9457 problem details. See
docs/api.md for a walk-through with curl.
"""


class PregoneroAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Problems are ``application/problem+json``, which the generator cannot know by itself."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {problems.PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


api = PregoneroAPI(
    title="Pregonero API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(problems.Problem)
def _problem(request, error: problems.Problem):
    return error.response(request.path)


@api.exception_handler(Http404)
def _not_found(request, error):
    return problems.not_found().response(request.path)


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return problems.forbidden().response(request.path)


@api.exception_handler(ValidationError)
def _refused(request, error: ValidationError):
    return problems.from_validation_error(error).response(request.path)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    return problems.unauthenticated(_("Send the token in an “Authorization: Bearer …” header.")).response(
        request.path
    )


@api.exception_handler(HttpError)
def _unreadable(request, error: HttpError):
    """The framework's own refusals; the one seen in practice is a body that is not JSON."""
    if error.status_code == 400:
        return problems.Problem(
            400, _("The request body cannot be read as JSON."), kind="malformed"
        ).response(request.path)
    return problems.Problem(error.status_code, str(error)).response(request.path)


# Where a request part sits in pydantic's error locations; the field names follow it.
_LOCATIONS = {"body", "query", "path", "header", "form", "file", "payload", "filters"}


def _messages() -> dict[str, str]:
    return {
        "missing": _("This field is required."),
        "string_too_long": _("This text is too long."),
        "too_long": _("Too many items."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "datetime_parsing": _("Enter a date and time in ISO 8601, e.g. 2026-12-01T10:00:00+01:00."),
        "datetime_from_date_parsing": _("Enter a date and time in ISO 8601, e.g. 2026-12-01T10:00:00+01:00."),
        "timezone_aware": _("Give the time with its zone, e.g. 2026-12-01T10:00:00+01:00."),
        "literal_error": _("This value is not one of the allowed ones."),
        "enum": _("This value is not one of the allowed ones."),
        "string_type": _("Enter a text."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "json_invalid": _("The body is not valid JSON."),
        "model_attributes_type": _("Enter an object."),
        "greater_than_equal": _("This number is too small."),
        "less_than_equal": _("This number is too large."),
        "too_short": _("Too few items."),
        "null_character": _("Null characters are not allowed."),
        "time_out_of_range": _("Give a year between 1900 and 2999."),
    }


def field_errors(errors: list[dict]) -> list[dict[str, str]]:
    known = _messages()
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        while location and location[0] in _LOCATIONS:
            location.pop(0)
        location = [part for part in location if part != "[key]"]
        message = known.get(error.get("type", ""), error.get("msg", ""))
        result.append({"field": ".".join(location), "message": message})
    return result


@api.exception_handler(RequestValidationError)
def _malformed(request, error: RequestValidationError):
    return problems.invalid(field_errors(error.errors)).response(request.path)


from pregonero.api.v1 import (  # noqa: E402
    archive,
    audit,
    channels,
    exports,
    inbox,
    organisations,
    posts,
    publications,
)

api.add_router("/organisations", organisations.router, tags=["Organisations"])
api.add_router("/organisations", channels.router, tags=["Channels"])
api.add_router("/organisations", posts.router, tags=["Posts"])
api.add_router("/organisations", publications.router, tags=["Publications"])
api.add_router("/organisations", inbox.router, tags=["Inbox"])
api.add_router("/organisations", audit.router, tags=["Audit"])
api.add_router("/organisations", archive.router, tags=["Archive"])
api.add_router("/organisations", exports.router, tags=["Archive"])
