"""Publications that need a decision: send again, mark as sent, or cancel (editor tokens)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import Path, Router

from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import object_in
from pregonero.api.access import reach
from pregonero.api.idempotency import run_once
from pregonero.api.models import Access, Resource
from pregonero.api.schemas import MarkSentIn, PublicationOut, RetryIn
from pregonero.api.v1 import ID, IDEMPOTENCY_KEY, answers
from pregonero.publishing import attention
from pregonero.publishing.models import Publication

router = Router()
PUBLICATION_ID = Path(..., **ID)


def _decide(request, organisation: str, publication_id: int, key: str | None, decision) -> HttpResponse:
    def decide() -> HttpResponse:
        found = reach(request, organisation, Resource.PUBLICATIONS, Access.WRITE, Role.EDITOR)
        publication = object_in(
            Publication.objects.select_related("organisation", "channel", "variant", "post"),
            found,
            pk=publication_id,
        )
        decision(publication)
        publication.refresh_from_db()
        body = json.dumps(PublicationOut.of(publication).model_dump(mode="json"), ensure_ascii=False)
        return HttpResponse(body, content_type="application/json")

    return run_once(request, key, decide)


@router.post(
    "/{organisation}/publications/{publication_id}/retry",
    response=answers(s200=PublicationOut),
    summary="Send a failed or unknown publication again",
)
def retry(
    request,
    organisation: str,
    payload: RetryIn,
    publication_id: int = PUBLICATION_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """For an ``unknown`` one, ``checked`` must say the network was checked and the post is not there."""
    return _decide(
        request,
        organisation,
        publication_id,
        idempotency_key,
        lambda publication: attention.retry(
            publication, actor=request.actor, checked=payload.checked, request=request
        ),
    )


@router.post(
    "/{organisation}/publications/{publication_id}/mark-sent",
    response=answers(s200=PublicationOut),
    summary="Record that it is on the network after all",
)
def mark_sent(
    request,
    organisation: str,
    payload: MarkSentIn,
    publication_id: int = PUBLICATION_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    return _decide(
        request,
        organisation,
        publication_id,
        idempotency_key,
        lambda publication: attention.mark_sent(
            publication, actor=request.actor, url=payload.url, request=request
        ),
    )


@router.post(
    "/{organisation}/publications/{publication_id}/cancel",
    response=answers(s200=PublicationOut),
    summary="Do not publish on this channel",
)
def cancel(
    request,
    organisation: str,
    publication_id: int = PUBLICATION_ID,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    return _decide(
        request,
        organisation,
        publication_id,
        idempotency_key,
        lambda publication: attention.cancel(publication, actor=request.actor, request=request),
    )
