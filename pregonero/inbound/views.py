"""The webhook receivers: ``/hooks/<network>/<public id>/``.

Order matters: find the endpoint, refuse what is too big unread, verify the signature or
secret on the raw body, refuse replays, and only then store the event and answer 200. Anything
refused is logged and recorded without its body, and never becomes a message.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pregonero.inbound import receivers, services
from pregonero.inbound.models import HookEndpoint
from pregonero.inbound.signatures import secret_token_ok

logger = logging.getLogger("pregonero.inbound")

STATUS = {
    "too big": 413,
    "unsigned": 401,
    "bad signature": 403,
    "not JSON": 400,
    "replay": 409,
    "stale": 409,
}


def _endpoint(network: str, public_id: str) -> tuple[receivers.Receiver, HookEndpoint]:
    receiver = receivers.RECEIVERS.get(network)
    if receiver is None:
        raise Http404
    endpoint = get_object_or_404(
        HookEndpoint.objects.select_related("channel"),
        public_id=public_id,
        channel__connector__in=receiver.connectors,
        channel__is_active=True,
    )
    return receiver, endpoint


def _body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is bigger than the limit (unread if it says so)."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > receivers.MAX_BODY:
        return None
    body = request.read(receivers.MAX_BODY + 1)
    return None if len(body) > receivers.MAX_BODY else body


def _refuse(receiver, endpoint, request, reason: str) -> HttpResponse:
    logger.warning(
        "Webhook call refused: %s (network %s, endpoint %s, from %s)",
        reason,
        receiver.network,
        endpoint.public_id,
        request.META.get("REMOTE_ADDR", "?"),
    )
    services.record_refusal(endpoint, receiver, request.headers, reason)
    return HttpResponse(status=STATUS[reason])


@csrf_exempt
@require_http_methods(["GET", "POST"])
def hook(request: HttpRequest, network: str, public_id: str) -> HttpResponse:
    receiver, endpoint = _endpoint(network, public_id)
    if request.method == "GET":
        return _handshake(receiver, endpoint, request)
    body = _body(request)
    if body is None:
        return _refuse(receiver, endpoint, request, "too big")
    reason = receiver.verify(body, request.headers, endpoint.channel, endpoint.secret)
    if reason:
        return _refuse(receiver, endpoint, request, reason)
    outcome = services.store(endpoint, receiver, request.headers, body)
    if outcome != "stored":
        return _refuse(receiver, endpoint, request, outcome)
    return HttpResponse(status=200)


def _handshake(receiver, endpoint, request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: echo ``hub.challenge`` when ``hub.verify_token`` is ours."""
    if not receiver.handshake:
        return HttpResponse(status=405)
    query = request.GET
    if query.get("hub.mode") != "subscribe" or not secret_token_ok(
        query.get("hub.verify_token"), endpoint.secret
    ):
        logger.warning(
            "Webhook handshake refused (network %s, endpoint %s)", receiver.network, endpoint.public_id
        )
        return HttpResponse(status=403)
    return HttpResponse(query.get("hub.challenge", ""), content_type="text/plain")
