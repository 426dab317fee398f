"""``Idempotency-Key``: a retried POST gets the first reply and never acts twice.

The first request with a key stores its reply in the same transaction as what it did, so
either both are committed or neither; a concurrent request with the same key waits on the
unique row and then replays it. Replies are kept per token for :data:`KEPT_FOR`. The same
key with a different request (method, path or body) is refused with 422: reusing a key for
something else is a client bug that must not pass silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.api.models import IdempotentReply
from pregonero.api.problems import Problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEPT_FOR = timedelta(hours=24)
# Headers of the first reply that a replay repeats.
REPLAYED_HEADERS = ("Location", "ETag")


def fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path, and the body or form with its files."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        digest.update(json.dumps(sorted(request.POST.lists())).encode())
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(f"{name}:{upload.name}:{upload.size}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(reply: IdempotentReply) -> HttpResponse:
    response = HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)
    for name, value in reply.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def run_once(request: HttpRequest, key: str | None, action: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer ``action()``'s reply, or the stored reply of an earlier request with ``key``.

    ``action`` may raise; its refusal is turned into the reply here so that it is remembered
    too. Server errors are not remembered: the retry gets a fresh chance.
    """
    from pregonero.api.api import api  # the API's own error handlers, which import this module

    if key is None:
        return action()
    if not key or len(key) > MAX_KEY_LENGTH or "\x00" in key:
        raise Problem(
            400,
            _("The Idempotency-Key header must have 1 to 255 characters, and no null characters."),
            kind="idempotency-key",
        )
    token, print_ = request.auth, fingerprint(request)
    with transaction.atomic():
        earlier = IdempotentReply.objects.filter(token=token, key=key).first()
        if earlier is None:
            try:
                with transaction.atomic():
                    reply = IdempotentReply.objects.create(
                        token=token, key=key, fingerprint=print_, status=0, content_type=""
                    )
            except IntegrityError:
                # A concurrent request with the key committed first: answer what it answered.
                earlier = IdempotentReply.objects.get(token=token, key=key)
        if earlier is not None:
            if earlier.fingerprint != print_:
                raise Problem(
                    422,
                    _("This Idempotency-Key was used for a different request."),
                    kind="idempotency-key-reused",
                )
            return _replay(earlier)
        try:
            response = action()
        except Exception as error:  # noqa: BLE001 - every refusal becomes the remembered reply
            response = api.on_exception(request, error)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        reply.status, reply.content_type = response.status_code, response["Content-Type"]
        reply.body = response.content.decode("utf-8")
        reply.headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
        reply.save()
        IdempotentReply.objects.filter(token=token, created_at__lt=timezone.now() - KEPT_FOR).delete()
    return response
