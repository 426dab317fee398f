"""The archive's search page and a record in its context (RULES.md REC-1).

Editors and above open them (ARCHIVE_ROLE: the archive holds citizens' private messages);
contributors and readers get 403, people of other organisations 404. Each search and each
record opened leaves an audit entry: who looked into what is itself on the record.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pregonero.accounts.scoping import organisation_for
from pregonero.archive import services
from pregonero.archive.models import ArchiveRecord
from pregonero.archive.search import Query, highlight, parse, search
from pregonero.archive.search_forms import ArchiveSearchForm
from pregonero.audit import services as audit

PAGE_SIZE = 25
CONTEXT_LIMIT = 200
SNIPPET_WORDS = 25


@login_required
@require_GET
def search_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.ARCHIVE_ROLE)
    form = ArchiveSearchForm(request.GET, organisation=organisation)
    searched = form.is_valid() and bool(form.applied())
    query = parse(form.cleaned_data.get("q", "")) if searched else Query()
    records = search(organisation, query, form.filters()) if searched else ArchiveRecord.objects.none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    if searched:
        audit.record(
            "archive.searched",
            actor=request.user,
            organisation=organisation,
            details={"filters": form.applied(), "page": page.number},
            request=request,
        )
    results = [
        {"record": record, "snippet": highlight(record.text, query, around=SNIPPET_WORDS)}
        for record in page.object_list
    ]
    return render(
        request,
        "archive/search.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "searched": searched,
            "page": page,
            "results": results,
            "q": form.cleaned_data.get("q", "") if searched else "",
        },
    )


def _context(organisation, record):
    """The record's neighbours: its conversation, or its post's publications, or its source's records."""
    visible = services.visible_records(organisation)
    if record.conversation_ref is not None:
        neighbours = visible.filter(conversation_ref=record.conversation_ref)
    elif record.post_ref is not None:
        neighbours = visible.filter(post_ref=record.post_ref)
    else:
        neighbours = visible.filter(source_type=record.source_type, source_id=record.source_id)
    return list(neighbours.order_by("seq")[:CONTEXT_LIMIT])


@login_required
@require_GET
def record_detail(request: HttpRequest, slug: str, seq: int) -> HttpResponse:
    organisation, role = organisation_for(request.user, slug, minimum=services.ARCHIVE_ROLE)
    record = services.visible_records(organisation).filter(seq=seq).first()
    if record is None:
        raise Http404("No such record.")
    query = parse(request.GET.get("q", ""))
    audit.record(
        "archive.viewed",
        actor=request.user,
        organisation=organisation,
        obj=record,
        details={"seq": seq},
        request=request,
    )
    neighbours = [
        {"record": item, "text": highlight(item.text, query), "current": item.pk == record.pk}
        for item in _context(organisation, record)
    ]
    return render(
        request,
        "archive/record.html",
        {
            "organisation": organisation,
            "role": role,
            "record": record,
            "text": highlight(record.text, query),
            "neighbours": neighbours,
            "q": request.GET.get("q", ""),
        },
    )
