"""Errors as RFC 9457 problem details (``application/problem+json``), in the token owner's language.

Every refusal of the API is a :class:`Problem`: ``type`` names the kind of problem (a page of
docs/api.md lists them), ``title`` says it in a sentence, ``detail`` says what happened this
time and ``errors`` lists what is wrong field by field::

    {"type": "/api/v1/problems/validation", "title": "The request has errors.", "status": 422,
     "errors": [{"field": "texts.ca", "message": "..."}]}

Plain HTTP refusals (404, 403, 401, 405) use ``about:blank`` as RFC 9457 recommends.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"


class Problem(Exception):
    """A refusal the API answers with; raise it anywhere below a view."""

    def __init__(
        self,
        status: int,
        title: str,
        *,
        kind: str | None = None,
        detail: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ):
        super().__init__(title)
        self.status, self.title, self.kind, self.detail = status, title, kind, detail
        self.errors, self.headers, self.extensions = errors, headers or {}, extensions

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"{TYPE_BASE}{self.kind}" if self.kind else "about:blank",
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extensions)
        return body

    def response(self, instance: str = "") -> HttpResponse:
        body = self.as_dict()
        if instance:
            body["instance"] = instance
        response = HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
            status=self.status,
            content_type=PROBLEM_CONTENT_TYPE,
        )
        for name, value in self.headers.items():
            response[name] = value
        return response


def not_found() -> Problem:
    # Never says whether the organisation or the object exists elsewhere.
    return Problem(404, _("Not found."))


def forbidden() -> Problem:
    return Problem(403, _("The token's role or scopes do not allow this."))


def unauthenticated(detail: str) -> Problem:
    return Problem(
        401, _("A valid API token is needed."), detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def invalid(errors: list[dict[str, str]], **extensions: Any) -> Problem:
    return Problem(422, _("The request has errors."), kind="validation", errors=errors, **extensions)


def field_error(field: str, message: str, **extensions: Any) -> Problem:
    return invalid([{"field": field, "message": message}], **extensions)


def from_validation_error(error: ValidationError, fields: dict[str, str] | None = None) -> Problem:
    """A service's refusal, field by field; ``fields`` renames the service's field names."""
    fields = fields or {}
    errors = []
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = "" if name == "__all__" else fields.get(name, name)
            errors.extend({"field": field, "message": message} for message in messages)
    else:
        errors.extend({"field": "", "message": message} for message in error.messages)
    return invalid(errors)
